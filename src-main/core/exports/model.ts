import type { Environment, VariableRole } from '../config/schema.js';
import { isSecretRole, variableName } from './names.js';

/** Everything an exporter may use. Secrets are passed in by the caller (read from the keychain). */
export interface ExportInput {
  env: Environment;
  secrets: {
    anonKey?: string;
    apiKey?: string;
    accessToken?: string;
    refreshToken?: string;
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
}

export interface ExportVariable {
  key: string;
  value: string;
  secret: boolean;
  role?: VariableRole;
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
  const supabase = env.provider === 'supabase';
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
  if (supabase && present(secrets.anonKey)) add('anon_key', secrets.anonKey);
  if (present(secrets.apiKey)) add('api_key', secrets.apiKey);
  // Always emitted, even signed out: requests referencing {{user_jwt_token}} should find the key.
  add('access_token', secrets.accessToken);
  if (supabase) add('refresh_token', secrets.refreshToken);
  if (!supabase && present(input.accountId)) add('account_id', input.accountId);

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
