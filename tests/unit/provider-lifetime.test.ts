import { describe, expect, it } from 'vitest';
import { expiryFromLifetime, isEpochMs, MAX_LIFETIME_MS } from '../../src-main/core/providers/lifetime.js';
import { localExpiry } from '../../src-main/core/providers/session-api/index.js';
import { localTime } from '../../src-main/core/format-time.js';

const T = 1_750_000_000_000;

describe('token lifetimes TokenDesk believes', () => {
  it('keeps ordinary lifetimes as they are', () => {
    expect(expiryFromLifetime(T, 3600_000, 'expires_in: 3600')).toBe(T + 3600_000);
    expect(expiryFromLifetime(T, 2_000, 'expires_in: 2')).toBe(T + 2_000);
    expect(expiryFromLifetime(T, 1_000, 'expires_in: 1')).toBe(T + 1_000);
  });

  it('caps absurdly long ones at a year, always a finite, storable time', () => {
    for (const ms of [1e12 * 1000, 1e306 * 1000, Number.MAX_VALUE, Infinity, MAX_LIFETIME_MS + 1]) {
      const at = expiryFromLifetime(T, ms, 'x');
      expect(at).toBe(T + MAX_LIFETIME_MS);
      expect(isEpochMs(at)).toBe(true);
      expect(localTime(at)).toMatch(/^\d{4}-\d\d-\d\d /);
    }
  });

  it('refuses tokens that are dead on arrival, and lifetimes that are not numbers', () => {
    expect(() => expiryFromLifetime(T, 1, 'expires_in: 0.001')).toThrow(
      expect.objectContaining({
        code: 'bad_response',
        message: 'The server issued a token that lives only 0.001 s (expires_in: 0.001); a token must live at least 1 s, so nothing was stored',
      }),
    );
    expect(() => expiryFromLifetime(T, 999, 'x')).toThrow(expect.objectContaining({ code: 'bad_response' }));
    expect(() => expiryFromLifetime(T, 0, 'expiresAt is in the past')).toThrow(
      expect.objectContaining({ message: 'The server issued a token that has already expired (expiresAt is in the past); nothing was stored' }),
    );
    expect(() => expiryFromLifetime(T, -Infinity, 'x')).toThrow(expect.objectContaining({ code: 'bad_response' }));
    expect(() => expiryFromLifetime(T, NaN, 'x')).toThrow(expect.objectContaining({ code: 'bad_response' }));
  });
});

describe('localExpiry: which Date headers are believed', () => {
  const expires = Date.parse('2025-06-15T20:00:00Z');
  it('corrects a skew of hours (the header is believed within a day of our clock)', () => {
    const ours = expires - 9 * 3600_000; // our clock 3 h behind a server whose token lives 6 h
    expect(localExpiry(new Date(expires).toISOString(), expires - 6 * 3600_000, ours)).toBe(ours + 6 * 3600_000);
    expect(localExpiry(new Date(expires).toISOString(), ours + 23 * 3600_000, ours)).toBe(ours + (expires - ours - 23 * 3600_000));
  });
  it('ignores a header more than a day off (Date: 1970, year 2100) and measures on our clock', () => {
    const ours = expires - 8 * 3600_000;
    for (const header of [0, Date.parse('2100-01-01T00:00:00Z'), ours - 25 * 3600_000, NaN]) {
      expect(localExpiry(new Date(expires).toISOString(), header, ours)).toBe(expires);
    }
  });
});
