import type { ExportInput } from '../core/exports/model.js';
import { secretVariableValues } from '../core/environments/variables.js';
import { secretKeys } from '../core/secrets/types.js';
import type { FreshToken } from '../core/sessions/manager.js';
import { getCore } from './context.js';
import { warn } from './output.js';

/** A token with at least the margin of life left (renewed first if needed); a renewal warning goes to stderr. */
export async function freshToken(envRef: string, email?: string): Promise<FreshToken> {
  const fresh = await getCore().sessions.getFreshToken(envRef, email);
  if (fresh.warning) warn(fresh.warning);
  return fresh;
}

/** Everything the exporters and headers need: the environment's keys plus a fresh session's tokens. */
export async function exportInput(fresh: Pick<FreshToken, 'env'> & Partial<FreshToken>): Promise<ExportInput> {
  const { secrets } = getCore();
  // One keychain round trip for the keys and every secret variable.
  const all = await secrets.loadAll();
  const anonKey = all.get(secretKeys.anonKey(fresh.env.id));
  const apiKey = all.get(secretKeys.apiKey(fresh.env.id));
  const input: ExportInput = { env: fresh.env, secrets: {} };
  if (anonKey) input.secrets.anonKey = anonKey;
  if (apiKey) input.secrets.apiKey = apiKey;
  if (fresh.env.secretVariables?.length) input.secrets.variables = secretVariableValues(fresh.env, all);
  if (fresh.session) {
    input.secrets.accessToken = fresh.session.accessToken;
    if (fresh.session.refreshToken) input.secrets.refreshToken = fresh.session.refreshToken;
  }
  if (fresh.identity) {
    input.identityEmail = fresh.identity.email;
    if (fresh.identity.activeAccountId) input.accountId = fresh.identity.activeAccountId;
  }
  return input;
}
