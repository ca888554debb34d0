import { TokenDeskError } from '../../errors.js';
import { parseBody } from '../../http/body.js';
import type {
  AuthProvider,
  PasswordGrant,
  Credentials,
  FlowOutcome,
  Profile,
  ProviderContext,
  SignUpResult,
  StoredSession,
} from '../types.js';
import { supabaseErrorFromResponse } from './errors.js';
import { parseTokenAnswer } from '../token-syntax.js';
import { profileFromUser } from './profile.js';
import { tokenResponseSchema, userSchema } from './schemas.js';
import { checkSession } from './check.js';
import { anonKeyOf, authUrl, headers } from './request.js';
import { methodsById } from '../password-method.js';
import type { FlowIO } from '../../flows/types.js';
import { fail, ok, toSession } from './session.js';
import { passwordGrant, passwordMethod } from './password-methods.js';
import { codeMethod } from './code-methods.js';
import { magicLinkMethod, oauthMethod } from './browser-methods.js';
import { explainSpentRefreshToken } from './spent-token.js';
import { browserSessionFlow } from './browser-session.js';

/**
 * Supabase Auth (GoTrue) behind its gateway, as supabase-js talks to it
 * (../shared/docs/supabase-auth-api.md §1-3, §7): every call carries `apikey: <anon key>` and
 * `X-Supabase-Api-Version: 2024-01-01`, so current servers answer errors in the string-code shape.
 */

export { SUPABASE_API_VERSION } from './request.js';

async function signIn(ctx: ProviderContext, creds: Credentials): Promise<StoredSession> {
  return (await passwordGrant(ctx, { email: creds.email }, creds.password)).session;
}

/** Every method of the catalogue's Supabase entry; `oauth:<provider>` is one per social provider the environment lists. */
const byId = methodsById('Supabase', {
  password: passwordMethod('email'),
  otp: codeMethod('email'),
  'magic-link': magicLinkMethod,
  phone: passwordMethod('phone'),
  sms: codeMethod('sms'),
  'browser-session': browserSessionFlow(refresh),
});

function signInWith(method: string, ctx: ProviderContext, io: FlowIO): Promise<FlowOutcome> {
  if (method.startsWith('oauth:')) return oauthMethod(ctx, io, method.slice('oauth:'.length));
  return byId(method, ctx, io);
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
  signInWith,
  signUp,
  refresh,
  fetchProfile,
  signOut,
  checkSession,
  explainRefreshFailure: explainSpentRefreshToken,
};
