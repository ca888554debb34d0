// Subpath imports: the jose root pulls in every JOSE algorithm, which the CLI would pay for at start-up.
import { decodeJwt as joseDecodeJwt } from 'jose/jwt/decode';
import { decodeProtectedHeader } from 'jose/decode/protected_header';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/**
 * Decodes a JWS compact JWT for display. Never verifies: the client has no key, and the server checks
 * the signature on every call anyway. Returns undefined for anything else (session API tokens are
 * opaque hex strings; a JWE has five parts).
 */
export function decodeJwt(token: string): DecodedJwt | undefined {
  if (typeof token !== 'string' || token.split('.').length !== 3) return undefined;
  try {
    const header = { ...decodeProtectedHeader(token) } as Record<string, unknown>;
    const claims = { ...joseDecodeJwt(token) } as Record<string, unknown>;
    return { header, claims };
  } catch {
    return undefined;
  }
}
