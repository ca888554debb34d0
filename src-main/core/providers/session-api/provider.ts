import { TokenDeskError } from '../../errors.js';
import { joinUrl, parseBody } from '../../http/body.js';
import type { HttpResponse } from '../../http/types.js';
import type { AuthProvider, PasswordGrant, Profile, ProviderContext, SignUpResult, StoredSession } from '../types.js';
import { expiryFromLifetime } from '../lifetime.js';
import { parseTokenAnswer } from '../token-syntax.js';
import { checkSession } from './check.js';
import { methodsById, passwordFlow } from '../password-method.js';
import { sessionApiError } from './errors.js';
import { profileFromSessionBody } from './profile.js';
import { loginBodySchema, profileBodySchema } from './schemas.js';
import { answerObject, profileFromMappedAnswer, signInFromMappedAnswer } from './answer.js';
import { readSessionApiSettings, type SessionApiSettings } from './settings.js';

/**
 * A session-token API (seed 003, ../shared/seeds/003_87ca82e3d9a95bc1.txt): `POST /api/auth/login`
 * returns an opaque token with an absolute `expiresAt`; `GET /api/auth/session` re-reads the profile.
 * No refresh grant and no sign-up: renewal means signing in again with a remembered password (the
 * session manager's job). The environment's settings (settings.ts) move those paths, rename the login
 * body's fields and map the answer's fields (answer.ts); without any, every request and reading is seed 003's.
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
  return receivedAt + Date.parse(expiresAtIso) - serverNow(serverDate, receivedAt);
}

/** The server's "now" an absolute expiry is measured against: its Date header when trusted, else our clock. */
export function serverNow(serverDate: number | undefined, receivedAt: number): number {
  const trusted = serverDate !== undefined && Number.isFinite(serverDate) && Math.abs(serverDate - receivedAt) <= MAX_TRUSTED_SKEW_MS;
  return trusted ? serverDate : receivedAt;
}

const isMapped = (cfg: SessionApiSettings): boolean => Object.keys(cfg.map).length > 0;

async function signIn(ctx: ProviderContext, creds: { email: string; password: string }): Promise<StoredSession> {
  const cfg = readSessionApiSettings(ctx.settings);
  const res = await ctx.http.request({
    method: 'POST',
    url: joinUrl(ctx.baseUrl, cfg.loginPath),
    body: { [cfg.identifierField]: creds.email, [cfg.passwordField]: creds.password },
  });
  const receivedAt = ctx.now();
  if (!ok(res)) throw sessionApiError('sign-in', res, [creds.password]);
  if (isMapped(cfg)) {
    const m = signInFromMappedAnswer(res, cfg.map, serverNow(res.serverDate, receivedAt), creds.email);
    const at = `${cfg.map.expires ?? 'expiresAt'}`;
    const source = m.expiry.lifetimeMs <= 0 ? `${at} is in the past` : `${at}: ${m.expiry.source}`;
    return {
      provider: 'session',
      accessToken: m.token,
      obtainedAt: receivedAt,
      expiresAt: expiryFromLifetime(receivedAt, m.expiry.lifetimeMs, source, res.status),
      profile: m.profile,
    };
  }
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
  const cfg = readSessionApiSettings(ctx.settings);
  const res = await ctx.http.request({
    method: 'GET',
    url: joinUrl(ctx.baseUrl, cfg.sessionPath),
    headers: { Authorization: `Bearer ${session.accessToken}` },
  });
  if (!ok(res)) throw sessionApiError('profile', res, [session.accessToken]);
  // The session path's answer is read through the same mappings as the login's (its profile fields).
  if (isMapped(cfg)) return profileFromMappedAnswer(answerObject(res, 'session'), cfg.map, 'session', res.status, session.profile.email);
  return profileFromSessionBody(parseBody(res, profileBodySchema, 'the session request'));
}

/** Best effort: the seed documents no logout, so a missing endpoint (404/405) or a dead token is fine. */
async function signOut(ctx: ProviderContext, session: StoredSession): Promise<void> {
  const res = await ctx.http.request({
    method: 'POST',
    url: joinUrl(ctx.baseUrl, readSessionApiSettings(ctx.settings).logoutPath),
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
  // A login body whose identifier field is not `email` (a user name) takes any identifier the user types.
  signInWith: methodsById('The session API', { password: passwordFlow(signIn, true, (ctx) => readSessionApiSettings(ctx.settings).identifierField !== 'email') }),
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
