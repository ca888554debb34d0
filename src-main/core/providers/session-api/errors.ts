import { TokenDeskError } from '../../errors.js';
import { isRetryableStatus, nonJsonError, safeServerText } from '../../http/body.js';
import type { HttpResponse } from '../../http/types.js';

export type SessionApiOperation = 'sign-in' | 'profile' | 'sign-out';

const LABEL: Record<SessionApiOperation, string> = {
  'sign-in': 'Sign-in',
  profile: 'Reading the session',
  'sign-out': 'Sign-out',
};

/** The message a typical Express/Nest/Rails API puts in its error JSON, if any. */
export function serverMessage(json: unknown): unknown {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return typeof json === 'string' ? json : undefined;
  const d = json as Record<string, unknown>;
  const nested = d.error && typeof d.error === 'object' ? (d.error as Record<string, unknown>).message : undefined;
  return [d.message, d.error, nested, d.msg, d.error_description, d.detail].find((v) => typeof v === 'string' && v.trim());
}

/** Maps a non-2xx answer of the session API. `secrets` are cut out of any server text shown. */
export function sessionApiError(
  op: SessionApiOperation,
  res: HttpResponse,
  secrets: Array<string | undefined>,
): TokenDeskError {
  const status = res.status;
  const msg = safeServerText(serverMessage(res.json), secrets);
  const opts = { status };
  if (status === 401 && op === 'sign-in') {
    return new TokenDeskError('invalid_credentials', msg ?? 'Invalid email or password', opts);
  }
  if ((status === 401 || status === 403) && op !== 'sign-in') {
    return new TokenDeskError('session_expired', 'The session token has expired or was revoked', opts);
  }
  if (status === 429) {
    return new TokenDeskError('rate_limited', "The server's rate limit was reached; try again in a few minutes", {
      status,
      retryable: true,
    });
  }
  if (res.json === undefined && (status >= 500 || res.text.trim() !== '')) return nonJsonError(res);
  if (status >= 500) {
    return new TokenDeskError('server_error', `The server failed (${status})${msg ? `: ${msg}` : ''}`, {
      status,
      retryable: isRetryableStatus(status),
    });
  }
  if (status === 404) {
    return new TokenDeskError('auth_error', `${LABEL[op]} failed: the server has no such endpoint (404); check the server URL`, opts);
  }
  return new TokenDeskError('auth_error', `${LABEL[op]} failed${msg ? `: ${msg}` : ` (${status})`}`, opts);
}
