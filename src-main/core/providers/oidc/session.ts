import * as oidc from 'openid-client';
import { decodeJwt } from '../jwt.js';
import { expiryFromLifetime, MAX_LIFETIME_MS } from '../lifetime.js';
import type { Profile, ProviderContext, ProviderKind, StoredSession } from '../types.js';

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
  const picture = pictureUrl(claims.picture);
  if (picture) profile.picture = picture;
  return profile;
}

/** The `picture` claim when it is an https URL (shown as a link; the window loads no remote image). */
function pictureUrl(v: unknown): string | undefined {
  const t = text(v);
  if (!t || t.length > 2048) return undefined;
  try {
    return new URL(t).protocol === 'https:' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** The scopes granted, from the token answer's `scope` (RFC 6749 §5.1: sent when they differ from those asked). */
export function grantedScopes(tokens: Pick<Tokens, 'scope'>): string[] | undefined {
  const scope = typeof tokens.scope === 'string' ? tokens.scope.split(/\s+/).filter((x) => x !== '') : [];
  return scope.length ? [...new Set(scope)].slice(0, 200) : undefined;
}

/**
 * When the refresh token itself ends: the answer's `refresh_expires_in` (Keycloak; 0 there means an
 * offline token with no end of its own), else the previous end while the same refresh token is kept.
 */
function refreshEnd(tokens: Tokens, obtainedAt: number, previous: Pick<StoredSession, 'refreshToken' | 'refreshExpiresAt'> | undefined): number | undefined {
  const v = (tokens as Record<string, unknown>).refresh_expires_in;
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return expiryFromLifetime(obtainedAt, v * 1000, 'refresh_expires_in');
  if (previous?.refreshExpiresAt !== undefined && (!tokens.refresh_token || tokens.refresh_token === previous.refreshToken)) return previous.refreshExpiresAt;
  return undefined;
}

/**
 * userinfo's claims, or none when the provider has no endpoint or it fails (the ID token's stand). Its
 * `sub` must be `sub` when one is known (OIDC Core §5.3.2); without one (plain OAuth 2.0, an opaque
 * token) userinfo is what says who signed in.
 */
export async function userinfo(config: oidc.Configuration, accessToken: string, sub: string | undefined): Promise<Record<string, unknown>> {
  if (!config.serverMetadata().userinfo_endpoint) return {};
  try {
    return { ...(await oidc.fetchUserInfo(config, accessToken, sub ?? oidc.skipSubjectCheck)) };
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
export function sessionFrom(kind: ProviderKind, ctx: ProviderContext, tokens: Tokens, profile: Profile, previous?: Pick<StoredSession, 'refreshToken' | 'refreshExpiresAt' | 'idToken'>): StoredSession {
  const obtainedAt = ctx.now();
  const scopes = grantedScopes(tokens) ?? profile.scopes;
  const session: StoredSession = { provider: kind, accessToken: tokens.access_token, obtainedAt, expiresAt: obtainedAt, profile: { ...profile, ...(scopes && { scopes }) } };
  const expiresIn = tokens.expiresIn();
  const exp = decodeJwt(tokens.access_token)?.claims.exp;
  if (expiresIn !== undefined) session.expiresAt = expiryFromLifetime(obtainedAt, expiresIn * 1000, 'expires_in');
  else if (typeof exp === 'number') session.expiresAt = expiryFromLifetime(obtainedAt, exp * 1000 - obtainedAt, 'exp of the access token');
  else {
    session.expiresAt = obtainedAt + MAX_LIFETIME_MS;
    session.noExpiry = true;
  }
  const refreshToken = tokens.refresh_token ?? previous?.refreshToken;
  if (refreshToken) session.refreshToken = refreshToken;
  const refreshEndsAt = refreshToken ? refreshEnd(tokens, obtainedAt, previous) : undefined;
  if (refreshEndsAt !== undefined) session.refreshExpiresAt = refreshEndsAt;
  // A renewal without a new ID token keeps the sign-in's (OIDC Core §12.2: its sending is optional).
  const idToken = tokens.id_token ?? previous?.idToken;
  if (idToken) session.idToken = idToken;
  return session;
}

/**
 * Who a user sign-in without any word of the server on it belongs to (plain OAuth 2.0 with an opaque
 * token and no userinfo endpoint): one identity per environment, a new sign-in replaces it.
 */
export const UNNAMED_USER = 'signed-in user';

/**
 * The profile of a user sign-in: the validated ID token's claims, completed by userinfo. Without an ID
 * token (plain OAuth 2.0) a JWT access token's claims stand in at sign-in (sub, email, name: read, not
 * verified, as the access token is the API's to check), else userinfo alone; else UNNAMED_USER.
 */
export async function userProfile(config: oidc.Configuration, tokens: Tokens, fallback?: Profile): Promise<Profile> {
  const idClaims: Record<string, unknown> = { ...(tokens.claims() ?? (fallback ? {} : decodeJwt(tokens.access_token)?.claims) ?? {}) };
  const sub = text(idClaims.sub) ?? fallback?.userId;
  const info = await userinfo(config, tokens.access_token, sub);
  const merged = { ...(fallback && { sub: fallback.userId, email: fallback.email, name: fallback.displayName, picture: fallback.picture }), ...idClaims, ...info };
  const profile = profileFromClaims(merged, sub ?? UNNAMED_USER);
  return fallback?.scopes ? { ...profile, scopes: fallback.scopes } : profile;
}
