import type { ServerResponse } from 'node:http';
import { TokenDeskError, type ErrorCode } from '../errors.js';

/** Codes the endpoint answers with besides the core's own (errors.ts). */
export type EndpointErrorCode = ErrorCode | 'unauthorized' | 'forbidden_host' | 'method_not_allowed' | 'production_not_allowed' | 'out_of_scope' | 'internal_error';

/**
 * Every answer: never cached by anything in between, never sniffed, and no CORS header at all, so a
 * web page cannot read an answer even when a request got through.
 */
const BASE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
} as const;

export function sendText(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: EndpointErrorCode, message: string): void {
  sendJson(res, status, { code, message });
}

/**
 * The HTTP status for a core failure: an ended session or one nobody signed in to is a conflict with
 * the caller's expectation (409, with the reason, never a dead token); a server TokenDesk could not
 * reach is a bad gateway; a keychain that cannot be read makes the endpoint unavailable.
 */
export function statusFor(e: TokenDeskError): number {
  switch (e.code) {
    case 'invalid_input':
      return 400;
    case 'not_found':
      return 404;
    case 'session_expired':
    case 'not_signed_in':
    case 'refresh_rejected':
    case 'invalid_credentials':
    case 'user_banned':
    case 'unsupported':
      return 409;
    case 'network_dns':
    case 'network_refused':
    case 'network_timeout':
    case 'network_tls':
    case 'network_error':
    case 'response_too_large':
    case 'redirect_refused':
    case 'bad_response':
    case 'server_error':
    case 'rate_limited':
    case 'gateway_rejected':
      return 502;
    case 'keychain_unavailable':
    case 'keychain_locked':
    case 'keychain_error':
    case 'vault_unreadable':
    case 'vault_key_missing':
    case 'vault_rolled_back':
    case 'passphrase_wrong':
    case 'passphrase_missing':
    case 'secret_store_mismatch':
    case 'config_locked':
    case 'config_unreadable':
    case 'config_unwritable':
    case 'config_invalid':
      return 503;
    default:
      return 500;
  }
}
