import { randomUUID } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rm, rmdir, stat, utimes, writeFile } from 'node:fs/promises';
import { NotRegularFileError, SYMLINK_KIND } from '../fs/read-regular-file.js';
import { performance } from 'node:perf_hooks';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * A cross-process lock that knows its owner: a directory (mkdir is atomic on every file system)
 * holding an entry named after the holder (`owner-<pid>-<host hex>-<nonce>`, itself a directory, so
 * taking the lock needs no data block and works on a full disk) and an optional `note-<nonce>.json`
 * the holder writes (the refresh lock records the renewal in flight there). A lock whose holder is a
 * dead process on this machine is taken over at once; one whose heartbeat (the directory's mtime,
 * touched every few seconds) we watched stand still for `staleMs` is taken over too — the fallback
 * for another host, a reused pid, and an older TokenDesk's ownerless proper-lockfile lock.
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
  /** A heartbeat seen standing still this long (on our monotonic clock) means the holder is gone, whatever its pid says. */
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
  const owners = await ownerEntries(dir);
  const first = owners[0];
  if (!first) return undefined; // the holder died between the two mkdirs, or is between them now
  const m = OWNER_ENTRY.exec(first)!;
  const owner: OwnerInfo<N> = { pid: Number(m[1]), host: Buffer.from(m[2]!, 'hex').toString('utf8'), nonce: m[3]! };
  try {
    owner.note = JSON.parse(await readFile(join(dir, noteName(owner.nonce)), 'utf8')) as N;
  } catch {
    // No note, or one being written: the owner is known either way.
  }
  return owner;
}

async function ownerEntries(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => OWNER_ENTRY.test(n)).sort();
  } catch {
    return [];
  }
}

/** Each holder writes its own note file, so a holder that lost the lock never writes into its successor's. */
const noteName = (nonce: string) => `note-${nonce}.json`;

async function mtimeMs(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
}

/**
 * How long this process has watched a lock's heartbeat stand still, on its own monotonic clock. The
 * wall-clock age of an mtime means nothing after a suspend (every lock looks hours old) or on a
 * network file system (the server's clock): a holder is stale only once we have seen its heartbeat
 * not move for `staleMs` ourselves. performance.now() does not advance while Linux or macOS sleep.
 */
class HeartbeatWatch {
  private seen = new Map<string, { mtime: number; since: number }>();

  stillFor(path: string, mtime: number): number {
    const now = performance.now();
    const prev = this.seen.get(path);
    if (!prev || prev.mtime !== mtime) {
      this.seen.set(path, { mtime, since: now });
      return 0;
    }
    return now - prev.since;
  }
}

/** A holder that is provably gone: a dead pid on this host, or a heartbeat we watched stand still for `staleMs`. */
function isAbandoned(path: string, owner: OwnerInfo | undefined, mtime: number, watch: HeartbeatWatch, opts: AcquireOptions): boolean {
  if (owner && owner.host === HOST && !(opts.isAlive ?? processIsAlive)(owner.pid)) return true;
  return watch.stillFor(path, mtime) > opts.staleMs;
}

/**
 * mkdir the lock, then our owner entry inside it; we hold it only if ours is then the only owner
 * entry. A holder that stalled between the two mkdirs (its lock looked ownerless and was taken over)
 * finds its successor's entry beside its own and backs off; of two entries made at once, neither
 * proceeds and both retry — never both.
 */
export async function tryCreateLock(dir: string, mine: string, entry: string): Promise<boolean> {
  try {
    await mkdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // A link in the lock's place would have us read owner entries, and take over and remove
    // them, in a folder someone else chose: refused, never waited on.
    if ((await lstat(dir).catch(() => undefined))?.isSymbolicLink()) throw new NotRegularFileError(dir, SYMLINK_KIND);
    return false;
  }
  return claimLock(dir, mine, entry);
}

