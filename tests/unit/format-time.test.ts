import { describe, expect, it } from 'vitest';
import { localTime } from '../../src-main/core/format-time.js';

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
