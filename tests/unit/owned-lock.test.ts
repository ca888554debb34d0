import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import lockfile from 'proper-lockfile';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireOwnedLock, LockTimeout, ownerEntryName, processIsAlive } from '../../src-main/core/locks/owned-lock.js';
import { RefreshLock } from '../../src-main/core/sessions/refresh-lock.js';
import { TokenDeskError } from '../../src-main/core/errors.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'tokendesk-lock-'));
  dirs.push(d);
  return d;
}

/** A pid that surely ran and is gone: a child that already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

const PLANTED = '00000000-0000-4000-8000-000000000000';

/** A lock as another process leaves it: its owner entry, maybe a note, and a heartbeat `ageMs` old. */
function plantLock(dir: string, owner: { pid: number; host?: string; note?: unknown }, ageMs = 0): void {
  mkdirSync(dir);
  mkdirSync(join(dir, ownerEntryName({ pid: owner.pid, host: owner.host ?? hostname(), nonce: PLANTED })));
  if (owner.note !== undefined) writeFileSync(join(dir, `note-${PLANTED}.json`), JSON.stringify(owner.note));
  const t = new Date(Date.now() - ageMs);
  utimesSync(dir, t, t);
}

const opts = { timeoutMs: 1_500, staleMs: 30_000 };

describe('owned lock', () => {
  it('takes over at once from a holder whose process is gone, and hands over what it was doing', async () => {
    const lockDir = join(tmp(), 'x.refresh');
    plantLock(lockDir, { pid: await deadPid(), note: { refreshing: 'abc', since: 1 } });
    const started = Date.now();
    const lock = await acquireOwnedLock<{ refreshing: string }>(lockDir, opts);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lock.takenOver?.note).toEqual({ refreshing: 'abc', since: 1 });
    await lock.release();
  });

  it('waits for a live holder and gives up with its pid when it does not finish', async () => {
    const lockDir = join(tmp(), 'x.refresh');
    plantLock(lockDir, { pid: process.pid });
    const err = await acquireOwnedLock(lockDir, { ...opts, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockTimeout);
    expect((err as LockTimeout).holder?.pid).toBe(process.pid);
  });

  it('takes over from a live pid whose heartbeat stopped (another host, or a reused pid)', async () => {
    const lockDir = join(tmp(), 'x.refresh');
    plantLock(lockDir, { pid: process.pid, host: 'another-machine' }, 31_000);
    // Stale means: we watched the heartbeat stand still for staleMs ourselves.
    const started = performance.now();
    const lock = await acquireOwnedLock(lockDir, { ...opts, staleMs: 300 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(lock.takenOver?.host).toBe('another-machine');
    await lock.release();
  });

  it('does not take over a holder on another host while its heartbeat is fresh', async () => {
    const lockDir = join(tmp(), 'x.refresh');
    plantLock(lockDir, { pid: 999_999_999, host: 'another-machine' });
    await expect(acquireOwnedLock(lockDir, { ...opts, timeoutMs: 200 })).rejects.toBeInstanceOf(LockTimeout);
  });

  it('gives the lock to one waiter at a time when many see the same dead holder', async () => {
    const lockDir = join(tmp(), 'x.refresh');
    plantLock(lockDir, { pid: await deadPid() });
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const lock = await acquireOwnedLock(lockDir, { ...opts, timeoutMs: 10_000 });
        inside++;
        most = Math.max(most, inside);
        await new Promise((r) => setTimeout(r, 20)); // kept: held for real time, for the other waiters to overlap if they could
        inside--;
        await lock.release();
      }),
    );
    expect(most).toBe(1);
  });

  it('knows when a successor took the lock over, and then leaves the successor’s lock alone on release', async () => {
    const lockDir = join(tmp(), 'x.refresh');
    const first = await acquireOwnedLock(lockDir, opts);
    expect(await first.compromised()).toBe(false);
    // The first holder looks dead to the second (as after a long sleep with the heartbeat stopped).
    const second = await acquireOwnedLock(lockDir, { ...opts, isAlive: () => false });
    expect(await first.compromised()).toBe(true);
    await first.release();
    const third = await acquireOwnedLock(lockDir, { ...opts, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(third).toBeInstanceOf(LockTimeout); // the second still holds it
    await second.release();
  });

  it('a lock that cannot be created fails with the system’s code, and the next one leaves nothing behind', async () => {
    const base = tmp();
    const lockDir = join(base, 'x.refresh');
    // A file where the lock directory's parent should be: the first mkdir fails outright.
    writeFileSync(join(base, 'blocker'), '');
    await expect(acquireOwnedLock(join(base, 'blocker', 'x'), opts)).rejects.toMatchObject({ code: 'ENOTDIR' });
    const lock = await acquireOwnedLock(lockDir, opts);
    await lock.release();
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(base).sort()).toEqual(['blocker']);
  });

  it('does not take over a live holder whose heartbeat only looks old by the wall clock (after a suspend, or a skewed file server)', async () => {
    const lockDir = join(tmp(), 'x.refresh');
    plantLock(lockDir, { pid: process.pid }, 3600_000);
    await expect(acquireOwnedLock(lockDir, { timeoutMs: 400, staleMs: 1_000 })).rejects.toBeInstanceOf(LockTimeout);
  });

  it('respects an older TokenDesk’s proper-lockfile lock while its heartbeat runs, and takes it once it stops', async () => {
    const file = join(tmp(), 'config.json');
    const release = await lockfile.lock(file, { realpath: false, stale: 2_000, update: 250 });
    await expect(acquireOwnedLock(`${file}.lock`, { timeoutMs: 2_500, staleMs: 1_000 })).rejects.toBeInstanceOf(LockTimeout);
    await release();
    mkdirSync(`${file}.lock`); // a crashed old holder: no owner entry, no heartbeat
    const lock = await acquireOwnedLock(`${file}.lock`, { timeoutMs: 5_000, staleMs: 500 });
    await lock.release();
  });

  it('a holder that stalled between its two mkdirs finds its successor there and backs off', async () => {
    const lockDir = join(tmp(), 'x.refresh');
    plantLock(lockDir, { pid: process.pid }); // the successor, alive
    const stalled = { pid: process.pid, host: hostname(), nonce: '11111111-1111-4111-8111-111111111111' };
    const entry = ownerEntryName(stalled);
    // Its mkdir(dir) succeeded before the takeover; its own entry lands in the successor's folder now.
    const { claimLock } = await import('../../src-main/core/locks/owned-lock.js');
    expect(await claimLock(lockDir, join(lockDir, entry), entry)).toBe(false);
    expect(readdirSync(lockDir)).toEqual([ownerEntryName({ pid: process.pid, host: hostname(), nonce: PLANTED })]);
  });

  it('release never removes a successor’s lock', async () => {
    const lockDir = join(tmp(), 'x.refresh');
    const first = await acquireOwnedLock(lockDir, opts);
    const second = await acquireOwnedLock(lockDir, { ...opts, isAlive: () => false });
    await first.release();
    expect(await second.compromised()).toBe(false);
    await expect(first.setNote(undefined)).rejects.toMatchObject({ code: 'ELOCKLOST' });
    await second.release();
    expect(readdirSync(join(lockDir, '..'))).toEqual([]);
  });

  it('tells a running process from a dead one', async () => {
    expect(processIsAlive(process.pid)).toBe(true);
    expect(processIsAlive(await deadPid())).toBe(false);
  });
});

