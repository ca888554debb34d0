import { mkdir, rename, stat } from 'node:fs/promises';
import { TokenDeskError } from '../errors.js';
import { lockCreationError, withFileLock, type LockOptions } from '../config/lock.js';
import { durableWrite } from '../fs/durable-write.js';
import { fileVersion } from '../fs/file-version.js';
import { FileTooLargeError, NotRegularFileError, readRegularFile } from '../fs/read-regular-file.js';
import { removeStaleTempFiles } from '../fs/temp-files.js';
import { mapKeychainError, type KeychainOp } from './keychain-errors.js';
import { assertUnlocked, keychainService, loadKeytar, PROBE, serviceForPath, type KeytarLike } from './keytar.js';
import { spellingsOf } from './path-spellings.js';
import { noVault, nothingToStartOver } from './start-over.js';
import { decodeDataKey, encodeDataKey, newDataKey, nodeCrypto, openVault, sealVault, VaultFormatError, VAULT_VERSION, type DataKey, type OpenedVault, type VaultContent, type VaultFault } from './vault-format.js';
import type { SecretChanges, SecretKey, SecretStore } from './types.js';
import { DATA_KEY_ACCOUNT, MAX_VAULT_BYTES, takePeekedKeyText, vaultFile } from './vault-peek.js';
import { readServiceRecordSync, serviceRecordFile, serviceRecordText } from './service-record.js';

export { DATA_KEY_ACCOUNT, vaultFile } from './vault-peek.js';

export interface VaultStoreOptions {
  keytar?: KeytarLike;
  lockOptions?: LockOptions;
}

export type VaultStore = SecretStore & {
  /** The keychain service holding the data key: the one the folder records (service-record.ts), else computed from its path. */
  readonly service: string;
  path: string;
  /** Settles once this process's last write has brought its keychain item up and released the vault lock. */
  settled(): Promise<void>;
  /**
   * Moves the vault aside (kept, never deleted) so TokenDesk starts with an empty one, and returns
   * where it went; only when, under the lock, no key in the keychain opens it. Refused otherwise
   * (a key found under another spelling of the folder's path is recorded, and the vault works again).
   */
  startOver(): Promise<string>;
};

/** `2024-05-01T10:20:30.123Z` -> `2024-05-01T102030.123Z`: colons are not allowed in Windows file names. */
const stamp = () => new Date().toISOString().replace(/:/g, '');
const empty = (): OpenedVault => ({ entries: new Map(), generation: 0 });

const FAULT_TEXT: Record<Exclude<VaultFault, 'future-version'>, string> = {
  truncated: 'it is cut short',
  'not-a-vault': 'it is not a TokenDesk secrets vault',
  'other-folder': 'it was sealed for another configuration folder, or with an earlier key of this one (copied or restored from elsewhere)',
  tampered: 'it failed its integrity check: it was altered or damaged, or the key in the OS keychain is not the one that sealed it',
  'bad-content': 'its content is damaged',
};

/**
 * Every secret of a config folder in one AES-256-GCM vault file (`<home>/secrets.vault`, format in
 * vault-format.ts), sealed with a random data key that is the folder's only keychain item. The key is
 * read from the keychain once per process; the file is re-read whenever it changed on disk (its
 * version: fs/file-version.ts), so the app sees what a CLI wrote and the other way round.
 *
 * Writes re-read the file inside a cross-process lock of their own (`secrets.vault.lock`), then
 * replace it atomically. Not the config lock: EnvironmentService.add/update write secrets while
 * holding the config lock (environments/orphans.ts relies on that), and the lock is not re-entrant, so
 * sharing it would deadlock them. Fails closed: no keychain, no key for an existing vault, or a vault
 * that does not open each throw their own TokenDeskError and nothing falls back to plain text.
 */
