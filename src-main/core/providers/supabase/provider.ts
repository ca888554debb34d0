import { TokenDeskError } from '../../errors.js';
import { parseBody } from '../../http/body.js';
import type { HttpResponse } from '../../http/types.js';
import type {
  AuthProvider,
  PasswordGrant,
  Credentials,
  Profile,
  ProviderContext,
  SignUpResult,
  StoredSession,
} from '../types.js';
import { supabaseErrorFromResponse, type SupabaseOperation } from './errors.js';
import { expiryFromLifetime } from '../lifetime.js';
import { parseTokenAnswer } from '../token-syntax.js';
import { profileFromUser } from './profile.js';
import { tokenResponseSchema, userSchema, type TokenResponse } from './schemas.js';
import { checkSession } from './check.js';
import { anonKeyOf, authUrl, headers } from './request.js';
import { methodsById, passwordFlow } from '../password-method.js';
import { explainSpentRefreshToken } from './spent-token.js';
import { browserSessionFlow } from './browser-session.js';

/**
 * Supabase Auth (GoTrue) behind its gateway, as supabase-js talks to it
 * (../shared/docs/supabase-auth-api.md §1-3, §7): every call carries `apikey: <anon key>` and
 * `X-Supabase-Api-Version: 2024-01-01`, so current servers answer errors in the string-code shape.
 */

export { SUPABASE_API_VERSION } from './request.js';

const ok = (res: HttpResponse): boolean => res.status >= 200 && res.status < 300;

function fail(op: SupabaseOperation, res: HttpResponse, ctx: ProviderContext, secrets: Array<string | undefined>): never {
  throw supabaseErrorFromResponse(op, res, [...secrets, anonKeyOf(ctx)]);
}

/**
 * Expiry from the local clock at receipt (`expires_in`); the server's `expires_at` may be skewed.
 * An absurd `expires_in` is refused (too short) or clamped (too long): see lifetime.ts.
 */
function toSession(body: TokenResponse, receivedAt: number, status: number): StoredSession {
  return {
    provider: 'supabase',
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    obtainedAt: receivedAt,
    expiresAt: expiryFromLifetime(receivedAt, body.expires_in * 1000, `expires_in: ${body.expires_in}`, status),
    profile: profileFromUser(body.user, body.access_token),
  };
}

async function signIn(ctx: ProviderContext, creds: Credentials): Promise<StoredSession> {
  const res = await ctx.http.request({
    method: 'POST',
    url: authUrl(ctx.baseUrl, '/token?grant_type=password'),
    headers: headers(ctx),
    body: { email: creds.email, password: creds.password },
  });
  const receivedAt = ctx.now();
  if (!ok(res)) fail('sign-in', res, ctx, [creds.password]);
  return toSession(parseTokenAnswer(res, tokenResponseSchema, 'sign-in'), receivedAt, res.status);
}

async function signUp(ctx: ProviderContext, creds: Credentials, data?: Record<string, unknown>): Promise<SignUpResult> {
  const res = await ctx.http.request({
    method: 'POST',
    url: authUrl(ctx.baseUrl, '/signup'),
    headers: headers(ctx),
    body: { email: creds.email, password: creds.password, data: data ?? {} },
  });
  const receivedAt = ctx.now();
  if (!ok(res)) fail('sign-up', res, ctx, [creds.password]);
  // Autoconfirm on: a session. Confirmations on: the bare user (supabase-js reads `data.user ?? data`).
  const json = res.json;
  if (json && typeof json === 'object' && 'access_token' in json) {
    return { kind: 'session', session: toSession(parseTokenAnswer(res, tokenResponseSchema, 'sign-up'), receivedAt, res.status) };
  }
  const wrapped = json && typeof json === 'object' && 'user' in json ? { ...res, json: (json as { user: unknown }).user } : res;
  const user = parseBody(wrapped, userSchema, 'sign-up');
  return { kind: 'confirmation_sent', email: user.email || creds.email, userId: user.id };
}

async function refresh(ctx: ProviderContext, session: StoredSession): Promise<StoredSession> {
  if (!session.refreshToken) {
    throw new TokenDeskError('refresh_rejected', 'This session has no refresh token; sign in again');
  }
  const res = await ctx.http.request({
    method: 'POST',
    url: authUrl(ctx.baseUrl, '/token?grant_type=refresh_token'),
    headers: headers(ctx),
    body: { refresh_token: session.refreshToken },
  });
  const receivedAt = ctx.now();
  if (!ok(res)) fail('refresh', res, ctx, [session.refreshToken, session.accessToken]);
  // The answer carries the rotated refresh token; the caller stores both tokens together.
  const next = toSession(parseTokenAnswer(res, tokenResponseSchema, 'refresh'), receivedAt, res.status);
  // A refresh answered for another user would put someone else's tokens under this identity.
  if (session.profile.userId && next.profile.userId !== session.profile.userId) {
    throw new TokenDeskError('bad_response', 'The server answered the refresh with a session of another user; nothing was stored', {
      status: res.status,
    });
  }
  return next;
}

async function fetchProfile(ctx: ProviderContext, session: StoredSession): Promise<Profile> {
  const res = await ctx.http.request({
    method: 'GET',
    url: authUrl(ctx.baseUrl, '/user'),
    headers: headers(ctx, session.accessToken),
  });
  if (!ok(res)) fail('profile', res, ctx, [session.accessToken, session.refreshToken]);
  return profileFromUser(parseBody(res, userSchema, 'the profile request'), session.accessToken);
}

/** GoTrue's logout scopes (../shared/docs/supabase-auth-api.md): TokenDesk ends this session only, `local`. */
export type LogoutScope = 'local' | 'global' | 'others';

async function signOut(ctx: ProviderContext, session: StoredSession, scope: LogoutScope = 'local'): Promise<void> {
  const res = await ctx.http.request({
    method: 'POST',
    url: authUrl(ctx.baseUrl, `/logout?scope=${encodeURIComponent(scope)}`),
    headers: headers(ctx, session.accessToken),
  });
  if (ok(res)) return;
  // Like supabase-js: 401/403/404 mean the session is already gone server-side, which is the goal.
  if (res.status === 401 || res.status === 403 || res.status === 404) {
    // ...unless it is the gateway refusing our anon key: then nothing was signed out.
    const e = supabaseErrorFromResponse('sign-out', res, [session.accessToken, anonKeyOf(ctx)]);
    if (e.code === 'gateway_rejected') throw e;
    return;
  }
  fail('sign-out', res, ctx, [session.accessToken, session.refreshToken]);
}

/** `signIn` is the password grant its password method runs (kept on the object for the provider's own tests). */
export const supabaseProvider: AuthProvider & PasswordGrant & { signOut(ctx: ProviderContext, session: StoredSession, scope?: LogoutScope): Promise<void> } = {
  kind: 'supabase',
  canRefresh: true,
  canSignUp: true,
  signIn,
  signInWith: methodsById('Supabase', { password: passwordFlow(signIn, false), 'browser-session': browserSessionFlow(refresh) }),
  signUp,
  refresh,
  fetchProfile,
  signOut,
  checkSession,
  explainRefreshFailure: explainSpentRefreshToken,
};
