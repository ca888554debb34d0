import { providerInfo } from '../../contract/providers.js';
import type { Environment, VariableRole } from '../config/schema.js';

export type Provider = Environment['provider'];

/** Roles whose values only ever come from the keychain and are blanked without `includeSecrets`. */
export const SECRET_ROLES: ReadonlySet<VariableRole> = new Set<VariableRole>([
  'anon_key',
  'api_key',
  'access_token',
  'refresh_token',
  'id_token',
]);

export function isSecretRole(role: VariableRole): boolean {
  return SECRET_ROLES.has(role);
}

/**
 * The exported name of a role: the environment's override, else the provider's default (catalogue
 * `exportNames`: for Supabase the names the seed's Postman collection already uses, `user_jwt_token`…,
 * so an export drops into an existing workspace), else the role itself.
 */
export function variableName(env: Pick<Environment, 'provider' | 'variableNames'>, role: VariableRole): string {
  return env.variableNames?.[role] ?? providerInfo(env.provider).exportNames[role] ?? role;
}
