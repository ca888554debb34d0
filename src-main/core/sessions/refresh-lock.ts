import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { TokenDeskError } from '../errors.js';

/**
 * One refresh per identity at a time, within a process (single flight) and across processes (a lock
 * file in the config folder, shared by the app and the CLI). Supabase refresh tokens are single-use:
 * two concurrent refreshes with the same token can revoke the whole session.
 */
export class RefreshLock {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly home: string) {}

  /** Runs `fn` for `key` unless a run is already in flight in this process, whose result is shared. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const current = this.inFlight.get(key);
    if (current) return current as Promise<T>;
    const p = this.withFileLock(key, fn).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private async withFileLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const dir = join(this.home, 'locks');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(join(dir, `${key}.refresh`), {
        realpath: false,
        // A refresh takes at most the HTTP deadline; a lock older than that was left by a crash.
        stale: 30_000,
        retries: { retries: 400, minTimeout: 25, maxTimeout: 100, factor: 1.2 },
      });
    } catch (e) {
      throw new TokenDeskError('config_locked', 'Another TokenDesk process is renewing this session and did not finish in time', { cause: e });
    }
    try {
      return await fn();
    } finally {
      await release().catch(() => undefined);
    }
  }
}
