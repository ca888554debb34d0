import { describe, expect, it } from 'vitest';
import type { StoredSession } from '../../src-main/core/providers/types.js';
import { decodeSession, EMPTY_PROFILE, encodeSession, splitSession } from '../../src-main/core/sessions/session-codec.js';

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
    expect(decodeSession(tokens, profile)).toEqual(good);
    expect(decodeSession(tokens)).toEqual({ ...good, profile: EMPTY_PROFILE });
    // An entry an older version stored whole still reads, with its own profile.
    expect(decodeSession(encodeSession(good), EMPTY_PROFILE)).toEqual(good);
  });

  it('a claim or header value carrying a token is dropped from the profile file', () => {
    const leaky = { ...good, profile: { ...good.profile, claims: { sub: 'u', echo: good.refreshToken, nested: { t: good.accessToken } }, jwtHeader: { alg: 'HS256', x: good.accessToken } } };
    const { profile } = splitSession(leaky);
    expect(profile.claims).toEqual({ sub: 'u' });
    expect(profile.jwtHeader).toEqual({ alg: 'HS256' });
    expect(JSON.stringify(profile)).not.toContain(good.refreshToken);
  });

  it('refuses what would not decode again, as encodeSession does', () => {
    expect(() => splitSession({ ...good, expiresAt: Infinity })).toThrow(expect.objectContaining({ code: 'bad_response' }));
    expect(decodeSession(JSON.stringify({ ...JSON.parse(splitSession(good).tokens), accessToken: 'a\nb' }))).toBeUndefined();
  });
});
