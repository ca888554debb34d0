import * as oidc from 'openid-client';
import { decodeJwt } from '../jwt.js';
import { expiryFromLifetime, MAX_LIFETIME_MS } from '../lifetime.js';
import type { Profile, ProviderContext, StoredSession } from '../types.js';

type Tokens = oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Who signed in, from the ID token's claims (validated by openid-client) and userinfo when it answered. */
export function profileFromClaims(claims: Record<string, unknown>, fallbackId: string): Profile {
  const profile: Profile = {
    userId: text(claims.sub) ?? fallbackId,
    email: text(claims.email) ?? '',
    accounts: [],
    roles: [],
    permissions: [],
    permissionsFromRoles: [],
  };
  const name = text(claims.name) ?? text(claims.preferred_username);
  if (name) profile.displayName = name;
  return profile;
}

/** userinfo's claims for `sub`, or none when the provider has no endpoint or it fails (the ID token's stand). */
export async function userinfo(config: oidc.Configuration, accessToken: string, sub: string | undefined): Promise<Record<string, unknown>> {
  if (!config.serverMetadata().userinfo_endpoint || !sub) return {};
  try {
    return { ...(await oidc.fetchUserInfo(config, accessToken, sub)) };
  } catch {
    return {};
  }
}

/**
 * A token answer as a stored session. Its lifetime is `expires_in` counted from our receipt; without
 * it, a JWT access token's exp, else no expiry of its own. A refresh answer without a new refresh token
 * keeps the one it was made with (rotation is the server's choice, RFC 6749 §6); with one, the new one
 * replaces it (the old is spent: Auth0/Okta reuse detection).
 */
export function sessionFrom(ctx: ProviderContext, tokens: Tokens, profile: Profile, previousRefresh?: string): StoredSession {
  const obtainedAt = ctx.now();
  const session: StoredSession = { provider: 'oidc', accessToken: tokens.access_token, obtainedAt, expiresAt: obtainedAt, profile };
  const expiresIn = tokens.expiresIn();
  const exp = decodeJwt(tokens.access_token)?.claims.exp;
  if (expiresIn !== undefined) session.expiresAt = expiryFromLifetime(obtainedAt, expiresIn * 1000, 'expires_in');
  else if (typeof exp === 'number') session.expiresAt = expiryFromLifetime(obtainedAt, exp * 1000 - obtainedAt, 'exp of the access token');
  else {
    session.expiresAt = obtainedAt + MAX_LIFETIME_MS;
    session.noExpiry = true;
  }
  const refreshToken = tokens.refresh_token ?? previousRefresh;
  if (refreshToken) session.refreshToken = refreshToken;
  return session;
}

/** The profile of a user sign-in: the validated ID token's claims, completed by userinfo. */
export async function userProfile(config: oidc.Configuration, tokens: Tokens, fallback?: Profile): Promise<Profile> {
  const idClaims: Record<string, unknown> = { ...(tokens.claims() ?? {}) };
  const sub = text(idClaims.sub) ?? fallback?.userId;
  const info = await userinfo(config, tokens.access_token, sub);
  const merged = { ...(fallback && { sub: fallback.userId, email: fallback.email, name: fallback.displayName }), ...idClaims, ...info };
  return profileFromClaims(merged, sub ?? 'unknown');
}
