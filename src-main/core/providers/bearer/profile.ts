import { createHash } from 'node:crypto';
import { decodeJwt } from '../jwt.js';
import type { Profile } from '../types.js';

/** A stable id for an opaque token: the first 12 hex of its SHA-256, enough to tell tokens apart, never the token. */
export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/**
 * Who a pasted token belongs to, from the token alone: a JWT's `sub`, `email` and `name` claims
 * (decoded for display, never verified: the API checks the signature), else a hash of the token.
 */
export function profileFromToken(token: string): Profile {
  const claims = decodeJwt(token)?.claims;
  const profile: Profile = {
    userId: text(claims?.sub) ?? tokenId(token),
    email: text(claims?.email) ?? '',
    accounts: [],
    roles: [],
    permissions: [],
    permissionsFromRoles: [],
  };
  const name = text(claims?.name);
  // A token that names nobody is still an identity: shown as "Pasted token <first 12 hex of its hash>".
  if (name) profile.displayName = name;
  else if (!profile.email && !claims?.sub) profile.displayName = `Pasted token ${profile.userId}`;
  return profile;
}
