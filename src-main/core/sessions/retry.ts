import { TokenDeskError } from '../errors.js';

export interface RetryOptions {
  /** Give up once the next attempt would start after this many ms (supabase-js uses 30 s). */
  deadlineMs: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Retries only failures marked retryable (network, timeouts, 5xx, 429, 409), with exponential
 * backoff (200, 400, 800 ms...), like supabase-js; anything else is thrown at once.
 */
export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const base = opts.baseDelayMs ?? 200;
  const started = now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const delay = base * 2 ** attempt;
      const retryable = e instanceof TokenDeskError && e.retryable;
      if (!retryable || now() + delay - started >= opts.deadlineMs) throw e;
      await sleep(delay);
    }
  }
}
