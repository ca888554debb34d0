import { createHash } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenDeskError } from '../errors.js';
import { lockCreationError } from '../config/lock.js';
import { acquireOwnedLock, LockTimeout, type OwnedLock } from '../locks/owned-lock.js';

const settle = (p: Promise<unknown> | undefined): Promise<void> => (p ? p.then(() => undefined, () => undefined) : Promise.resolve());

/** What a holder records before it sends a refresh token: enough for a successor to recognise it, never the token. */
export interface InflightNote {
  /** sha256 of the refresh token being exchanged. */
  refreshing: string;
  since: number;
}

export const tokenFingerprint = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Passed to the locked function. */
export interface LockHandle {
  /** True once another process took the lock over (this one looked dead, e.g. after a long sleep). */
  compromised(): Promise<boolean>;
  /** Written durably before a single-use refresh token is sent. */
  noteRefreshing(refreshToken: string): Promise<void>;
  /** Set when this lock was taken from a holder that died in the middle of exchanging this token. */
  interruptedRefresh?: InflightNote;
}

/** A live holder's renewal takes at most the HTTP deadline and its retries; a dead one is noticed at once. */
const WAIT_MS = 45_000;
const STALE_MS = 30_000;
const LOCK_SUFFIX = '.refresh';

/**
 * One refresh per identity at a time, within a process (single flight) and across processes (a lock
 * directory in the config folder, shared by the app and the CLI). Supabase refresh tokens are
 * single-use: two concurrent refreshes with the same token can revoke the whole session. Sign-out,
 * removal and the session check take the same lock (`exclusive`), so a renewal in flight can never
 * write a session back. A sign-in of a listed identity does not: the renewal's write is a
 * compare-and-swap under the vault lock instead (SessionManager.store), so a sign-in that lands
 * while a renewal is out stays. The lock records its owner's pid, so a killed holder is taken over at
 * once, and the refresh in flight, so the successor knows the token it finds may already have been exchanged.
 */
export class RefreshLock {
  private readonly renewals = new Map<string, Promise<unknown>>();
  private readonly exclusives = new Map<string, Promise<unknown>>();

  constructor(private readonly home: string) {}

  /** Runs `fn` for `key` unless a renewal is already in flight in this process, whose result is shared. */
  run<T>(key: string, fn: (lock: LockHandle) => Promise<T>): Promise<T> {
    const current = this.renewals.get(key);
    if (current) return current as Promise<T>;
    const p = settle(this.exclusives.get(key))
      .then(() => this.withFileLock(key, fn))
      .finally(() => this.renewals.delete(key));
    this.renewals.set(key, p);
    return p;
  }

  /**
   * Waits for the renewal or exclusive run in flight for `key`, then runs `fn` under the cross-process
   * lock. `waitMs` bounds the wait for another process's live holder (a dead one is taken over at once).
   */
  exclusive<T>(key: string, fn: (lock: LockHandle) => Promise<T>, opts: { waitMs?: number } = {}): Promise<T> {
    const before = Promise.all([settle(this.renewals.get(key)), settle(this.exclusives.get(key))]);
    const p = before.then(() => this.withFileLock(key, fn, opts.waitMs));
    const tail = settle(p);
    this.exclusives.set(key, tail);
    void tail.then(() => {
      if (this.exclusives.get(key) === tail) this.exclusives.delete(key);
    });
    return p;
  }

  /**
   * The keys whose lock folder exists: held now, or left by a process killed while holding it (a
   * sign-in killed between its vault write and its config write leaves its new identity's). No lock is taken.
   */
  async presentKeys(): Promise<string[]> {
    const names = await readdir(join(this.home, 'locks')).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith(LOCK_SUFFIX)).map((n) => n.slice(0, -LOCK_SUFFIX.length));
  }

  private async withFileLock<T>(key: string, fn: (lock: LockHandle) => Promise<T>, waitMs = WAIT_MS): Promise<T> {
    const dir = join(this.home, 'locks');
    let lock: OwnedLock<InflightNote>;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 }).catch((e: unknown) => {
        // A recursive mkdir fails with EEXIST only when the path is a file, not a folder.
        throw (e as NodeJS.ErrnoException).code === 'EEXIST' ? Object.assign(new Error(`${dir} is a file`), { code: 'ENOTDIR', cause: e }) : e;
      });
      lock = await acquireOwnedLock<InflightNote>(join(dir, `${key}${LOCK_SUFFIX}`), { timeoutMs: waitMs, staleMs: STALE_MS });
    } catch (e) {
      // A read-only or full folder is said at once, not after waiting for a lock that can never exist.
      const unwritable = lockCreationError(e, this.home);
      if (unwritable) throw unwritable;
      if (e instanceof LockTimeout) {
        const who = e.holder ? ` (process ${e.holder.pid})` : '';
        throw new TokenDeskError('config_locked', `Another TokenDesk process${who} is renewing this session and did not finish in time; try again`, {
          cause: e,
          retryable: true,
        });
      }
      throw new TokenDeskError('config_locked', 'The session lock could not be taken', { cause: e, retryable: true });
    }
    const note = lock.takenOver?.note;
    const handle: LockHandle = {
      compromised: () => lock.compromised(),
      noteRefreshing: (token) => lock.setNote({ refreshing: tokenFingerprint(token), since: Date.now() }),
      ...(note && typeof note.refreshing === 'string' && { interruptedRefresh: note }),
    };
    try {
      return await fn(handle);
    } finally {
      await lock.release().catch(() => undefined);
    }
  }
}