describe('refresh lock', () => {
  it('a configuration folder where the lock cannot be created is said at once, not after a wait', async () => {
    const home = tmp();
    writeFileSync(join(home, 'locks'), 'a file where the locks folder should be');
    const started = Date.now();
    const err = await new RefreshLock(home).exclusive('id', async () => 'ran').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(err).toBeInstanceOf(TokenDeskError);
    expect((err as TokenDeskError).code).toBe('config_unwritable');
    expect((err as TokenDeskError).message).toContain(home);
  });

  it('tells the successor of a killed renewal which refresh token was in flight, by fingerprint only', async () => {
    const home = tmp();
    const lock = new RefreshLock(home);
    let note: unknown;
    await lock.run('id', async (h) => {
      await h.noteRefreshing('the-refresh-token');
      const lockDir = join(home, 'locks', 'id.refresh');
      const noteFile = readdirSync(lockDir).find((n) => n.startsWith('note-'))!;
      note = JSON.parse(readFileSync(join(lockDir, noteFile), 'utf8'));
      // Simulate a kill -9: the lock stays behind with the note, owned by a dead pid.
      rmSync(lockDir, { recursive: true });
      plantLock(lockDir, { pid: await deadPid(), note });
    });
    expect(JSON.stringify(note)).not.toContain('the-refresh-token');
    const seen = await lock.run('id', async (h) => h.interruptedRefresh);
    expect(seen?.refreshing).toBe((note as { refreshing: string }).refreshing);
  });
});
