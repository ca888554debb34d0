import type { CustomFetch } from 'openid-client';
import { TokenDeskError } from '../../errors.js';
import type { HttpClient } from '../../http/types.js';

/** Statuses a fetch Response may not carry a body with (Fetch standard, "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  // A stream body is only used for DPoP/JAR uploads, which TokenDesk does not use.
  throw new TokenDeskError('unsupported', 'The OpenID client tried to send a streamed body');
}

/**
 * openid-client's `customFetch` (https://github.com/panva/openid-client/blob/main/docs/variables/customFetch.md)
 * through the project's HTTP client (core/http/client.ts), so every request to the OpenID provider keeps
 * its rules: overall deadline, 2 MiB answer limit, same-origin redirects only, the proxy from the
 * environment, the flow's cancel signal (ctx.http carries it). openid-client's own timeout signal is
 * not passed on: our deadline covers it, and its abort would read as a cancelled sign-in. Only GET and
 * POST are used by the grants TokenDesk runs (discovery, token, device, userinfo, revocation).
 */
export function fetchThrough(http: HttpClient): CustomFetch {
  return async (url, options) => {
    const method = options.method.toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new TokenDeskError('unsupported', `The OpenID client tried an HTTP ${method.slice(0, 10)} request`);
    const rawBody = bodyText(options.body);
    const res = await http.request({ method, url, headers: { ...options.headers }, ...(rawBody !== undefined && { rawBody }) });
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) headers.set(k, v);
    return new Response(NULL_BODY.has(res.status) ? null : res.text, { status: res.status, headers });
  };
}
