import { describe, expect, it } from 'vitest';
import type { StoredSession } from '../../src-main/core/providers/types.js';
import { decodeSession, EMPTY_PROFILE, encodeSession, splitSession, withTokenClaims } from '../../src-main/core/sessions/session-codec.js';

const good: StoredSession = {
  provider: 'supabase',
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.e30.sig-of-the-token',
  refreshToken: 'refresh-abcdefghij12',
  obtainedAt: 1_750_000_000_000,
  expiresAt: 1_750_000_000_000 + 3600_000,
  profile: { userId: 'u', email: 'a@b.c', accounts: [{ id: '1', name: 'A', primary: true }], roles: ['r'], permissions: ['p'], permissionsFromRoles: [], claims: { sub: 'u' } },
};

describe('a session stored in two halves: tokens sealed in the vault, the profile in a plain file', () => {
  it('the sealed half holds tokens and times only; joined with the profile it is the session again', () => {
    const { tokens, profile } = splitSession(good);
    expect(Object.keys(JSON.parse(tokens) as object).sort()).toEqual(['accessToken', 'expiresAt', 'obtainedAt', 'provider', 'refreshToken']);
    const { claims: _c, ...stable } = good.profile;
    expect(decodeSession(tokens, profile)).toEqual({ ...good, profile: stable });
    expect(decodeSession(tokens)).toEqual({ ...good, profile: EMPTY_PROFILE });
    // An entry an older version stored whole still reads, with its own profile.
    expect(decodeSession(encodeSession(good), EMPTY_PROFILE)).toEqual(good);
  });

  it("the profile file leaves out the token's claims, which change on every renewal; reading decodes them from the token the vault holds", () => {
    const token = (claims: object) => `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig-of-the-token`;
    const first = { ...good, accessToken: token({ sub: 'u', exp: 1_750_003_600, session_id: 's1' }) };
    const renewed = { ...good, accessToken: token({ sub: 'u', exp: 1_750_007_200, session_id: 's1' }) };
    const a = splitSession({ ...first, profile: withTokenClaims(first).profile });
    const b = splitSession({ ...renewed, profile: withTokenClaims(renewed).profile });
    // The same profile text before and after a renewal: nothing to write.
    expect(JSON.stringify(b.profile)).toBe(JSON.stringify(a.profile));
    expect(JSON.stringify(a.profile)).not.toContain('exp');
    const read = withTokenClaims(decodeSession(b.tokens, a.profile)!);
    expect(read.profile.claims).toEqual({ sub: 'u', exp: 1_750_007_200, session_id: 's1' });
    expect(read.profile.jwtHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    // An opaque token (the session API's) keeps its profile as it is, without claims.
    const opaque = { ...good, accessToken: 'a1b2c3d4e5f6a7b8c9d0' };
    expect(withTokenClaims(opaque)).toBe(opaque);
  });

  it("a claim or header value carrying one of the session's tokens is not shown", () => {
    const refreshToken = 'refresh-abcdefghij12';
    const accessToken = `${Buffer.from(JSON.stringify({ alg: 'HS256', x: refreshToken })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'u', echo: refreshToken, nested: { t: refreshToken } })).toString('base64url')}.sig`;
    const { profile } = withTokenClaims({ ...good, accessToken, refreshToken });
    expect(profile.claims).toEqual({ sub: 'u' });
    expect(profile.jwtHeader).toEqual({ alg: 'HS256' });
    expect(JSON.stringify(splitSession({ ...good, accessToken, refreshToken, profile }).profile)).not.toContain(refreshToken);
  });

  it('refuses what would not decode again, as encodeSession does', () => {
    expect(() => splitSession({ ...good, expiresAt: Infinity })).toThrow(expect.objectContaining({ code: 'bad_response' }));
    expect(decodeSession(JSON.stringify({ ...JSON.parse(splitSession(good).tokens), accessToken: 'a\nb' }))).toBeUndefined();
  });
});
