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

/** GoTrue's OAuthError: `{error, error_description}`, always 400, no error code header. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description || error);
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
 * - an OAuthError → `{error, error_description}`, 400, no x-sb-error-code;
 * - `X-Supabase-Api-Version` ≥ 2024-01-01 → {code:"<str>", message} and the header echoed;
 * - otherwise → {code:<int>, error_code, msg}.
 * `legacy` plays v2.158, which had no x-sb-error-code header (added in v2.161, ed91c59a). The
 * 2024-01-01 weak_password answer has none either (`handleResponseErrorWeakPassword`).
 */
export function sendAuthError(req: IncomingMessage, res: ServerResponse, err: AuthError | OAuthError, legacy = false): void {
  if (err instanceof OAuthError) {
    sendJson(res, 400, err.description ? { error: err.error, error_description: err.description } : { error: err.error });
    return;
  }
  const headers: Record<string, string> = {};
  const v2024 = usesApiVersion2024(req);
  if (!legacy && !(v2024 && err.code === 'weak_password')) headers['x-sb-error-code'] = err.code;
  if (v2024) {
    headers['X-Supabase-Api-Version'] = '2024-01-01';
    sendJson(res, err.status, { code: err.code, message: err.message, ...err.extra }, headers);
  } else {
    sendJson(res, err.status, { code: err.status, error_code: err.code, msg: err.message, ...err.extra }, headers);
  }
}

/** `generateFrequencyLimitErrorMessage`: whole seconds left, truncated as Go's Duration division does. */
export function frequencyLimitMessage(sentAtMs: number, frequencySeconds: number, nowMs: number): string {
  const left = Math.trunc((sentAtMs + frequencySeconds * 1000 - nowMs) / 1000);
  return `For security purposes, you can only request this after ${left} seconds.`;
}

/** `validateSentWithinFrequencyLimit` (email) and its SMS twin in sendPhoneConfirmation. */
export function checkFrequency(sentAtIso: string | undefined, frequencySeconds: number, nowMs: number, code: 'over_email_send_rate_limit' | 'over_sms_send_rate_limit'): void {
  if (sentAtIso === undefined) return;
  const sentAt = Date.parse(sentAtIso);
  if (sentAt + frequencySeconds * 1000 > nowMs) throw new AuthError(429, code, frequencyLimitMessage(sentAt, frequencySeconds, nowMs));
}
