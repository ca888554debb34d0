import lockfile from 'proper-lockfile';
import { TokenDeskError } from '../errors.js';

export interface LockOptions {
  /** How long to wait for another process before giving up with `config_locked`. */
  timeoutMs?: number;
  /** A lock not refreshed for this long belongs to a dead process and is taken over. */
  staleMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `fn` holding a cross-process lock on `file` (a `<file>.lock` directory, so it works on every
 * file system). Our own retry loop gives a precise deadline; proper-lockfile handles staleness.
 */
export async function withFileLock<T>(
  file: string,
  fn: (assertHeld: () => void) => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lockfile.lock(file, {
        realpath: false,
        stale: opts.staleMs ?? 5_000,
        retries: 0,
        // The default handler throws from a timer and would crash the process.
        onCompromised: (err) => {
          compromised = err;
        },
      });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
      if (Date.now() >= deadline) {
        throw new TokenDeskError(
          'config_locked',
          `The configuration is locked by another TokenDesk process (${file}.lock); try again in a moment`,
          { cause: e, retryable: true },
        );
      }
      await sleep(10 + Math.random() * 40);
    }
  }
  const assertHeld = () => {
    if (compromised) {
      throw new TokenDeskError('config_locked', 'The configuration lock was lost while writing; nothing was saved', {
        cause: compromised,
        retryable: true,
      });
    }
  };
  try {
    return await fn(assertHeld);
  } finally {
    await release().catch(() => undefined); // already released when compromised
  }
}
