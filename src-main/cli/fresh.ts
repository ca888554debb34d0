import type { ExportInput } from '../core/exports/model.js';
import { buildExportInput } from '../core/exports/input.js';
import type { FreshToken } from '../core/sessions/manager.js';
import { getCore } from './context.js';
import { warn } from './output.js';

/** A token with at least the margin of life left (renewed first if needed); a renewal warning goes to stderr. */
export async function freshToken(envRef: string, email?: string): Promise<FreshToken> {
  const fresh = await getCore().sessions.getFreshToken(envRef, email);
  if (fresh.warning) warn(fresh.warning);
  return fresh;
}

/** Everything the exporters and headers need: the environment's keys plus a fresh session's tokens (core/exports/input.ts). */
export async function exportInput(fresh: Pick<FreshToken, 'env'> & Partial<FreshToken>): Promise<ExportInput> {
  // One keychain round trip for the keys and every secret variable.
  const all = await getCore().secrets.loadAll();
  return buildExportInput(fresh.env, all, fresh.session && fresh.identity ? { session: fresh.session, identity: fresh.identity } : undefined);
}
