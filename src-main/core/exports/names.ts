import type { Environment, VariableRole } from '../config/schema.js';

export type Provider = Environment['provider'];

/**
 * Default exported variable names per provider. The Supabase names are the ones the seed's Postman
 * collection already uses (`url`, `anon_key`, `user_jwt_token`, …), so an export drops into an existing
 * workspace without renaming anything.
 */
export const DEFAULT_VARIABLE_NAMES: Readonly<Record<Provider, Readonly<Partial<Record<VariableRole, string>>>>> = {
  supabase: {
    url: 'url',
    anon_key: 'anon_key',
    api_key: 'api_key',
    access_token: 'user_jwt_token',
    refresh_token: 'refresh_token',
    account_id: 'account_id',
  },
  session: {
    url: 'url',
    access_token: 'token',
    account_id: 'account_id',
    api_key: 'api_key',
  },
  bearer: {
    url: 'url',
    access_token: 'token',
  },
};

/** Roles whose values only ever come from the keychain and are blanked without `includeSecrets`. */
export const SECRET_ROLES: ReadonlySet<VariableRole> = new Set<VariableRole>([
  'anon_key',
  'api_key',
  'access_token',
  'refresh_token',
]);

export function isSecretRole(role: VariableRole): boolean {
  return SECRET_ROLES.has(role);
}

/** The exported name of a role: the environment's override, else the provider default, else the role itself. */
export function variableName(env: Pick<Environment, 'provider' | 'variableNames'>, role: VariableRole): string {
  return env.variableNames?.[role] ?? DEFAULT_VARIABLE_NAMES[env.provider][role] ?? role;
}
