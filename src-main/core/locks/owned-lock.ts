import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * A cross-process lock that knows its owner: a directory (mkdir is atomic on every file system)
 * holding an entry named after the holder (`owner-<pid>-<host hex>-<nonce>`, itself a directory, so
 * taking the lock needs no data block and works on a full disk) and an optional `note.json` the holder
 * writes (the refresh lock records the renewal in flight there). A lock whose holder is a dead process
 * on this machine is taken over at once; one whose heartbeat (the directory's mtime, touched every few
 * seconds) stopped is taken over after `staleMs` — the fallback for another host or a reused pid.
 */

export interface OwnerInfo<N = unknown> {
  pid: number;
  host: string;
  /** Random per acquisition: tells our lock from a successor's after a takeover. */
  nonce: string;
  note?: N;
}

const OWNER_ENTRY = /^owner-(\d{1,10})-([0-9a-f]{0,510})-([0-9a-f-]{36})$/;

export function ownerEntryName(o: Pick<OwnerInfo, 'pid' | 'host' | 'nonce'>): string {
  return `owner-${o.pid}-${Buffer.from(o.host, 'utf8').toString('hex').slice(0, 510)}-${o.nonce}`;
}

export interface OwnedLock<N = unknown> {
  /** The previous owner's record when this lock was taken over from a dead or stale holder. */
  readonly takenOver?: OwnerInfo<N>;
  /** Records what the holder is doing (durably, before it does it), for a successor to read. */
  setNote(note: N | undefined): Promise<void>;
  /** True once another process has taken the lock over (this holder looked dead or stale). */
  compromised(): Promise<boolean>;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** Give up after this long waiting for a live holder. */
  timeoutMs: number;
  /** A heartbeat older than this means the holder is gone, whatever its pid says. */
  staleMs: number;
  /** Whether a pid is a running process; injectable for tests. */
  isAlive?: (pid: number) => boolean;
}

export class LockTimeout extends Error {
  constructor(readonly holder: OwnerInfo | undefined) {
    super('lock timeout');
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const HOST = hostname();

/** `kill(pid, 0)`: ESRCH means no such process; EPERM means it exists but belongs to someone else. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner<N>(dir: string): Promise<OwnerInfo<N> | undefined> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return undefined;
  }
  for (const name of entries) {
    const m = OWNER_ENTRY.exec(name);
    if (!m) continue;
    const owner: OwnerInfo<N> = { pid: Number(m[1]), host: Buffer.from(m[2]!, 'hex').toString('utf8'), nonce: m[3]! };
    try {
      owner.note = JSON.parse(await readFile(join(dir, 'note.json'), 'utf8')) as N;
    } catch {
      // No note, or one being written: the owner is known either way.
    }
    return owner;
  }
  // No owner entry: the holder died between the two mkdirs, or is between them now.
  return undefined;
}

async function mtimeMs(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
}

/** A holder that is provably gone: a dead pid on this host, a stopped heartbeat, or no owner file for a while. */
function isAbandoned(owner: OwnerInfo | undefined, mtime: number, opts: AcquireOptions): boolean {
  const age = Date.now() - mtime;
  if (age > opts.staleMs) return true;
  if (!owner) return age > 2_000;
  return owner.host === HOST && !(opts.isAlive ?? processIsAlive)(owner.pid);
}

/**
 * Removes an abandoned lock under a short-lived second lock, re-checking inside it, so two waiters
 * that both saw the dead holder cannot remove each other's fresh lock.
 */
async function takeOver<N>(dir: string, seen: OwnerInfo<N> | undefined, opts: AcquireOptions): Promise<boolean> {
  const guard = `${dir}.takeover`;
  try {
    await mkdir(guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // A waiter killed inside this tiny window leaves the guard behind: it is only ever held for a few ms.
    const m = await mtimeMs(guard);
    if (m !== undefined && Date.now() - m > 2_000) await rm(guard, { recursive: true, force: true });
    return false;
  }
  try {
    const now = await readOwner<N>(dir);
    const m = await mtimeMs(dir);
    if (m === undefined) return true; // released meanwhile
    if (now?.nonce !== seen?.nonce || !isAbandoned(now, m, opts)) return false;
    await rm(dir, { recursive: true, force: true });
    return true;
  } finally {
    await rm(guard, { recursive: true, force: true });
  }
}

export async function acquireOwnedLock<N = unknown>(dir: string, opts: AcquireOptions): Promise<OwnedLock<N>> {
  const deadline = Date.now() + opts.timeoutMs;
  let takenOver: OwnerInfo<N> | undefined;
  for (;;) {
    try {
      await mkdir(dir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = await readOwner<N>(dir);
    const m = await mtimeMs(dir);
    if (m !== undefined && isAbandoned(owner, m, opts)) {
      if (await takeOver(dir, owner, opts)) takenOver = owner ?? takenOver;
      continue;
    }
    if (Date.now() >= deadline) throw new LockTimeout(owner);
    await sleep(15 + Math.random() * 35);
  }

  const me: OwnerInfo<N> = { pid: process.pid, host: HOST, nonce: randomUUID() };
  const mine = join(dir, ownerEntryName(me));
  try {
    await mkdir(mine);
  } catch (e) {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
  const stillMine = () => stat(mine).then(
    () => true,
    () => false,
  );
  // The heartbeat keeps a live holder from looking stale; unref'd so it never keeps a CLI alive.
  const heartbeat = setInterval(() => {
    const t = new Date();
    void utimes(dir, t, t).catch(() => undefined);
  }, Math.max(250, Math.floor(opts.staleMs / 4)));
  heartbeat.unref();
  let released = false;

  return {
    takenOver,
    async setNote(note) {
      const file = join(dir, 'note.json');
      // Written in place: a reader that sees a torn note ignores it; the owner entry is what counts.
      if (note === undefined) await rm(file, { force: true });
      else await writeFile(file, JSON.stringify(note), { mode: 0o600 });
    },
    compromised: async () => !(await stillMine()),
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      if (await stillMine()) await rm(dir, { recursive: true, force: true });
    },
  };
}
