import type { z } from 'zod';
import { TokenDeskError } from '../errors.js';
import type { HttpResponse } from './types.js';
import { sanitizeForDisplay } from '../text/sanitize.js';
import { TOO_DEEP_TEXT } from '../text/parse-json.js';
import { describeIssue } from '../../contract/issues.js';

/**
 * Helpers the providers share to turn a server answer into a typed value or a specific
 * `bad_response`, without ever echoing the body (it may hold tokens).
 */

/** Gateways and CDNs answer these with HTML while the backend is down or restarting (auth-js B list). */
export function isRetryableStatus(status: number): boolean {
  return (status >= 500 && status <= 504) || (status >= 520 && status <= 530);
}

function looksLikeHtml(res: HttpResponse): boolean {
  const type = res.headers['content-type'] ?? '';
  return /html/i.test(type) || /^\s*<(!doctype|html|head|body|\?xml|[a-z])/i.test(res.text);
}

/**
 * What came instead of a server's JSON error, in a few words (never the body itself: it may hold
 * anything), for a session check that got an answer from something other than the auth server.
 */
export function describeBody(res: HttpResponse): string {
  if (res.text.trim() === '') return 'an empty body';
  if (looksLikeHtml(res)) return 'an HTML page';
  return res.json === undefined ? 'a non-JSON body' : 'JSON in another format';
}

/** A `bad_response` for an answer that is not JSON at all; retryable when the status is a gateway 5xx. */
export function nonJsonError(res: HttpResponse): TokenDeskError {
  const what = res.jsonTooDeep
    ? `JSON ${TOO_DEEP_TEXT}`
    : `${res.text.trim() === '' ? 'an empty body' : looksLikeHtml(res) ? 'an HTML page' : 'a non-JSON body'} instead of JSON`;
  return new TokenDeskError('bad_response', `The server answered ${res.status} with ${what}`, {
    status: res.status,
    retryable: isRetryableStatus(res.status),
  });
}

/** "access_token: expected string" style summary of at most two issues; zod 4 messages never echo input. */
function answerIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 2)
    .map((i) => describeIssue(i, { rootName: 'body', terse: true }).slice(0, 120))
    .join('; ');
}

/** Validates a 2xx answer against `schema`; `operation` reads like "sign-in" in the message. */
export function parseBody<S extends z.ZodType>(res: HttpResponse, schema: S, operation: string): z.output<S> {
  if (res.json === undefined) throw nonJsonError(res);
  const parsed = schema.safeParse(res.json);
  if (!parsed.success) {
    throw new TokenDeskError(
      'bad_response',
      `The server sent an unexpected answer to ${operation} (${answerIssues(parsed.error)})`,
      { status: res.status },
    );
  }
  return parsed.data;
}

/**
 * A server-provided message made safe to show: one line without escape sequences or control
 * characters (it reaches the renderer, notifications and logs as well as terminals), bounded, and
 * with any secret we sent (password, token, key) cut out in case the server echoed it back.
 */
export function safeServerText(text: unknown, secrets: Array<string | undefined> = []): string | undefined {
  if (typeof text !== 'string') return undefined;
  let out = sanitizeForDisplay(text).trim();
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  }
  if (!out) return undefined;
  return out.length > 200 ? `${out.slice(0, 197)}...` : out;
}

/** Joins a user-entered base URL (trailing slashes tolerated) and an absolute path. */
export function joinUrl(base: string, path: string): string {
  let url: URL;
  try {
    url = new URL(base.trim());
  } catch {
    throw new TokenDeskError('invalid_input', 'The server URL is not a valid http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TokenDeskError('invalid_input', 'The server URL must start with http:// or https://');
  }
  const prefix = url.pathname.replace(/\/+$/, '');
  const [p, query] = path.split('?', 2) as [string, string | undefined];
  url.pathname = prefix + p;
  url.search = query ? `?${query}` : '';
  url.hash = '';
  return url.href;
}
