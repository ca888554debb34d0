import { dirname } from 'node:path';
import { TokenDeskError } from '../errors.js';
import { NotRegularFileError } from '../fs/read-regular-file.js';
import { acquireOwnedLock, LockTimeout, type OwnedLock } from '../locks/owned-lock.js';

export interface LockOptions {
  /** How long to wait for another process before giving up with `config_locked`. */
  timeoutMs?: number;
  /** A lock not refreshed for this long belongs to a dead process and is taken over. */
  staleMs?: number;
}

const WRITABLE_HINT = 'point TOKENDESK_HOME at a writable folder';

/**
 * A lock (or its folder) that cannot be created because of the folder itself, said at once and in
 * the user's words, instead of a wait that ends in "locked by another process". `undefined` for any
 * other error. Shared with the refresh lock (sessions/refresh-lock.ts).
 */
export function lockCreationError(e: unknown, dir: string): TokenDeskError | undefined {
  if (e instanceof NotRegularFileError) {
    return new TokenDeskError(
      'config_unwritable',
      `The lock ${e.path} is ${e.kind}, not a folder TokenDesk made: it is never followed. Remove it (rm '${e.path}') and try again. Nothing was changed`,
      { cause: e },
    );
  }
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
 * file system). The lock records its owner, so one left by a killed process is taken over at once; a
 * lock without an owner record (an older TokenDesk's, proper-lockfile format) is respected until its
 * heartbeat is `staleMs` old.
 */
export async function withFileLock<T>(
  file: string,
  fn: (assertHeld: () => Promise<void>) => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  let lock: OwnedLock;
  try {
    lock = await acquireOwnedLock(`${file}.lock`, { timeoutMs: opts.timeoutMs ?? 10_000, staleMs: opts.staleMs ?? 5_000 });
  } catch (e) {
    if (e instanceof LockTimeout) {
      const who = e.holder ? ` (process ${e.holder.pid})` : '';
      throw new TokenDeskError('config_locked', `The configuration is locked by another TokenDesk process${who} (${file}.lock); try again in a moment`, {
        cause: e,
        retryable: true,
      });
    }
    throw lockCreationError(e, dirname(file)) ?? e;
  }
  const assertHeld = async () => {
    if (await lock.compromised()) {
      throw new TokenDeskError('config_locked', 'The configuration lock was lost while writing; nothing was saved', { retryable: true });
    }
  };
  try {
    return await fn(assertHeld);
  } finally {
    await lock.release().catch(() => undefined);
  }
}
