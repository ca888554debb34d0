import type { IncomingMessage, ServerResponse } from 'node:http';
import { header, sendJson } from './http-util.js';

/** A GoTrue HTTPError: status + error_code + msg (+ extra fields such as weak_password). */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** `DetermineClosestAPIVersion`: any parsable date ≥ 2024-01-01 maps to 2024-01-01. */
function usesApiVersion2024(req: IncomingMessage): boolean {
  const v = header(req, 'x-supabase-api-version');
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) return false;
  return v >= '2024-01-01';
}

/**
 * Writes one of GoTrue's error shapes (spec §4):
 * - `X-Demo-Legacy-Errors: 1` on /token → pre-v2.159 OAuth shape, always 400, no x-sb-error-code;
 * - `X-Supabase-Api-Version` ≥ 2024-01-01 → {code:"<str>", message} and the header echoed;
 * - otherwise → {code:<int>, error_code, msg}.
 */
export function sendAuthError(req: IncomingMessage, res: ServerResponse, err: AuthError, opts: { tokenRoute?: boolean } = {}): void {
  if (opts.tokenRoute && header(req, 'x-demo-legacy-errors') === '1' && err.status === 400) {
    const body =
      err.message === 'unsupported_grant_type'
        ? { error: 'unsupported_grant_type' }
        : { error: 'invalid_grant', error_description: err.message };
    sendJson(res, 400, body);
    return;
  }
  const headers: Record<string, string> = { 'x-sb-error-code': err.code };
  if (usesApiVersion2024(req)) {
    headers['X-Supabase-Api-Version'] = '2024-01-01';
    sendJson(res, err.status, { code: err.code, message: err.message, ...err.extra }, headers);
  } else {
    sendJson(res, err.status, { code: err.status, error_code: err.code, msg: err.message, ...err.extra }, headers);
  }
}
