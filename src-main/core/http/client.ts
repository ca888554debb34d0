import type { AxiosInstance, AxiosResponse, RawAxiosRequestHeaders } from 'axios';
import { TokenDeskError } from '../errors.js';
import type { HttpClient, HttpRequest, HttpResponse } from './types.js';
import { mapTransportError } from './transport-errors.js';
import { parseJson } from '../text/parse-json.js';

/**
 * The one HTTP client the providers use (axios, Node http adapter).
 *
 * - Any status resolves (`validateStatus: () => true`); only transport failures throw TokenDeskError.
 * - The body is read as text and parsed here, so HTML error pages and other non-JSON answers reach the
 *   caller as `{ json: undefined, text }` instead of an axios parse error.
 * - Size limit on the answer (`maxContentLength`, default 2 MiB) and on what we send (`maxBodyLength`).
 * - Two clocks: axios' `timeout` (socket idle) and an overall deadline on an AbortSignal that also
 *   stops a server that keeps the body open or trickles it a byte at a time.
 * - Redirects: at most 3, same origin only. A redirect to another origin is refused *before* it is
 *   followed, because our credentials (`apikey`, `Authorization`, the password in a POST body) must
 *   never reach another host; follow-redirects would strip `Authorization` but not `apikey`.
 * - Proxy: axios reads HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the environment (proxy-from-env), which
 *   is how a corporate proxy is honoured. Loopback hosts (the demo server) always go direct.
 * - Error messages name the origin and a system code at most; never a header, body, path or query.
 */

export interface HttpClientOptions {
  /** Overall deadline per request, including reading the whole body. Default 15 000 ms. */
  timeoutMs?: number;
  /** Largest answer accepted. Default 2 MiB. */
  maxBodyBytes?: number;
  userAgent?: string;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
export const MAX_REDIRECTS = 3;
/** Our requests are small JSON documents; anything bigger is a bug. */
const MAX_REQUEST_BYTES = 1024 * 1024;
const DEFAULT_USER_AGENT = 'TokenDesk/0.1';

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TokenDeskError('invalid_input', 'The server URL is not a valid http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TokenDeskError('invalid_input', 'The server URL must start with http:// or https://');
  }
  return url;
}

function headerRecord(res: AxiosResponse): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = res.headers as unknown as { toJSON?: () => Record<string, unknown> };
  const obj: Record<string, unknown> = typeof raw.toJSON === 'function' ? raw.toJSON() : (raw as Record<string, unknown>);
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.map(String).join(', ') : String(v);
  }
  return out;
}

function bodyText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data === undefined || data === null) return '';
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return String(data);
}

/** JSON when the body parses as JSON, whatever the content type says; undefined otherwise. */
export function parseJsonBody(text: string): unknown {
  return readJsonBody(text).json;
}

/** The body as JSON, or why not: too deep is told apart so the error can say so. */
function readJsonBody(text: string): Pick<HttpResponse, 'json' | 'jsonTooDeep'> {
  const trimmed = text.trim();
  if (!trimmed) return { json: undefined };
  const parsed = parseJson(trimmed);
  if (parsed.ok) return { json: parsed.value };
  return parsed.problem === 'too_deep' ? { json: undefined, jsonTooDeep: true } : { json: undefined };
}

function parseDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

/** The error a request cancelled by its caller fails with: the signal's own reason when it is one of ours. */
function cancelledRequest(signal: AbortSignal): TokenDeskError {
  return signal.reason instanceof TokenDeskError ? signal.reason : new TokenDeskError('flow_cancelled', 'The request was cancelled');
}

export function createHttpClient(opts: HttpClientOptions = {}): HttpClient {
  const defaultTimeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  // axios is loaded on the first request, not at start-up: `tokendesk token` on a fresh session
  // never makes one, and loading axios costs more than a bare Node start.
  let instance: Promise<AxiosInstance> | undefined;
  const getInstance = () => (instance ??= import('axios').then((m) => m.default.create()));

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const target = parseTarget(req.url);
    const origin = target.origin;
    const timeoutMs = req.timeoutMs ?? defaultTimeout;

    const headers: RawAxiosRequestHeaders = { Accept: 'application/json', 'User-Agent': userAgent };
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k] = v;
    let data: string | undefined;
    if (req.rawBody !== undefined) data = req.rawBody;
    else if (req.body !== undefined) {
      data = JSON.stringify(req.body);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
        headers['Content-Type'] = 'application/json';
      }
    }

    const controller = new AbortController();
    let deadlineHit = false;
    // The caller's signal (a cancelled sign-in) aborts the request too; its listener goes with the request.
    const callerAbort = () => controller.abort();
    if (req.signal?.aborted) throw cancelledRequest(req.signal);
    req.signal?.addEventListener('abort', callerAbort, { once: true });
    const deadline = setTimeout(() => {
      deadlineHit = true;
      controller.abort();
    }, timeoutMs);
    let refusedRedirect: 'cross_origin' | undefined;

    try {
      const res = await (await getInstance()).request({
        method: req.method,
        url: target.href,
        headers,
        data,
        responseType: 'text',
        responseEncoding: 'utf8',
        // Keep the raw text: we parse it ourselves so a non-JSON body is not an exception.
        transformResponse: [(d: unknown) => d],
        validateStatus: () => true,
        timeout: timeoutMs,
        signal: controller.signal,
        maxContentLength: maxBodyBytes,
        maxBodyLength: MAX_REQUEST_BYTES,
        maxRedirects: req.followRedirects === false ? 0 : MAX_REDIRECTS,
        // Runs before a redirect is followed; throwing aborts it, so nothing reaches the other host.
        beforeRedirect: (options: Record<string, unknown>) => {
          let next: string | undefined;
          try {
            next = new URL(String(options.href)).origin;
          } catch {
            next = undefined;
          }
          if (next !== origin) {
            refusedRedirect = 'cross_origin';
            throw new Error('cross-origin redirect refused');
          }
        },
        ...(isLoopback(target.hostname) ? { proxy: false as const } : {}),
      });
      const text = bodyText(res.data);
      const resHeaders = headerRecord(res);
      const out: HttpResponse = { status: res.status, headers: resHeaders, ...readJsonBody(text), text };
      const serverDate = parseDate(resHeaders['date']);
      if (serverDate !== undefined) out.serverDate = serverDate;
      return out;
    } catch (e) {
      if (refusedRedirect) {
        throw new TokenDeskError(
          'redirect_refused',
          `${origin} redirected to another site; the request was not followed so no credentials were sent there`,
        );
      }
      if (e instanceof TokenDeskError) throw e;
      if (req.signal?.aborted && !deadlineHit) throw cancelledRequest(req.signal);
      if (/FR_TOO_MANY_REDIRECTS|Maximum number of redirects/i.test(codeOrMessage(e))) {
        throw new TokenDeskError('redirect_refused', `${origin} redirected more than ${MAX_REDIRECTS} times`);
      }
      throw mapTransportError(e, { origin, host: target.hostname, timeoutMs, maxBodyBytes, deadlineHit });
    } finally {
      clearTimeout(deadline);
      req.signal?.removeEventListener('abort', callerAbort);
    }
  }

  return { request };
}

function codeOrMessage(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const { code, message } = cur as { code?: unknown; message?: unknown };
    if (typeof code === 'string') parts.push(code);
    if (typeof message === 'string') parts.push(message);
    cur = (cur as { cause?: unknown }).cause;
  }
  return parts.join(' ');
}
