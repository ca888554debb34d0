import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeJwt } from '../../src-main/core/providers/jwt.js';

describe('decodeJwt', () => {
  it('decodes the header and claims of a JWS without verifying it', async () => {
    const token = await new SignJWT({ role: 'authenticated', email: 'a@b.test', session_id: 's1' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'k1' })
      .setSubject('user-1')
      .setIssuedAt(1_700_000_000)
      .setExpirationTime(1_700_003_600)
      .sign(new TextEncoder().encode('some-secret-that-we-do-not-need-to-know'));
    const decoded = decodeJwt(token);
    expect(decoded?.header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k1' });
    expect(decoded?.claims).toMatchObject({ sub: 'user-1', role: 'authenticated', exp: 1_700_003_600, session_id: 's1' });
  });

  it('returns undefined for opaque tokens and garbage', () => {
    expect(decodeJwt('e9f753d94b5eba91aabaa2dc8206d7dc03d29056abcda037acb4f2f56c6bc3c5')).toBeUndefined();
    expect(decodeJwt('')).toBeUndefined();
    expect(decodeJwt('a.b.c')).toBeUndefined();
    expect(decodeJwt('eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24.sig')).toBeUndefined();
    expect(decodeJwt('a.b.c.d.e')).toBeUndefined();
  });
});
