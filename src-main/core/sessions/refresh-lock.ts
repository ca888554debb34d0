import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { TokenDeskError } from '../errors.js';

const settle = (p: Promise<unknown> | undefined): Promise<void> => (p ? p.then(() => undefined, () => undefined) : Promise.resolve());

/** Passed to the locked function: true once the lock can no longer be trusted (e.g. after a long sleep). */
export interface LockHandle {
  compromised(): boolean;
}

/**
 * One refresh per identity at a time, within a process (single flight) and across processes (a lock
 * file in the config folder, shared by the app and the CLI). Supabase refresh tokens are single-use:
 * two concurrent refreshes with the same token can revoke the whole session. Sign-in, sign-out and
 * removal take the same lock (`exclusive`), so a renewal in flight can never write a session back.
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

  /** Waits for the renewal or exclusive run in flight for `key`, then runs `fn` under the cross-process lock. */
  exclusive<T>(key: string, fn: (lock: LockHandle) => Promise<T>): Promise<T> {
    const before = Promise.all([settle(this.renewals.get(key)), settle(this.exclusives.get(key))]);
    const p = before.then(() => this.withFileLock(key, fn));
    const tail = settle(p);
    this.exclusives.set(key, tail);
    void tail.then(() => {
      if (this.exclusives.get(key) === tail) this.exclusives.delete(key);
    });
    return p;
  }

  private async withFileLock<T>(key: string, fn: (lock: LockHandle) => Promise<T>): Promise<T> {
    const dir = join(this.home, 'locks');
    let compromised = false;
    let release: () => Promise<void>;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      release = await lockfile.lock(join(dir, `${key}.refresh`), {
        realpath: false,
        // A refresh takes at most the HTTP deadline; a lock older than that was left by a crash.
        stale: 30_000,
        retries: { retries: 400, minTimeout: 25, maxTimeout: 100, factor: 1.2 },
        // The default throws from a timer (an uncaught exception); record it and refuse to write instead.
        onCompromised: () => {
          compromised = true;
        },
      });
    } catch (e) {
      throw new TokenDeskError('config_locked', 'Another TokenDesk process is renewing this session and did not finish in time', { cause: e });
    }
    try {
      return await fn({ compromised: () => compromised });
    } finally {
      await release().catch(() => undefined);
    }
  }
}
