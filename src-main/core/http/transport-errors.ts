import { TokenDeskError } from '../errors.js';

/**
 * Maps a failed axios request to a TokenDeskError. Only the system error code, the host and the origin
 * are ever copied into the message: axios errors carry the request config (headers with tokens and
 * keys, the JSON body with a password), so the original error is never attached as `cause`.
 */

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_CRL',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

export function isTlsCode(code: string): boolean {
  return (
    TLS_CODES.has(code) ||
    code.startsWith('CERT_') ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('UNABLE_TO_VERIFY')
  );
}

/** The system / library error codes found on an error and its causes (axios wraps Node's errors). */
export function errorCodes(e: unknown): string[] {
  const codes: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code) codes.push(code);
    // AggregateError (happy eyeballs: one error per address) keeps the real ones in `errors`.
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const sub of errors) codes.push(...errorCodes(sub));
    cur = (cur as { cause?: unknown }).cause;
  }
  return codes;
}

function isTooLarge(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : '';
  return /maxContentLength/i.test(msg);
}

export interface TransportContext {
  origin: string;
  host: string;
  timeoutMs: number;
  maxBodyBytes: number;
  /** Our own deadline fired (the abort then surfaces as ERR_CANCELED). */
  deadlineHit: boolean;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function mapTransportError(e: unknown, ctx: TransportContext): TokenDeskError {
  const codes = errorCodes(e);
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  const { origin, host } = ctx;

  if (ctx.deadlineHit || has('ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT')) {
    return new TokenDeskError(
      'network_timeout',
      `${origin} did not answer within ${formatSeconds(ctx.timeoutMs)}`,
      { retryable: true },
    );
  }
  if (has('ERR_BAD_RESPONSE') && isTooLarge(e)) {
    return new TokenDeskError(
      'response_too_large',
      `The answer from ${origin} was larger than the ${formatBytes(ctx.maxBodyBytes)} limit`,
    );
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA')) {
    return new TokenDeskError('network_dns', `Could not resolve host ${host}`, { retryable: true });
  }
  if (has('ECONNREFUSED')) {
    return new TokenDeskError('network_refused', `Connection refused by ${origin}`, { retryable: true });
  }
  const tls = codes.find(isTlsCode);
  if (tls) {
    // Not retryable: a certificate problem does not go away by itself.
    return new TokenDeskError('network_tls', `Secure connection to ${origin} failed (${tls})`);
  }
  if (has('ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE')) {
    return new TokenDeskError('network_error', `The connection to ${origin} was closed unexpectedly`, {
      retryable: true,
    });
  }
  if (has('EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN')) {
    return new TokenDeskError('network_error', `${origin} is unreachable from this network`, { retryable: true });
  }
  const code = codes.find((c) => /^[A-Z0-9_]{2,40}$/.test(c));
  return new TokenDeskError(
    'network_error',
    `Request to ${origin} failed${code ? ` (${code})` : ''}`,
    { retryable: true },
  );
}
