import { describe, expect, it } from 'vitest';
import { effectiveMarginMs, isDue, refreshAt } from '../../src-main/core/sessions/margin.js';
import { withRetry } from '../../src-main/core/sessions/retry.js';
import { TokenDeskError } from '../../src-main/core/errors.js';

describe('expiry margin', () => {
  it('keeps the configured margin for hour-long tokens', () => {
    expect(effectiveMarginMs(3600_000, 120)).toBe(120_000);
  });
  it('scales down to a quarter of the lifetime for short-lived tokens', () => {
    expect(effectiveMarginMs(30_000, 120)).toBe(7_500);
  });
  it('a 30-second token is handed out as is for its first 22 seconds, then renewed', () => {
    const s = { obtainedAt: 0, expiresAt: 30_000 };
    expect(isDue(s, 22_000, 120)).toBe(false);
    expect(isDue(s, 22_600, 120)).toBe(true);
    expect(refreshAt(s, 120)).toBe(22_500);
  });
  it('a zero margin renews only at expiry', () => {
    expect(isDue({ obtainedAt: 0, expiresAt: 1000 }, 999, 0)).toBe(false);
    expect(isDue({ obtainedAt: 0, expiresAt: 1000 }, 1000, 0)).toBe(true);
  });
});

describe('retry with backoff', () => {
  const fakeClock = () => {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms), slept: () => t };
  };

  it('retries retryable failures with growing delays until one succeeds', async () => {
    const clock = fakeClock();
    let calls = 0;
    const out = await withRetry(
      async () => {
        calls++;
        if (calls < 4) throw new TokenDeskError('network_refused', 'refused', { retryable: true });
        return 'ok';
      },
      { deadlineMs: 30_000, now: clock.now, sleep: clock.sleep },
    );
    expect(out).toBe('ok');
    expect(clock.slept()).toBe(200 + 400 + 800);
  });

  it('gives up at the deadline with the last error', async () => {
    const clock = fakeClock();
    const p = withRetry(() => Promise.reject(new TokenDeskError('server_error', 'down', { retryable: true })), {
      deadlineMs: 2_000,
      now: clock.now,
      sleep: clock.sleep,
    });
    await expect(p).rejects.toThrow('down');
    expect(clock.slept()).toBeLessThan(2_000);
  });

  it('never retries a rejected refresh token', async () => {
    let calls = 0;
    const p = withRetry(
      async () => {
        calls++;
        throw new TokenDeskError('refresh_rejected', 'already used');
      },
      { deadlineMs: 30_000, sleep: async () => undefined },
    );
    await expect(p).rejects.toThrow('already used');
    expect(calls).toBe(1);
  });
});
