import { createHash, randomBytes } from 'node:crypto';

export interface Pkce {
  /** Kept by TokenDesk and sent only with the code exchange (RFC 7636 §4.1: 43-128 characters). */
  verifier: string;
  /** BASE64URL(SHA-256(verifier)), sent with the authorization request (§4.2, method S256). */
  challenge: string;
}

/** A fresh PKCE pair (RFC 7636): 32 random bytes as the verifier, its S256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256(verifier) };
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
