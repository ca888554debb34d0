import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { TokenDeskError } from '../errors.js';

export interface LockOptions {
  /** How long to wait for another process before giving up with `config_locked`. */
  timeoutMs?: number;
  /** A lock not refreshed for this long belongs to a dead process and is taken over. */
  staleMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const WRITABLE_HINT = 'point TOKENDESK_HOME at a writable folder';

/**
 * A lock (or its folder) that cannot be created because of the folder itself, said at once and in
 * the user's words, instead of a wait that ends in "locked by another process". `undefined` for any
 * other error. Shared with the refresh lock (sessions/refresh-lock.ts).
 */
export function lockCreationError(e: unknown, dir: string): TokenDeskError | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const cannotSave = 'TokenDesk cannot save anything there';
  let message: string;
  switch (code) {
    case 'EROFS':
      message = `The configuration folder ${dir} is read-only (EROFS: a read-only file system): ${cannotSave}; remount it read-write or ${WRITABLE_HINT}`;
      break;
    case 'EACCES':
    case 'EPERM':
      message = `The configuration folder ${dir} is read-only (${code}: permission denied): ${cannotSave}; give your user write permission on it or ${WRITABLE_HINT}`;
      break;
    case 'ENOSPC':
    case 'EDQUOT':
      message = `The configuration folder ${dir} is on a full disk (${code}: the disk is full): ${cannotSave}; free some space and try again`;
      break;
    case 'ENOTDIR':
      message = `The configuration folder ${dir} is not a folder (ENOTDIR: part of its path is a file): ${cannotSave}; move that file away or ${WRITABLE_HINT}`;
      break;
    default:
      return undefined;
  }
  return new TokenDeskError('config_unwritable', `${message}. Nothing was changed`, { cause: e });
}

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
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw lockCreationError(e, dirname(file)) ?? e;
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
