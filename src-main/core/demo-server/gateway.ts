import type { IncomingMessage, ServerResponse } from 'node:http';
import { header, sendJson } from './http-util.js';

/** Routes Kong lets through without a key (spec §7). */
const OPEN_AUTH_PATHS = new Set(['/auth/v1/verify', '/auth/v1/callback', '/auth/v1/authorize', '/auth/v1/.well-known/jwks.json']);

export function needsApiKey(pathname: string): boolean {
  if (pathname.startsWith('/rest/v1/') || pathname === '/rest/v1') return true;
  if (!pathname.startsWith('/auth/v1/')) return false;
  return !OPEN_AUTH_PATHS.has(pathname);
}

/**
 * The hosted gateway's `apikey` check, with the hosted bodies (message + hint), which are what
 * users of *.supabase.co actually see. Returns false when it has already answered 401.
 */
export function checkApiKey(req: IncomingMessage, res: ServerResponse, url: URL, anonKey: string): boolean {
  const key = header(req, 'apikey') ?? url.searchParams.get('apikey') ?? undefined;
  if (key === undefined || key === '') {
    sendJson(
      res,
      401,
      { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' },
      { 'WWW-Authenticate': 'Key realm="kong"' },
    );
    return false;
  }
  if (key !== anonKey) {
    sendJson(res, 401, { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' });
    return false;
  }
  return true;
}
