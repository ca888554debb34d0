import { TokenDeskError } from '../../errors.js';
import { joinUrl, parseBody } from '../../http/body.js';
import type { HttpResponse } from '../../http/types.js';
import type { AuthProvider, PasswordGrant, LogoutScope, Profile, ProviderContext, SignUpResult, StoredSession } from '../types.js';
import { expiryFromLifetime } from '../lifetime.js';
import { parseTokenAnswer } from '../token-syntax.js';
import { checkSession } from './check.js';
import { methodsById, passwordFlow } from '../password-method.js';
import { sessionApiError } from './errors.js';
import { profileFromSessionBody } from './profile.js';
import { loginBodySchema, profileBodySchema } from './schemas.js';

/**
 * A session-token API (seed 003, ../shared/seeds/003_87ca82e3d9a95bc1.txt): `POST /api/auth/login`
 * returns an opaque token with an absolute `expiresAt`; `GET /api/auth/session` re-reads the profile.
 * No refresh grant and no sign-up: renewal means signing in again with a remembered password (the
 * session manager's job).
 */

const ok = (res: HttpResponse): boolean => res.status >= 200 && res.status < 300;

/** A Date header further off our clock than this is taken as broken and ignored. */
export const MAX_TRUSTED_SKEW_MS = 24 * 3600_000;

/**
 * `expiresAt` is on the server's clock. Its lifetime is measured against the server's own Date
 * header (or, without one, our clock) and re-anchored at our receipt time, so a skewed server clock
 * neither shortens nor stretches the token on our side.
 *
 * A Date header more than a day off our clock (`Date: Thu, 01 Jan 1970`) is ignored, and the
 * lifetime measured on our clock instead. Such a header is far more often broken (a proxy, an
 * embedded server with no clock) than a true measure of the server's clock, and trusting it turns a
 * normal `expiresAt` into a 54-year token. If the server's clock really is days off, our clock makes
 * the token look either expired (refused, with a message) or longer-lived (clamped to a year): never
 * a crash, never a number that cannot be stored. The result is still range-checked by the caller.
 */
export function localExpiry(expiresAtIso: string, serverDate: number | undefined, receivedAt: number): number {
  const trusted = serverDate !== undefined && Number.isFinite(serverDate) && Math.abs(serverDate - receivedAt) <= MAX_TRUSTED_SKEW_MS;
  const lifetime = Date.parse(expiresAtIso) - (trusted ? serverDate : receivedAt);
  return receivedAt + lifetime;
}

async function signIn(ctx: ProviderContext, creds: { email: string; password: string }): Promise<StoredSession> {
  const res = await ctx.http.request({
    method: 'POST',
    url: joinUrl(ctx.baseUrl, '/api/auth/login'),
    body: { email: creds.email, password: creds.password },
  });
  const receivedAt = ctx.now();
  if (!ok(res)) throw sessionApiError('sign-in', res, [creds.password]);
  const body = parseTokenAnswer(res, loginBodySchema, 'sign-in');
  const lifetime = localExpiry(body.expiresAt, res.serverDate, receivedAt) - receivedAt;
  const expiresAt = expiryFromLifetime(receivedAt, lifetime, lifetime <= 0 ? 'expiresAt is in the past' : `expiresAt: ${body.expiresAt.replace(/[^\x20-\x7e]/g, '').slice(0, 40)}`, res.status);
  return {
    provider: 'session',
    accessToken: body.token,
    obtainedAt: receivedAt,
    expiresAt,
    profile: profileFromSessionBody(body),
  };
}

async function fetchProfile(ctx: ProviderContext, session: StoredSession): Promise<Profile> {
  const res = await ctx.http.request({
    method: 'GET',
    url: joinUrl(ctx.baseUrl, '/api/auth/session'),
    headers: { Authorization: `Bearer ${session.accessToken}` },
  });
  if (!ok(res)) throw sessionApiError('profile', res, [session.accessToken]);
  return profileFromSessionBody(parseBody(res, profileBodySchema, 'the session request'));
}

/** Best effort: the seed documents no logout, so a missing endpoint (404/405) or a dead token is fine. */
async function signOut(ctx: ProviderContext, session: StoredSession, _scope: LogoutScope): Promise<void> {
  const res = await ctx.http.request({
    method: 'POST',
    url: joinUrl(ctx.baseUrl, '/api/auth/logout'),
    headers: { Authorization: `Bearer ${session.accessToken}` },
  });
  if (ok(res) || [401, 403, 404, 405].includes(res.status)) return;
  throw sessionApiError('sign-out', res, [session.accessToken]);
}

/** `signIn` is the login its password method runs, and what a renewal re-runs with the remembered password. */
export const sessionApiProvider: AuthProvider & PasswordGrant = {
  kind: 'session',
  canRefresh: false,
  canSignUp: false,
  signIn,
  signInWith: methodsById('The session API', { password: passwordFlow(signIn, true) }),
  async signUp(): Promise<SignUpResult> {
    throw new TokenDeskError('unsupported', 'This server has no sign-up: create the account on the server itself');
  },
  async refresh(): Promise<StoredSession> {
    throw new TokenDeskError('unsupported', 'This server has no refresh grant: sign in again to renew the session');
  },
  fetchProfile,
  signOut,
  checkSession,
};
