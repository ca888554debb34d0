export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON when present. */
  body?: unknown;
  /**
   * Sent as is instead of `body` (an OAuth form body, RFC 6749 §4.1.3: application/x-www-form-urlencoded);
   * the caller gives its Content-Type.
   */
  rawBody?: string;
  timeoutMs?: number;
  /**
   * False: a redirect is answered as it is (its status and Location), not followed. For a request that
   * asks where the server would send a browser (GoTrue's /authorize), not for the page there.
   */
  followRedirects?: false;
  /** Cancels the request (a sign-in flow the user cancelled or that timed out): it fails with `flow_cancelled`. */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The body parsed as JSON, or undefined when it was empty or not JSON. */
  json: unknown;
  /** Set when the body is JSON but nested deeper than core/text/parse-json.ts allows (json is then undefined). */
  jsonTooDeep?: true;
  /** The raw body text (bounded by the size limit). */
  text: string;
  /** The request's Date header from the server, parsed, when present (for clock-skew correction). */
  serverDate?: number;
}

/**
 * Resolves with any HTTP status (callers map statuses to errors) and throws TokenDeskError only for
 * transport failures: DNS, refused, timeout, TLS, body too large, cross-origin redirect.
 */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}
