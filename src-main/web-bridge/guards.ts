import { GUARD_OK, type GuardResult } from '../core/http/loopback-guards.js';

/**
 * The bridge's guards as pure functions. The bridge listens on 127.0.0.1 only, but any web page the
 * user visits can still send requests to it: the secret stops blind requests, the Host check stops
 * DNS rebinding, the Origin check and the JSON-only rule stop cross-site requests. The secret and
 * Host checks are shared with the credential endpoint (core/http/loopback-guards.ts).
 */
export { checkHost, checkSecret, type GuardResult } from '../core/http/loopback-guards.js';

const OK: GuardResult = GUARD_OK;

/** When a browser says where the request comes from, it must be the bridge's own page. */
export function checkOrigin(origin: string | undefined, host: string | undefined): GuardResult {
  if (origin === undefined) return OK;
  if (origin === `http://${(host ?? '').toLowerCase()}`) return OK;
  return { ok: false, status: 403, message: 'Forbidden origin' };
}

/** Fetch metadata, where the browser sends it: anything but same-origin or a typed URL is refused. */
export function checkFetchSite(site: string | undefined): GuardResult {
  if (site === undefined || site === 'same-origin' || site === 'none') return OK;
  return { ok: false, status: 403, message: 'Cross-site request refused' };
}

/**
 * Calls are POSTs with a JSON body: an HTML form (another site's "simple request") can only send
 * form or text/plain bodies, and a cross-origin fetch with JSON needs a preflight we never answer.
 */
export function checkCallRequest(method: string | undefined, contentType: string | undefined): GuardResult {
  if (method !== 'POST') return { ok: false, status: 405, message: 'Use POST' };
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') return { ok: false, status: 415, message: 'Content-Type must be application/json' };
  return OK;
}

/** importPostman takes up to 5 MB of text, which JSON escaping can grow: the cap leaves room. */
export const MAX_CALL_BODY_BYTES = 12 * 1024 * 1024;

export function checkBodySize(contentLength: string | undefined, limit = MAX_CALL_BODY_BYTES): GuardResult {
  if (contentLength === undefined) return OK; // chunked: counted while reading
  const n = Number(contentLength);
  if (!Number.isFinite(n) || n < 0) return { ok: false, status: 400, message: 'Bad Content-Length' };
  return n > limit ? { ok: false, status: 413, message: 'Request too large' } : OK;
}

/** Runs guards in order and returns the first refusal. */
export function firstFailure(...results: GuardResult[]): GuardResult {
  return results.find((r) => !r.ok) ?? OK;
}
