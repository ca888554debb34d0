import { describe, expect, it } from 'vitest';
import { MAX_LIFETIME_MS } from '../../src-main/core/providers/lifetime.js';
import type { StoredSession } from '../../src-main/core/providers/types.js';
import { decodeSession, encodeSession } from '../../src-main/core/sessions/session-codec.js';

const good: StoredSession = {
  provider: 'supabase',
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.e30.sig',
  refreshToken: 'abcdefghij12',
  obtainedAt: 1_750_000_000_000,
  expiresAt: 1_750_000_000_000 + 3600_000,
  profile: { userId: 'u', email: 'a@b.c', accounts: [], roles: [], permissions: [], permissionsFromRoles: [] },
};

describe('session codec: what is stored must be usable', () => {
  it('round-trips a good session', () => {
    expect(decodeSession(encodeSession(good))).toEqual(good);
  });

  it('refuses to store non-finite times or tokens that are not bearer tokens (a TokenDeskError, nothing written)', () => {
    const bad: Array<[Partial<StoredSession>, string]> = [
      [{ expiresAt: Infinity }, 'expiresAt'],
      [{ expiresAt: NaN }, 'expiresAt'],
      [{ obtainedAt: 1e300 }, 'obtainedAt'],
      [{ accessToken: 'a\r\nX-Injected: 1' }, 'accessToken'],
      [{ refreshToken: 'a b' }, 'refreshToken'],
    ];
    for (const [change, field] of bad) {
      expect(() => encodeSession({ ...good, ...change })).toThrow(
        expect.objectContaining({ code: 'bad_response', message: `The session was not stored: its ${field} is not valid` }),
      );
    }
  });

  it('reads a stored entry that fails the same rules as no session, never a crash', () => {
    const text = (change: Record<string, unknown>) => JSON.stringify({ ...good, ...change });
    for (const entry of [
      text({ expiresAt: null }), // Infinity as JSON.stringify writes it
      text({ expiresAt: 1e300 }),
      text({ obtainedAt: 'yesterday' }),
      text({ accessToken: 'a\nb' }),
      text({ refreshToken: 'x y' }),
      text({ accessToken: '' }),
      '{"provider":',
      'null',
    ]) {
      expect(decodeSession(entry)).toBeUndefined();
    }
    expect(decodeSession(undefined)).toBeUndefined();
  });

  it('cuts a stored lifetime beyond a year (kept by an older version) to a year', () => {
    const old = JSON.stringify({ ...good, expiresAt: Date.parse('9999-12-31T23:59:59Z') });
    expect(decodeSession(old)?.expiresAt).toBe(good.obtainedAt + MAX_LIFETIME_MS);
  });
});
