import { TokenDeskError } from '../../errors.js';
import { describeBody, joinUrl, safeServerText } from '../../http/body.js';
import type { HttpResponse } from '../../http/types.js';
import { serverMessage } from '../session-api/errors.js';
import type { ProviderContext, SessionCheck, StoredSession } from '../types.js';
import { DEFAULT_CHECK_TIMEOUT_MS } from '../types.js';
import { checkPathOf, tokenHeader } from './settings.js';

/** GET the environment's check path with the token in its header. Transport failures throw (TokenDeskError). */
export function getCheckPath(ctx: ProviderContext, path: string, token: string, timeoutMs?: number): Promise<HttpResponse> {
  const h = tokenHeader(ctx.settings, token);
  return ctx.http.request({ method: 'GET', url: joinUrl(ctx.baseUrl, path), headers: { [h.name]: h.value }, ...(timeoutMs !== undefined && { timeoutMs }) });
}

/** The API's own words for a non-2xx answer (GitHub/GitLab `{"message": …}` and the like), token cut out. */
export function saidBy(res: HttpResponse, token: string): string | undefined {
  return safeServerText(serverMessage(res.json), [token]);
}

/**
 * Asks the check path whether the token is still accepted. A 401/403 is a refusal only with the API's
 * own JSON error (as the session API's check.ts judges it): a proxy's HTML page says nothing about the
 * token. No refresh grant stands behind a pasted token, so a refusal is never `tokenOnly`.
 */
export async function checkSession(ctx: ProviderContext, session: StoredSession, opts: { timeoutMs?: number } = {}): Promise<SessionCheck> {
  const path = checkPathOf(ctx);
  if (!path) return { outcome: 'unknown', reason: 'this environment has no check path to ask' };
  let res;
  try {
    res = await getCheckPath(ctx, path, session.accessToken, opts.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS);
  } catch (e) {
    return { outcome: 'unknown', reason: e instanceof TokenDeskError ? e.message : 'the request failed' };
  }
  const said = saidBy(res, session.accessToken);
  if (res.status >= 200 && res.status < 300) return { outcome: 'accepted' };
  if ((res.status === 401 || res.status === 403) && said !== undefined && res.json !== undefined) {
    return { outcome: 'refused', reason: said, status: res.status, tokenOnly: false };
  }
  if (res.status === 401 || res.status === 403) {
    return { outcome: 'unknown', reason: `the API answered ${res.status} at ${path} with ${describeBody(res)}, not its own error` };
  }
  return { outcome: 'unknown', reason: `the API answered ${res.status} at ${path}${said ? `: ${said}` : ''}` };
}
