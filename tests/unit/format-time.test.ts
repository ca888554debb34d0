import { describe, expect, it } from 'vitest';
import { localTime } from '../../src-main/core/format-time.js';
import { sessionStatus } from '../../src-main/core/app/state-view.js';
import type { Identity } from '../../src-main/core/config/schema.js';
import type { StoredSession } from '../../src-main/core/providers/types.js';
import { timeOfDay } from '../../src-renderer/lib/format.js';
import { claimText } from '../../src-renderer/token/claims.js';

describe('localTime on whatever stored data holds', () => {
  it('formats real times as YYYY-MM-DD hh:mm:ss ZONE', () => {
    expect(localTime(Date.UTC(2026, 10, 22, 13, 5, 9))).toMatch(/^2026-11-2[123] \d\d:\d\d:09 \S+$/);
    expect(localTime(Date.parse('9999-12-31T12:00:00Z'))).toMatch(/^(9999|10000)-/);
  });
  it('says "unknown" for NaN, Infinity and times no Date can hold, never NaN-NaN-NaN', () => {
    for (const v of [NaN, Infinity, -Infinity, 1e300, 8.64e15 + 1, -8.64e15 - 1]) {
      expect(localTime(v)).toBe('unknown');
    }
    expect(localTime(null as unknown as number)).toBe('unknown');
    expect(localTime('2026-01-01' as unknown as number)).toBe('unknown');
  });
});

describe('one time format in the window (issue 25: "10:34:46 PM" beside "Dec 7, 2026 06:34:47 AM")', () => {
  // Local noon, so "yesterday" is another local day whatever the zone.
  const now = new Date(2026, 11, 7, 12, 0, 0).getTime();
  const tonight = new Date(2026, 11, 7, 22, 34, 46).getTime();
  const yesterday = new Date(2026, 11, 6, 6, 34, 47).getTime();

  it('the token panel: 24-hour time today, the same with its date on another day', () => {
    expect(timeOfDay(tonight, now)).toBe('22:34:46');
    expect(timeOfDay(yesterday, now)).toBe('2026-12-06 06:34:47');
    expect(timeOfDay(NaN, now)).toBe('unknown');
  });

  it('a claim time and an expired identity read the same way', () => {
    expect(claimText('exp', tonight / 1000, now).note).toBe('22:34:46');
    const session = { provider: 'supabase', accessToken: 'a', obtainedAt: yesterday - 3_600_000, expiresAt: yesterday } as StoredSession;
    expect(sessionStatus({ id: 'i', envId: 'e', email: 'a@b.c' } as Identity, session, now, 60, false).message).toBe('Expired at 2026-12-06 06:34:47');
  });
});
