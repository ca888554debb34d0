import { TokenDeskError } from '../../errors.js';
import { describeBody, joinUrl, safeServerText } from '../../http/body.js';
import type { ProviderContext, SessionCheck, StoredSession } from '../types.js';
import { DEFAULT_CHECK_TIMEOUT_MS } from '../types.js';
import { serverMessage } from './errors.js';
import { profileBodySchema } from './schemas.js';

/**
 * `GET /api/auth/session` with the session token (seed 003, ../shared/seeds/003_87ca82e3d9a95bc1.txt):
 * the API's own answer to "is this token still a session?". 401/403 with the API's JSON error is a
 * refusal (an opaque token has no "token only" case: there is no refresh grant behind it); anything else
 * that is not a 2xx is no answer to go by.
 */
export async function checkSession(ctx: ProviderContext, session: StoredSession, opts: { timeoutMs?: number } = {}): Promise<SessionCheck> {
  let res;
  try {
    res = await ctx.http.request({
      method: 'GET',
      url: joinUrl(ctx.baseUrl, '/api/auth/session'),
      headers: { Authorization: `Bearer ${session.accessToken}` },
      timeoutMs: opts.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    });
  } catch (e) {
    return { outcome: 'unknown', reason: e instanceof TokenDeskError ? e.message : 'the request failed' };
  }
  const said = safeServerText(serverMessage(res.json), [session.accessToken]);
  if (res.status >= 200 && res.status < 300) {
    const body = profileBodySchema.safeParse(res.json);
    if (!body.success) return { outcome: 'unknown', reason: `the server answered ${res.status} without a session` };
    if (session.profile.userId && body.data.id !== session.profile.userId) return { outcome: 'unknown', reason: 'the server answered with another user' };
    return { outcome: 'accepted' };
  }
  // A refusal is the API's own JSON error ({"message": "..."}, seed 003 / the demo server); a 401/403
  // HTML page or text comes from a proxy, captive portal or firewall and says nothing about the session.
  if ((res.status === 401 || res.status === 403) && isApiErrorBody(res.json)) {
    return { outcome: 'refused', reason: said ?? `answered ${res.status}`, status: res.status, tokenOnly: false };
  }
  if (res.status === 401 || res.status === 403) {
    return { outcome: 'unknown', reason: `the server answered ${res.status} with ${describeBody(res)}, not the API's own error` };
  }
  return { outcome: 'unknown', reason: `the server answered ${res.status}${said ? `: ${said}` : ''}` };
}

/** A JSON object with an error message where a typical API puts one (errors.ts `serverMessage`). */
function isApiErrorBody(json: unknown): boolean {
  return !!json && typeof json === 'object' && !Array.isArray(json) && serverMessage(json) !== undefined;
}
