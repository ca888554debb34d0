import { TokenDeskError } from '../../errors.js';
import { joinUrl, parseBody } from '../../http/body.js';
import type { HttpResponse } from '../../http/types.js';
import type { AuthProvider, LogoutScope, Profile, ProviderContext, SignUpResult, StoredSession } from '../types.js';
import { sessionApiError } from './errors.js';
import { profileFromSessionBody } from './profile.js';
import { loginBodySchema, profileBodySchema } from './schemas.js';

/**
 * A session-token API (shared/seeds/003): `POST /api/auth/login` returns an opaque token with an
 * absolute `expiresAt`; `GET /api/auth/session` re-reads the profile. No refresh grant and no sign-up:
 * renewal means signing in again with a remembered password (the session manager's job).
 */

const ok = (res: HttpResponse): boolean => res.status >= 200 && res.status < 300;

/**
 * `expiresAt` is on the server's clock. Its lifetime is measured against the server's own Date
 * header (or, without one, our clock) and re-anchored at our receipt time, so a skewed server clock
 * neither shortens nor stretches the token on our side.
 */
export function localExpiry(expiresAtIso: string, serverDate: number | undefined, receivedAt: number): number {
  const lifetime = Date.parse(expiresAtIso) - (serverDate ?? receivedAt);
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
  const body = parseBody(res, loginBodySchema, 'sign-in');
  const expiresAt = localExpiry(body.expiresAt, res.serverDate, receivedAt);
  if (expiresAt <= receivedAt) {
    throw new TokenDeskError('bad_response', 'The server issued a token that has already expired (expiresAt is in the past)', {
      status: res.status,
    });
  }
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

export const sessionApiProvider: AuthProvider = {
  kind: 'session',
  canRefresh: false,
  canSignUp: false,
  signIn,
  async signUp(): Promise<SignUpResult> {
    throw new TokenDeskError('unsupported', 'This server has no sign-up: create the account on the server itself');
  },
  async refresh(): Promise<StoredSession> {
    throw new TokenDeskError('unsupported', 'This server has no refresh grant: sign in again to renew the session');
  },
  fetchProfile,
  signOut,
};
