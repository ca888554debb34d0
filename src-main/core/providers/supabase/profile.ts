import type { Profile } from '../types.js';
import { decodeJwt } from '../jwt.js';
import type { SupabaseUser } from './schemas.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** full_name, then name, then first + last name (what the seed's sign-up sends), from user_metadata. */
export function displayNameOf(meta: Record<string, unknown> | null | undefined): string | undefined {
  if (!meta) return undefined;
  const joined = [text(meta.first_name), text(meta.last_name)].filter(Boolean).join(' ');
  return text(meta.full_name) ?? text(meta.name) ?? (joined || undefined);
}

/**
 * The Profile of a Supabase identity: the user object for who, the access token's claims for the
 * role. Supabase has no accounts or permissions of its own, so those stay empty.
 */
export function profileFromUser(user: SupabaseUser, accessToken: string): Profile {
  const decoded = decodeJwt(accessToken);
  const claims = decoded?.claims;
  const role = text(claims?.role) ?? text(user.role);
  const profile: Profile = {
    userId: user.id || text(claims?.sub) || '',
    email: text(user.email) ?? text(claims?.email) ?? '',
    accounts: [],
    roles: role ? [role] : [],
    permissions: [],
    permissionsFromRoles: [],
  };
  const displayName = displayNameOf(user.user_metadata);
  if (displayName) profile.displayName = displayName;
  if (decoded) {
    profile.jwtHeader = decoded.header;
    profile.claims = decoded.claims;
  }
  return profile;
}
