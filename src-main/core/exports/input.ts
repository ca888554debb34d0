import type { Environment, Identity } from '../config/schema.js';
import { secretVariableValues } from '../environments/variables.js';
import type { StoredSession } from '../providers/types.js';
import { secretKeys } from '../secrets/types.js';
import type { ExportInput } from './model.js';

/** A signed-in identity's part of an export: its fresh tokens, its email and its active account. */
export interface SignedInPart {
  session: Pick<StoredSession, 'accessToken' | 'refreshToken' | 'idToken'>;
  identity: Pick<Identity, 'email' | 'activeAccountId'>;
}

/**
 * Everything the exporters, headers and `exec` need, built one way for the app and the CLI: the
 * environment's keys and secret variables out of one `loadAll()` of the secret store, plus the
 * signed-in identity's tokens when there is one. How keychain entries are named stays in core.
 */
export function buildExportInput(env: Environment, secrets: ReadonlyMap<string, string>, signedIn?: SignedInPart): ExportInput {
  const input: ExportInput = { env, secrets: {} };
  const anonKey = secrets.get(secretKeys.anonKey(env.id));
  const apiKey = secrets.get(secretKeys.apiKey(env.id));
  if (anonKey) input.secrets.anonKey = anonKey;
  if (apiKey) input.secrets.apiKey = apiKey;
  if (env.secretVariables?.length) input.secrets.variables = secretVariableValues(env, secrets);
  if (signedIn) {
    input.secrets.accessToken = signedIn.session.accessToken;
    if (signedIn.session.refreshToken) input.secrets.refreshToken = signedIn.session.refreshToken;
    if (signedIn.session.idToken) input.secrets.idToken = signedIn.session.idToken;
    input.identityEmail = signedIn.identity.email;
    if (signedIn.identity.activeAccountId) input.accountId = signedIn.identity.activeAccountId;
  }
  return input;
}
