import type { Factory } from './factory.js';
import { buildExportInput, type ExportInput, type FreshToken } from '../core/facade.js';

/** A token with at least the margin of life left (renewed first if needed); a renewal warning goes to stderr. */
export async function freshToken(f: Factory, envRef: string, email?: string, minValidMs?: number): Promise<FreshToken> {
  const fresh = await f.core().sessions.getFreshToken(envRef, email, minValidMs === undefined ? {} : { minValidMs });
  if (fresh.warning) f.term.warn(fresh.warning);
  return fresh;
}

/** Everything the exporters and headers need: the environment's keys plus a fresh session's tokens (core/exports/input.ts). */
export async function exportInput(f: Factory, fresh: Pick<FreshToken, 'env'> & Partial<FreshToken>): Promise<ExportInput> {
  // One keychain round trip for the keys and every secret variable.
  const all = await f.core().secrets.loadAll();
  return buildExportInput(fresh.env, all, fresh.session && fresh.identity ? { session: fresh.session, identity: fresh.identity } : undefined);
}