/** The second step: our owner entry, kept only if it is the only one. Exported for the stall test. */
export async function claimLock(dir: string, mine: string, entry: string): Promise<boolean> {
  try {
    await mkdir(mine);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false; // taken over and removed meanwhile
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
  const owners = await ownerEntries(dir);
  if (owners.length === 1 && owners[0] === entry) return true;
  await rm(mine, { recursive: true, force: true }).catch(() => undefined);
  return false;
}

/**
 * Removes an abandoned lock under a second, owned lock (the guard), re-checking inside it, so two
 * waiters that both saw the dead holder cannot remove each other's fresh lock. The guard is itself
 * broken only when its holder is dead or its heartbeat stood still for `staleMs`.
 */
async function takeOver<N>(dir: string, seen: OwnerInfo<N> | undefined, watch: HeartbeatWatch, opts: AcquireOptions): Promise<boolean> {
  const guard = `${dir}.takeover`;
  const me = { pid: process.pid, host: HOST, nonce: randomUUID() };
  const entry = ownerEntryName(me);
  if (!(await tryCreateLock(guard, join(guard, entry), entry))) {
    const holder = await readOwner(guard);
    const m = await mtimeMs(guard);
    if (m !== undefined && isAbandoned(guard, holder, m, watch, opts)) await rm(guard, { recursive: true, force: true });
    return false;
  }
  try {
    const now = await readOwner<N>(dir);
    const m = await mtimeMs(dir);
    if (m === undefined) return true; // released meanwhile
    if (now?.nonce !== seen?.nonce || !isAbandoned(dir, now, m, watch, opts)) return false;
    await rm(dir, { recursive: true, force: true });
    return true;
  } finally {
    await rm(guard, { recursive: true, force: true });
  }
}

export async function acquireOwnedLock<N = unknown>(dir: string, opts: AcquireOptions): Promise<OwnedLock<N>> {
  const deadline = performance.now() + opts.timeoutMs;
  const watch = new HeartbeatWatch();
  const me: OwnerInfo<N> = { pid: process.pid, host: HOST, nonce: randomUUID() };
  const entry = ownerEntryName(me);
  const mine = join(dir, entry);
  let takenOver: OwnerInfo<N> | undefined;
  for (;;) {
    if (await tryCreateLock(dir, mine, entry)) break;
    const owner = await readOwner<N>(dir);
    const m = await mtimeMs(dir);
    if (m !== undefined && isAbandoned(dir, owner, m, watch, opts)) {
      if (await takeOver(dir, owner, watch, opts)) takenOver = owner ?? takenOver;
      continue;
    }
    if (performance.now() >= deadline) throw new LockTimeout(owner);
    await sleep(15 + Math.random() * 35);
  }

  const stillMine = () => stat(mine).then(
    () => true,
    () => false,
  );
  // The heartbeat keeps a live holder from looking stale; unref'd so it never keeps a CLI alive.
  const heartbeat = setInterval(() => {
    const t = new Date();
    void utimes(dir, t, t).catch(() => undefined);
  }, Math.max(100, Math.floor(opts.staleMs / 4)));
  heartbeat.unref();
  let released = false;
  let noted = false;
  const noteFile = join(dir, noteName(me.nonce));

  return {
    takenOver,
    async setNote(note) {
      // A holder that lost the lock writes nothing: its successor's folder is not its own.
      if (!(await stillMine())) throw Object.assign(new Error('the lock was taken over'), { code: 'ELOCKLOST' });
      if (note === undefined) await rm(noteFile, { force: true });
      else {
        noted = true;
        await writeFile(noteFile, JSON.stringify(note), { mode: 0o600 });
      }
    },
    compromised: async () => !(await stillMine()),
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      // Our own entries first, then the folder only if it is empty: a successor's lock is never removed.
      // The owner entry is an empty folder (one rmdir; rm's recursive walk only if something got in).
      if (noted) await rm(noteFile, { force: true }).catch(() => undefined);
      await rmdir(mine).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : rm(mine, { recursive: true, force: true })))
        .catch(() => undefined);
      await rmdir(dir).catch(() => undefined);
    },
  };
}
