import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HS256 with node:crypto rather than jose: signing stays synchronous (the anon key is a module
 * constant) and verification can report GoTrue-like reasons (expired vs. bad signature).
 * The secret is public on purpose: this server only ever holds demo data.
 */
export const DEMO_JWT_SECRET = 'tokendesk-demo-jwt-secret-not-for-production-use';
/** GoTrue adds `kid` only when GOTRUE_JWT_KEY_ID is set; the demo sets one so clients see it. */
export const DEMO_JWT_KID = 'tokendesk-demo-hs256';

export type JwtClaims = Record<string, unknown>;

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function hmac(input: string): Buffer {
  return createHmac('sha256', DEMO_JWT_SECRET).update(input).digest();
}

export function signHs256(claims: JwtClaims, kid?: string): string {
  const header = kid ? { alg: 'HS256', typ: 'JWT', kid } : { alg: 'HS256', typ: 'JWT' };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(hmac(input))}`;
}

export type VerifyResult = { ok: true; claims: JwtClaims } | { ok: false; reason: string };

/** Reasons mimic golang-jwt's texts, which GoTrue appends to "invalid JWT: ...". */
export function verifyHs256(token: string, nowSeconds: number): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'token is malformed: token contains an invalid number of segments' };
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'token is malformed: could not JSON decode segment' };
  }
  if (!isObject(header) || !isObject(claims)) return { ok: false, reason: 'token is malformed' };
  if (header.alg !== 'HS256') return { ok: false, reason: 'token is unverifiable: signing method is invalid' };
  if (header.kid !== undefined && header.kid !== DEMO_JWT_KID) {
    return { ok: false, reason: 'token is unverifiable: error while executing keyfunc: unknown kid' };
  }
  const expected = hmac(`${h}.${p}`);
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'token signature is invalid: signature is invalid' };
  }
  // golang-jwt validates exp with no leeway.
  if (typeof claims.exp === 'number' && nowSeconds >= claims.exp) {
    return { ok: false, reason: 'token has invalid claims: token is expired' };
  }
  return { ok: true, claims };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
