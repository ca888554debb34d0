import type { HttpClient } from './types.js';

/** The client with `signal` on every request: a sign-in flow's requests end when it is cancelled. */
export function withSignal(http: HttpClient, signal: AbortSignal | undefined): HttpClient {
  if (!signal) return http;
  return { request: (req) => http.request({ ...req, signal: req.signal ?? signal }) };
}