export function createVaultStore(home: string, opts: VaultStoreOptions = {}): VaultStore {
  let recorded = readServiceRecordSync(home);
  let service = recorded ?? keychainService(home);
  const path = vaultFile(home);
  const injected = opts.keytar ? Promise.resolve(opts.keytar) : undefined;
  /** The data key; its `generation` is what the keychain item holds as far as this process knows. */
  let dataKey: DataKey | undefined;
  /**
   * The highest generation this process has seen for a folder id: in the keychain item, in a vault
   * that opened, in a vault it wrote. A vault below it was put back from an older copy (rollback).
   * Known without reading the keychain again, so a process still reads it once.
   */
  let highest: { folderId: Buffer; generation: number } | undefined;
  let cache: { sig: string; content: OpenedVault } | undefined;
  let ready: Promise<void> | undefined;

  async function keychain<T>(op: KeychainOp, fn: (kt: KeytarLike) => Promise<T>): Promise<T> {
    const kt = await (injected ?? loadKeytar());
    try {
      return await fn(kt);
    } catch (e) {
      throw mapKeychainError(e, op);
    }
  }

  /** The data key, or undefined when the (unlocked) keychain has none. One keychain read per process. */
  async function loadKey(): Promise<DataKey | undefined> {
    if (dataKey) return dataKey;
    return keychain('read', async (kt) => {
      // The CLI's hot path may have read it already in this process (vault-peek.ts): not twice.
      let text = takePeekedKeyText(service) ?? (await kt.getPassword(service, DATA_KEY_ACCOUNT));
      const now = text === null ? readServiceRecordSync(home) : undefined;
      if (now !== undefined && now !== service) {
        // Another process (another spelling of this folder's path) recorded the folder's service since
        // this store started: that is where the key is.
        recorded = service = now;
        text = await kt.getPassword(service, DATA_KEY_ACCOUNT);
      }
      if (text === null) {
        await assertUnlocked(kt, service); // a locked keyring answers "missing" too
        return undefined;
      }
      const k = decodeDataKey(text);
      if (!k) throw new TokenDeskError('keychain_error', `The vault key in the OS keychain (${service}) is not one this TokenDesk can use; nothing was changed`);
      dataKey = k;
      seen(k, k.generation ?? 0);
      return k;
    });
  }

  function seen(k: DataKey, generation: number): void {
    if (!highest?.folderId.equals(k.folderId)) highest = { folderId: k.folderId, generation };
    else highest.generation = Math.max(highest.generation, generation);
  }

  /** The lowest generation a current vault sealed with `k` can have. */
  const floorOf = (k: DataKey): number =>
    Math.max(k.generation ?? 0, highest?.folderId.equals(k.folderId) ? highest.generation : 0);

  /**
   * After a vault of generation `generation` is on disk: the keychain item is brought up to it, so a
   * copy of any earlier vault is below it. Called under the lock (no other writer, no key being made).
   * Best effort: the secrets are stored already, and a vault ahead of the item is accepted (a
   * process killed between the two writes leaves exactly that); the next write or open tries again.
   */
  async function keepKeyUp(k: DataKey, generation: number): Promise<void> {
    if ((k.generation ?? 0) >= generation) return;
    try {
      await keychain('store', (kt) => kt.setPassword(service, DATA_KEY_ACCOUNT, encodeDataKey({ ...k, generation })));
      k.generation = generation;
    } catch {
      // Left one step behind: still a vault ahead of its item, which opens.
    }
  }

  const rolledBack = (found: number, expected: number) =>
    new TokenDeskError(
      'vault_rolled_back',
      `The secrets vault ${path} was restored from an older copy (it is generation ${found}; the OS keychain expects ${expected} or later): the sessions in it may have been signed out since and their refresh tokens spent, so nothing was sent to a server from it and nothing was changed. To start over with an empty vault (the old file is kept aside; you sign in again and re-enter the environments' keys): "Start over" in the app, or tokendesk vault start-over`,
    );

  const keyMissing = () =>
    new TokenDeskError(
      'vault_key_missing',
      `The key of the secrets vault ${path} is gone from the OS keychain (deleted, or the keychain was reset), so the sessions and keys it holds cannot be read. Nothing was changed. To start over with an empty vault (the old file is kept aside; you sign in again and re-enter the environments' keys): "Start over" in the app, or tokendesk vault start-over`,
    );

  const signature = (): Promise<string | undefined> =>
    fileVersion(path).catch((e: unknown) => {
      throw unreadable(e);
    });

  function unreadable(e: unknown): TokenDeskError {
    if (e instanceof TokenDeskError) return e;
    if (e instanceof NotRegularFileError) {
      return new TokenDeskError('vault_unreadable', `The secrets vault ${path} is not a regular file (${e.kind}): move it away. It was left untouched`, { cause: e });
    }
    if (e instanceof FileTooLargeError) {
      return new TokenDeskError('vault_unreadable', `The secrets vault ${path} is larger than ${MAX_VAULT_BYTES / 1024 / 1024} MiB, far more than a vault holds: move it away. It was left untouched`, { cause: e });
    }
    const code = (e as NodeJS.ErrnoException).code ?? 'I/O error';
    return new TokenDeskError('vault_unreadable', `The secrets vault ${path} cannot be read (${code})`, { cause: e });
  }

  /**
   * Opens `bytes` with the data key. A key cached in this process may be an old one: another process
   * may have started over and put a new key in the keychain. So on a fault a wrong key explains, the
   * key is read from the keychain again and tried once more before the file is called bad.
   */
  async function open(bytes: Buffer, keyChecked: boolean): Promise<{ content: OpenedVault; key: DataKey }> {
    const wasCached = dataKey !== undefined;
    const k = await loadKey();
    if (!k) throw keyMissing();
    try {
      return { content: openVault(bytes, k, service), key: k };
    } catch (e) {
      if (!(e instanceof VaultFormatError) || (e.fault !== 'other-folder' && e.fault !== 'tampered')) throw e;
      // A store started before the folder's record was written found a key under the service its own
      // spelling of the path gives (an old one): the record says where this vault's key is.
      const now = readServiceRecordSync(home);
      if (now !== undefined && now !== service) {
        recorded = service = now;
        dataKey = undefined;
        const theirs = await loadKey();
        if (!theirs) throw keyMissing();
        return { content: openVault(bytes, theirs, service), key: theirs };
      }
      if (!wasCached || keyChecked) throw e;
      dataKey = undefined;
      const fresh = await loadKey();
      if (!fresh) throw keyMissing();
      if (fresh.key.equals(k.key) && fresh.folderId.equals(k.folderId)) throw e;
      return { content: openVault(bytes, fresh, service), key: fresh };
    }
  }

  /**
   * Reads and opens the file. `held` is given only by callers holding the lock: they always read the
   * file itself (a cache hit on size+mtime+inode can be stale: inodes are reused at once, timestamps
   * are coarse, a rotated token keeps the size) and may move a bad file aside. `key` is the one that
   * opened it, for a writer to seal with.
   */
  async function readFile(
    held?: Held,
    keyChecked = false,
    early?: Snapshot,
  ): Promise<{ sig: string | undefined; content: OpenedVault; key: DataKey | undefined }> {
    const sig = await signature();
    if (sig === undefined) return { sig, content: empty(), key: undefined };
    if (!held && cache?.sig === sig) return { ...cache, key: dataKey };
    let bytes: Buffer | undefined;
    if (!held && early?.sig === sig) bytes = early.bytes;
    else {
      try {
        bytes = await readRegularFile(path, MAX_VAULT_BYTES);
      } catch (e) {
        throw unreadable(e);
      }
    }
    if (bytes === undefined) return { sig: undefined, content: empty(), key: undefined };
    try {
      const { content, key } = await open(bytes, keyChecked);
      const floor = floorOf(key);
      if (content.generation < floor) {
        // Never moved aside: the user decides (start over). Outside the lock a writer may be between
        // its two writes (this file read before its vault, the key after its keychain write): decided
        // under the lock, on the file as it is then. A read-only folder has no such writer.
        if (held) throw rolledBack(content.generation, floor);
        return await locked((h) => readFile(h, true)).catch((err: unknown) => {
          throw isUnwritable(err) ? rolledBack(content.generation, floor) : err;
        });
      }
      seen(key, content.generation);
      // Cached only if the file did not change while it was read.
      const after = await signature();
      if (after === sig) cache = { sig, content };
      return { sig: after, content, key };
    } catch (e) {
      if (!(e instanceof VaultFormatError)) throw e;
      if (e.fault === 'future-version') {
        throw new TokenDeskError(
          'vault_unreadable',
          `The secrets vault ${path} was written by a newer TokenDesk (vault format ${e.version ?? '?'}, this one reads ${VAULT_VERSION}); update TokenDesk. The file was left untouched`,
        );
      }
      const fault = e.fault;
      if (!held) {
        // The key was just checked against the keychain (or read from it): not again under the lock.
        return locked((h) => readFile(h, true)).catch((err: unknown) => {
          throw isUnwritable(err) ? leftInPlace(fault, err) : err;
        });
      }
      let aside = `${path}.corrupt-${stamp()}`;
      for (let i = 1; await exists(aside); i++) aside = `${path}.corrupt-${stamp()}-${i}`;
      await held();
      await rename(path, aside).catch((err: unknown) => {
        throw leftInPlace(fault, err);
      });
      cache = undefined;
      throw new TokenDeskError(
        'vault_unreadable',
        `The secrets vault could not be read (${FAULT_TEXT[fault]}); it was moved to ${aside} and TokenDesk starts with an empty vault: sign in again and re-enter the environments' keys`,
      );
    }
  }

  /** A bad vault that could not be moved aside (a read-only folder): reported as bad, and said to be still there. */
  function leftInPlace(fault: Exclude<VaultFault, 'future-version'>, cause: unknown): TokenDeskError {
    const errno = (cause instanceof TokenDeskError ? cause.cause : cause) as NodeJS.ErrnoException | undefined;
    const code = errno?.code ?? 'I/O error';
    const why = code === 'EROFS' || code === 'EACCES' || code === 'EPERM' ? `the folder ${home} is read-only (${code})` : `${code}`;
    return new TokenDeskError(
      'vault_unreadable',
      `The secrets vault ${path} could not be read (${FAULT_TEXT[fault]}); it was left in place because it could not be moved aside (${why}). Move it away to start with an empty vault`,
      { cause },
    );
  }

  /** Throws `config_locked` (retryable) once another process has taken the lock over; called right before each write. */
  type Held = () => Promise<void>;

  async function locked<T>(fn: (held: Held) => Promise<T>, lockOptions: LockOptions | undefined = opts.lockOptions): Promise<T> {
    await mkdir(home, { recursive: true, mode: 0o700 }).catch((e: unknown) => {
      throw lockCreationError(e, home) ?? e;
    });
    return withFileLock(
      path,
      async (assertHeld) => {
        // Holding the lock, no writer of ours is mid-write: a temp file of a dead one is litter.
        await removeStaleTempFiles(path);
        return fn(assertHeld);
      },
      lockOptions,
    );
  }

  /**
   * Seals the next generation and replaces the file, then brings the keychain item up to it: the vault
   * first, so a crash between the two leaves a vault one ahead of its item (accepted), never behind.
   */
  async function write(content: VaultContent, key: DataKey, held: Held, onDisk: () => void = () => undefined): Promise<void> {
    const generation = floorOf(key) + 1;
    const bytes = sealVault(content, key, service, generation);
    // Paused past the stale time (SIGSTOP, sleep), another process may own the lock and the file now.
    await held();
    try {
      await durableWrite(path, bytes, { mode: 0o600 });
    } catch (e) {
      cache = undefined;
      const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
      const link = e instanceof NotRegularFileError ? ` because it is ${e.kind}, never written through: move it away` : '';
      throw new TokenDeskError('config_unwritable', `The secrets vault could not be saved to ${path} (${code})${link}; nothing was changed`, { cause: e });
    }
    seen(key, generation);
    const sig = await signature().catch(() => undefined);
    cache = sig === undefined ? undefined : { sig, content: { ...content, generation } };
    // The secrets are stored: the caller goes on now (a sign-in does not wait ~10 ms for the keychain's
    // D-Bus or XPC round trip), while the item is brought up under the same lock.
    onDisk();
    await keepKeyUp(key, generation);
  }

  /**
   * The file as it is now, read while the keychain answers (a D-Bus or XPC round trip to another
   * process): a new process's first load then costs the longer of the two, not their sum, so a vault
   * of 100 identities loads nearly as fast as one of 1. Used only if the file is still that version.
   */
  async function snapshot(): Promise<Snapshot | undefined> {
    const sig = await signature();
    if (sig === undefined || cache?.sig === sig) return undefined;
    const bytes = await readRegularFile(path, MAX_VAULT_BYTES);
    return bytes && (await signature()) === sig ? { sig, bytes } : undefined;
  }

  /**
   * Once per process: the key read (in the steady state the single keychain read of the process), a
   * vault left ahead of its key item brought up, the folder's service recorded. Each write is best
   * effort and without waiting, so a folder where the lock cannot be made (read-only, full) still reads.
   */
  function ensureReady(): Promise<void> {
    const attempt = (ready ??= (async () => {
      // Any failure is readFile's to report below, with its message.
      const early = dataKey ? undefined : snapshot().catch(() => undefined);
      let key = await loadKey();
      const sig = await signature();
      // A vault seen without a key may be one another process sealed since our key read: it stores
      // the key before it writes the vault, so a second read tells "just made" from "key gone".
      if (!key && sig !== undefined && (key = await loadKey())) {
        // Our "missing" check wrote the probe, maybe after the other process removed it: tidy it, under
        // the lock (where keys are made). Best-effort: a leftover probe holds nothing secret.
        await locked(() => keychain('delete', (kt) => kt.deletePassword(service, PROBE))).catch(() => undefined);
      }
      if (key && sig !== undefined) {
        const { sig: opened, content } = await readFile(undefined, false, await early);
        if (content.generation > (key.generation ?? 0)) {
          // A process killed between its two writes left the vault ahead of the keychain item: bring
          // the item up now (under the lock, on the file as it is then), or a copy of the vault it
          // replaced would still pass. Best effort, without waiting: the next write does it too.
          await locked(
            async (held) => {
              const now = await readFile(held);
              if (now.key) await keepKeyUp(now.key, now.content.generation);
            },
            { ...opts.lockOptions, timeoutMs: 0 },
          ).catch(() => undefined);
        }
        // A folder of an earlier version: record the service that opened it, once. Best effort and
        // without waiting for the lock (a read-only folder keeps working on the computed name). Only
        // if, under the lock, nobody recorded one and the vault is still the one this key opened: a
        // process of another spelling may have started over meanwhile with a key and record of its own.
        if (recorded !== service) {
          await locked(
            async () => {
              if (readServiceRecordSync(home) === undefined && opened !== undefined && (await signature()) === opened) await recordService();
            },
            { ...opts.lockOptions, timeoutMs: 0 },
          ).catch(() => undefined);
        }
        return;
      }
      if (!key && sig !== undefined) throw keyMissing();
      if (key) return; // a key whose vault a crash kept from being written: the next write makes it
      // No vault and no key: our "missing" check wrote the probe. Tidied under the lock, where keys are
      // made: another process may be making the vault meanwhile. A read-only folder keeps the probe.
      await locked(async () => {
        const k = await loadKey();
        if ((await signature()) !== undefined) {
          if (!k) throw keyMissing();
          return; // another process made the vault meanwhile
        }
        if (!k) await keychain('delete', (kt) => kt.deletePassword(service, PROBE)).catch(() => undefined);
      }).catch((e: unknown) => {
        if (!isUnwritable(e)) throw e;
      });
    })().then(
      () => undefined,
      (e: unknown) => {
        ready = undefined; // not done: the next call tries again
        throw e;
      },
    ));
    return attempt;
  }

  /** Only under the lock, and only when no vault exists: two processes never seal with different keys. */
  async function createKey(): Promise<DataKey> {
    const k = newDataKey();
    await keychain('store', async (kt) => {
      await kt.setPassword(service, DATA_KEY_ACCOUNT, encodeDataKey(k));
      await kt.deletePassword(service, PROBE).catch(() => false);
    });
    dataKey = k;
    // Before the vault is written, so no vault exists without its record (best effort, as above).
    await recordService().catch(() => undefined);
    return k;
  }

  /** Writes the folder's service record (service-record.ts); call under the lock. */
  async function recordService(): Promise<void> {
    await removeStaleTempFiles(serviceRecordFile(home)); // a killed writer's, the only time one can be left
    await durableWrite(serviceRecordFile(home), serviceRecordText(service), { mode: 0o600 });
    recorded = service;
  }

  /**
   * Under the lock, before the vault is abandoned: keys are made only under this lock, so what the
   * keychain holds now is final. A key that opens these bytes, under the recorded service or one
   * computed from any spelling of the folder's path (path-spellings.ts), means the key was never lost:
   * it is adopted and recorded, and starting over is refused. The service is sealed into the vault,
   * so only this folder's own key can open it. A locked keychain answers "no key" for every item: the
   * probe (assertUnlocked) tells that apart and throws keychain_locked instead.
   */
  async function assertKeyLost(bytes: Buffer): Promise<'key-lost' | 'rolled-back'> {
    const now = readServiceRecordSync(home);
    const candidates = [...new Set([now ?? service, service, ...spellingsOf(home).map(serviceForPath)])];
    for (const candidate of candidates) {
      const text = await keychain('read', (kt) => kt.getPassword(candidate, DATA_KEY_ACCOUNT));
      const k = text === null ? undefined : decodeDataKey(text);
      if (!k) continue;
      let generation: number;
      try {
        ({ generation } = openVault(bytes, k, candidate));
      } catch {
        continue; // another folder's key, or an old one of this folder's
      }
      service = candidate;
      dataKey = k;
      seen(k, k.generation ?? 0);
      cache = undefined;
      ready = undefined;
      if (now !== candidate) await recordService().catch(() => undefined);
      // Its own key opens it, but it is older than that key's last vault: the one other case to start over.
      if (generation < floorOf(k)) return 'rolled-back';
      throw nothingToStartOver(candidate === (now ?? candidates[0]) ? '' : " (under another spelling of this folder's path; recorded now, so every spelling finds it)");
    }
    await keychain('read', (kt) => assertUnlocked(kt, service));
    return 'key-lost';
  }

  /**
   * After a start-over, the new key goes under a new service, named in the folder's record: should
   * the old item come back (a keychain restored from a backup, a collection that was only hidden), it
   * then sits beside the new key instead of replacing it (which would make the new vault unreadable),
   * and it still opens the vault kept aside, whose service is written beside it
   * (`<aside>.keychain`). Best effort: if the record cannot be written, the old name is kept, as
   * every process would compute it.
   */
  async function newServiceAfterStartOver(aside: string): Promise<void> {
    const old = service;
    await durableWrite(`${aside}.keychain`, serviceRecordText(old), { mode: 0o600 }).catch(() => undefined);
    service = `TokenDesk ${nodeCrypto().randomBytes(8).toString('hex')}`;
    try {
      await recordService();
    } catch {
      service = old;
    }
  }

  /**
   * This process's last write, until its keychain item is brought up: the next write here waits for it
   * instead of polling the lock it still holds.
   */
  let tail: Promise<unknown> = Promise.resolve();

  /**
   * Resolves once the new vault is on disk; the keychain item is brought up to its generation right
   * after, still under the vault lock (keepKeyUp). A crash in between leaves the vault one ahead of its
   * item, which is accepted and brought up at the next open; meanwhile (about 10 ms) a put-back copy
   * of the vault just replaced would not be caught.
   */
  async function mutate(change: (entries: Map<string, string>) => boolean | Promise<boolean>): Promise<void> {
    await ensureReady();
    await tail;
    let onDisk!: () => void;
    const written = new Promise<void>((r) => (onDisk = r));
    const whole = locked(async (held) => {
      const read = await readFile(held);
      let key = read.key;
      if (read.sig === undefined) {
        // No vault: seal with the keychain's key, not one cached before another process started over.
        dataKey = undefined;
        key = await loadKey();
      }
      const entries = new Map(read.content.entries);
      if (!(await change(entries))) return;
      key ??= await createKey();
      await write({ entries }, key, held, onDisk);
    });
    tail = whole.catch(() => undefined);
    await Promise.race([written, whole]);
  }

  async function current(): Promise<Map<string, string>> {
    await ensureReady();
    return (await readFile()).content.entries;
  }

  return {
    get service() {
      return service;
    },
    path,
    settled: () => tail.then(() => undefined),
    loadAll: async () => new Map(await current()),
    get: async (key: SecretKey) => (await current()).get(key),
    set: (key: SecretKey, value: string) => mutate((m) => applyTo(m, [[key, value]])),
    delete: (key: SecretKey) => mutate((m) => applyTo(m, [[key, undefined]])),
    apply: (changes: SecretChanges) => (changes.length === 0 ? Promise.resolve() : mutate((m) => applyTo(m, changes))),
    // Decided on the entries read under the vault lock, so no other write lands between the read and this one.
    update: (decide) => mutate(async (m) => applyTo(m, await decide((key) => m.get(key)))),
    startOver: () =>
      locked(async (held) => {
        const bytes = await readRegularFile(path, MAX_VAULT_BYTES).catch((e: unknown) => {
          throw unreadable(e);
        });
        if (bytes === undefined) throw noVault(path);
        const why = await assertKeyLost(bytes);
        let aside = `${path}.abandoned-${stamp()}`;
        for (let i = 1; await exists(aside); i++) aside = `${path}.abandoned-${stamp()}-${i}`;
        await held();
        await rename(path, aside);
        cache = undefined;
        ready = undefined;
        if (why === 'rolled-back') {
          // The key is not lost: it stays, and the new vault continues its generations, so the copy
          // moved aside stays older than every vault written from now on.
          return aside;
        }
        dataKey = undefined;
        await newServiceAfterStartOver(aside);
        return aside;
      }),
  };
}

/** Applies `changes` to `entries` in order; true when an entry ends up other than it was (else nothing is written). */
function applyTo(entries: Map<string, string>, changes: SecretChanges): boolean {
  const before = new Map(changes.map(([key]) => [key, entries.get(key)]));
  for (const [key, value] of changes) {
    if (value === undefined) entries.delete(key);
    else entries.set(key, value);
  }
  return [...before].some(([key, was]) => entries.get(key) !== was);
}

/** The vault's bytes and the file version (signature) they were read from. */
type Snapshot = { sig: string; bytes: Buffer };

/** The lock (or the folder) cannot be created: a read-only or full folder, where reads must still work. */
const isUnwritable = (e: unknown) => e instanceof TokenDeskError && e.code === 'config_unwritable';

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
