import { TokenDeskError } from '../../errors.js';
import { describeBody, safeServerText } from '../../http/body.js';
import type { ProviderContext, SessionCheck, StoredSession } from '../types.js';
import { DEFAULT_CHECK_TIMEOUT_MS } from '../types.js';
import { parseGoTrueError } from './errors.js';
import { anonKeyOf, authUrl, headers } from './request.js';
import { userSchema } from './schemas.js';

/**
 * GoTrue's `requireAuthentication` codes (../shared/docs/supabase-auth-api.md §3.1), split by what they say:
 * the session or its user is gone (a refresh cannot bring it back: the session's refresh tokens are
 * deleted with it, §1.3), or only this access token was refused (bad signature, expired, malformed),
 * which a refresh may cure when the session itself lives on.
 */
const SESSION_GONE = new Set(['session_not_found', 'user_not_found', 'user_banned']);
const TOKEN_REFUSED = new Set(['bad_jwt', 'no_authorization']);

/** `GET /auth/v1/user` with the apikey and the access token, as supabase-js `getUser()` asks (§3.2). */
export async function checkSession(ctx: ProviderContext, session: StoredSession, opts: { timeoutMs?: number } = {}): Promise<SessionCheck> {
  let res;
  try {
    res = await ctx.http.request({
      method: 'GET',
      url: authUrl(ctx.baseUrl, '/user'),
      headers: headers(ctx, session.accessToken),
      timeoutMs: opts.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    });
  } catch (e) {
    // DNS, refused, timeout, TLS: no answer is not a refusal.
    return { outcome: 'unknown', reason: e instanceof TokenDeskError ? e.message : 'the request failed' };
  }
  const secrets = [session.accessToken, session.refreshToken, anonKeyOf(ctx)];
  if (res.status >= 200 && res.status < 300) {
    const user = userSchema.safeParse(res.json);
    if (!user.success) return { outcome: 'unknown', reason: `the server answered ${res.status} without a user` };
    // Another user's answer would be a server (or proxy) mix-up, not an acceptance of this session.
    if (session.profile.userId && user.data.id !== session.profile.userId) {
      return { outcome: 'unknown', reason: 'the server answered with another user' };
    }
    return { outcome: 'accepted' };
  }
  // Only GoTrue itself can refuse a session: a proxy, captive portal or firewall answering 401/403
  // (an HTML page, plain text) between us and the server says nothing about it.
  if (!isGoTrueErrorBody(res.json)) {
    return { outcome: 'unknown', reason: `the server answered ${res.status} with ${describeBody(res)}, not an answer of the auth server itself` };
  }
  const e = parseGoTrueError(res.status, res.headers, res.json);
  const said = safeServerText(e.message, secrets);
  // The gateway refusing the anon key says nothing about the session.
  if (e.gateway) return { outcome: 'unknown', reason: `the gateway refused the request${said ? `: ${said}` : ''} (check the anon key)` };
  const code = e.code;
  const refused = (tokenOnly: boolean): SessionCheck => ({
    outcome: 'refused',
    reason: said ?? `answered ${res.status}`,
    ...(code && { serverCode: code }),
    status: res.status,
    tokenOnly,
  });
  if (code && SESSION_GONE.has(code)) return refused(false);
  if (code && TOKEN_REFUSED.has(code)) return refused(true);
  // Before v2.145 a refused JWT was a bare 401 {code:401, msg:"invalid JWT: ..."} (§3.1 history):
  // GoTrue-shaped JSON (checked above) without an error code.
  if (!code && (res.status === 401 || res.status === 403)) return refused(true);
  return { outcome: 'unknown', reason: `the server answered ${res.status}${said ? `: ${said}` : ''}` };
}

/**
 * The body of a GoTrue error answer (../shared/docs/supabase-auth-api.md §4): a JSON object carrying GoTrue's
 * own fields, a string `code`/`error_code` (today's shapes), a numeric `code` with `msg` (before
 * v2.145), or an older server's `msg`/`message`/`error` text. Anything else is not GoTrue talking.
 */
export function isGoTrueErrorBody(json: unknown): boolean {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return false;
  const d = json as Record<string, unknown>;
  const text = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';
  return text(d.error_code) || text(d.code) || text(d.msg) || text(d.message) || text(d.error);
}

