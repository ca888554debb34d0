/** The timer functions used (the real ones, or a test's fake clock). */
export interface WaitTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: WaitTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * How long quitting waits for the startup keychain maintenance. A keychain prompt the user has not
 * answered (macOS asking for access, a locked Secret Service collection) would otherwise hold quit,
 * and on Windows a log-off, for ever. What the maintenance does is written whole or not at all (one
 * sealed vault write, an atomic config write), so leaving it unfinished is safe: the next start
 * does it again.
 */
export const QUIT_WAIT_MS = 2_500;

/** Waits for `work` to settle, at most `ms`. True when it settled (either way), false on time-out. */
export function settlesWithin(work: Promise<unknown>, ms: number, timers: WaitTimers = realTimers): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = timers.setTimeout(() => resolve(false), ms);
    const done = () => {
      timers.clearTimeout(timer);
      resolve(true);
    };
    work.then(done, done);
  });
}
