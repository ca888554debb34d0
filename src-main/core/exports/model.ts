import type { Environment, VariableRole } from '../config/schema.js';
import { isSecretRole, variableName } from './names.js';
import { capabilitiesOf } from '../../contract/providers.js';

/** Everything an exporter may use. Secrets are passed in by the caller (read from the keychain). */
export interface ExportInput {
  env: Environment;
  secrets: {
    anonKey?: string;
    apiKey?: string;
    accessToken?: string;
    refreshToken?: string;
    /** The OpenID Connect ID token of the signed-in identity. */
    idToken?: string;
    /** Values of `env.secretVariables`, by name (a Map: variable names never meet a prototype). */
    variables?: ReadonlyMap<string, string>;
  };
  /** Active tenant account (session API). */
  accountId?: string;
  identityEmail?: string;
}

export interface ExportOptions {
  /** False: every secret value is '' (or a placeholder in curl) while its key stays, so the file is shareable. */
  includeSecrets: boolean;
  /**
   * Supabase refresh tokens are single-use: a tool that spends a copy ends TokenDesk's own session at
   * its next renewal. So the refresh token's value is written only when this is true (and includeSecrets);
   * otherwise its key stays, empty, and `omittedNotes` says why.
   */
  includeRefreshToken?: boolean;
}

/** Why the refresh token is left out, in one sentence a user can act on. */
export const REFRESH_TOKEN_OMITTED =
  'The refresh token was left out: Supabase refresh tokens are single-use, so a tool that spends a copy ends TokenDesk\'s own session at its next renewal. Include it only for a tool that should take the session over';

/** What an export with these options deliberately leaves empty, one note each (none when nothing was withheld). */
export function omittedNotes(input: ExportInput, opts: ExportOptions): string[] {
  // Only a refresh grant's token is single-use (catalogue: canRefresh).
  const has = capabilitiesOf(input.env.provider).canRefresh && present(input.secrets.refreshToken);
  return has && opts.includeSecrets && !opts.includeRefreshToken ? [REFRESH_TOKEN_OMITTED] : [];
}

export interface ExportVariable {
  key: string;
  value: string;
  secret: boolean;
  role?: VariableRole;
}

/**
 * The account a request carries: the identity's chosen one, else an `account_id` variable the
 * environment holds (imported from a Postman file), so an imported account is not dropped.
 */
export function activeAccountId(input: ExportInput): string | undefined {
  if (present(input.accountId)) return input.accountId;
  const stored = input.env.variables?.[variableName(input.env, 'account_id')];
  return present(stored) ? stored : undefined;
}

/** Non-empty string or undefined: an empty secret counts as absent. */
function present(v: string | undefined): v is string {
  return typeof v === 'string' && v !== '';
}

/**
 * The ordered variable list every exporter renders. Role variables come first; extras that clash with
 * a role's (possibly renamed) key are dropped so a file never holds one key twice.
 */
export function exportVariables(input: ExportInput, opts: ExportOptions): ExportVariable[] {
  const { env, secrets } = input;
  // Which roles this kind of environment exports comes from the provider catalogue, not its name.
  const roles = new Set(capabilitiesOf(env.provider).exportedRoles);
  const out: ExportVariable[] = [];
  const seen = new Set<string>();

  const add = (role: VariableRole, value: string | undefined): void => {
    const key = variableName(env, role);
    if (seen.has(key)) return;
    seen.add(key);
    const secret = isSecretRole(role);
    out.push({ key, value: secret && !opts.includeSecrets ? '' : (value ?? ''), secret, role });
  };

  add('url', env.baseUrl);
  if (roles.has('anon_key') && present(secrets.anonKey)) add('anon_key', secrets.anonKey);
  if (roles.has('api_key') && present(secrets.apiKey)) add('api_key', secrets.apiKey);
  // Always emitted, even signed out: requests referencing {{user_jwt_token}} should find the key.
  add('access_token', secrets.accessToken);
  if (roles.has('refresh_token')) add('refresh_token', opts.includeRefreshToken ? secrets.refreshToken : undefined);
  if (roles.has('id_token')) add('id_token', secrets.idToken);
  const accountId = activeAccountId(input);
  if (roles.has('account_id') && accountId !== undefined) add('account_id', accountId);

  for (const [key, value] of Object.entries(env.variables ?? {})) {
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, value, secret: false });
  }
  // Variables whose values looked like secrets: typed and blanked like the keys (a missing value exports empty).
  for (const key of env.secretVariables ?? []) {
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, value: opts.includeSecrets ? (secrets.variables?.get(key) ?? '') : '', secret: true });
  }
  return out;
}
