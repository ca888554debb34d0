import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVaultStore, DATA_KEY_ACCOUNT, vaultFile } from '../../src-main/core/secrets/vault.js';
import { keychainService } from '../../src-main/core/secrets/keytar.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { serviceRecordFile } from '../../src-main/core/secrets/service-record.js';
import { KeytarFake } from '../helpers/keytar-fake.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';

/**
 * A pause point inside the vault's reads: the next read of the vault file (once `pauseNextRead` is
 * armed) gets its bytes, then waits for the test, as a process stopped by SIGSTOP or a laptop lid
 * would. Everything else is the real module on real files.
 */
const gate = vi.hoisted(() => ({ armed: false, paused: undefined as (() => void) | undefined, resume: undefined as Promise<void> | undefined }));
vi.mock('../../src-main/core/fs/read-regular-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src-main/core/fs/read-regular-file.js')>();
  return {
    ...real,
    readRegularFile: async (path: string, max: number) => {
      const bytes = await real.readRegularFile(path, max);
      if (gate.armed && path.endsWith('secrets.vault')) {
        gate.armed = false;
        gate.paused?.();
        await gate.resume;
      }
      return bytes;
    },
  };
});

const homes: ReturnType<typeof makeHome>[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) void h.cleanup();
});
const newHome = () => {
  const h = makeHome('tokendesk-vault-concurrency-');
  homes.push(h);
  return h.dir;
};
const asides = (home: string) => readdirSync(home).filter((n) => n.startsWith('secrets.vault.'));

describe('secrets vault: two processes', () => {
  it('a writer paused past the stale time whose lock was taken over writes nothing; the other\'s entries survive', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const a = createVaultStore(home, { keytar: fake.process() });
    await a.set(secretKeys.apiKey('env-1'), 'first');
    // Written by someone else since: A's next read is of the file, whatever it caches.
    await createVaultStore(home, { keytar: fake.process() }).set(secretKeys.apiKey('env-0'), 'zero');

    let resume!: () => void;
    gate.resume = new Promise<void>((r) => (resume = r));
    const paused = new Promise<void>((r) => (gate.paused = r));
    gate.armed = true;
    const aWrite = a.set(secretKeys.apiKey('env-a'), 'from-a');
    aWrite.catch(() => undefined); // awaited below, once B has written
    await paused; // A has read the vault under the lock and is stopped

    // B finds A's lock stale and takes it over (what acquireOwnedLock does to an abandoned lock), then writes.
    rmSync(`${vaultFile(home)}.lock`, { recursive: true, force: true });
    const b = createVaultStore(home, { keytar: fake.process() });
    await b.set(secretKeys.apiKey('env-b'), 'from-b');
    const afterB = readFileSync(vaultFile(home));

    resume();
    const e = await rejection(aWrite, 'config_locked');
    expect(e.retryable).toBe(true);
    expect(readFileSync(vaultFile(home)).equals(afterB)).toBe(true);
    const seen = await createVaultStore(home, { keytar: fake.process() }).loadAll();
    expect(seen.get(secretKeys.apiKey('env-b'))).toBe('from-b');
    expect(seen.get(secretKeys.apiKey('env-1'))).toBe('first');
    expect(seen.get(secretKeys.apiKey('env-0'))).toBe('zero');
    expect(seen.has(secretKeys.apiKey('env-a'))).toBe(false);

    // Retried (as the error invites), A's change lands next to B's.
    await a.set(secretKeys.apiKey('env-a'), 'from-a');
    const after = await createVaultStore(home, { keytar: fake.process() }).loadAll();
    expect([...after.keys()].sort()).toEqual([secretKeys.apiKey('env-0'), secretKeys.apiKey('env-1'), secretKeys.apiKey('env-a'), secretKeys.apiKey('env-b')].sort());
  });

  it('a process holding an old key re-reads the keychain before calling a vault sealed with the new key bad', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const app = createVaultStore(home, { keytar: fake.process() });
    await app.set(secretKeys.apiKey('env-1'), 'old');
    expect(await app.get(secretKeys.apiKey('env-1'))).toBe('old'); // the app now holds the key

    // The keychain was reset; the CLI starts over: old vault aside, a new key and a new vault.
    fake.items.get(keychainService(home))!.delete(DATA_KEY_ACCOUNT);
    const cli = createVaultStore(home, { keytar: fake.process() });
    expect(await cli.startOver()).toMatch(/abandoned-/);
    await cli.set(secretKeys.session('id-1'), 'new-session');

    expect(await app.get(secretKeys.session('id-1'))).toBe('new-session');
    await app.set(secretKeys.apiKey('env-2'), 'from-app');
    expect(asides(home).filter((n) => n.includes('corrupt'))).toEqual([]);
    const seen = await createVaultStore(home, { keytar: fake.process() }).loadAll();
    expect(seen).toEqual(new Map([[secretKeys.session('id-1'), 'new-session'], [secretKeys.apiKey('env-2'), 'from-app']]));
  });

  it('the same for a writer: it seals with the keychain\'s new key instead of moving the new vault aside', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const app = createVaultStore(home, { keytar: fake.process() });
    await app.set(secretKeys.apiKey('env-1'), 'old');
    fake.items.get(keychainService(home))!.delete(DATA_KEY_ACCOUNT);
    const cli = createVaultStore(home, { keytar: fake.process() });
    await cli.startOver();
    await cli.set(secretKeys.session('id-1'), 'new-session');

    await app.set(secretKeys.apiKey('env-2'), 'from-app');
    expect(asides(home).filter((n) => n.includes('corrupt'))).toEqual([]);
    expect(await cli.loadAll()).toEqual(new Map([[secretKeys.session('id-1'), 'new-session'], [secretKeys.apiKey('env-2'), 'from-app']]));
  });

  it('a vault that the keychain\'s key does not open either is still moved aside by a process that held the key', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const app = createVaultStore(home, { keytar: fake.process() });
    await app.set(secretKeys.apiKey('env-1'), 'old');
    const bytes = readFileSync(vaultFile(home));
    bytes[bytes.length - 20]! ^= 0x01;
    writeFileSync(vaultFile(home), bytes);
    const e = await rejection(app.get(secretKeys.apiKey('env-1')), 'vault_unreadable');
    expect(e.message).toMatch(/failed its integrity check.*moved to .*secrets\.vault\.corrupt-/);
    expect(existsSync(vaultFile(home))).toBe(false);
  });

  it('under the lock a write reads the file itself, even when size, mtime and inode match what it cached', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const path = vaultFile(home);
    const app = createVaultStore(home, { keytar: fake.process() });
    await app.set(secretKeys.session('id-1'), 'token-v1');
    const v1 = readFileSync(path);
    await createVaultStore(home, { keytar: fake.process() }).set(secretKeys.session('id-1'), 'token-v2'); // rotated: same size
    const v2 = readFileSync(path);
    expect(v2.length).toBe(v1.length);

    // The app caches v1 as the file's content at (size, mtime T, inode I)...
    const T = 1_700_000_000;
    writeFileSync(path, v1);
    utimesSync(path, T, T);
    expect(await app.get(secretKeys.session('id-1'))).toBe('token-v1');
    const sig = () => {
      const s = statSync(path, { bigint: true });
      return `${s.size}:${s.mtimeNs}:${s.ino}`;
    };
    const cached = sig();
    // ...then another process's rotation lands with the same size, a reused inode and the same coarse mtime.
    writeFileSync(path, v2);
    utimesSync(path, T, T);
    expect(sig()).toBe(cached);

    await app.set(secretKeys.apiKey('env-1'), 'key');
    const seen = await createVaultStore(home, { keytar: fake.process() }).loadAll();
    expect(seen.get(secretKeys.session('id-1'))).toBe('token-v2');
    expect(seen.get(secretKeys.apiKey('env-1'))).toBe('key');
  });

  it('a first start that read "no key" just before another process sealed the vault reads the key again instead of calling it gone', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const other = createVaultStore(home, { keytar: fake.process() });
    const mine = fake.process();
    const realGet = mine.getPassword.bind(mine);
    let raced = false;
    // Our key read answers "none"; before we look at the folder, the other first start makes the
    // key and seals the vault — the interleaving four CLIs started at once produced.
    mine.getPassword = async (service: string, account: string) => {
      const answer = await realGet(service, account);
      if (account === DATA_KEY_ACCOUNT && !raced) {
        raced = true;
        await other.set(secretKeys.apiKey('env-other'), 'theirs');
      }
      return answer;
    };
    const store = createVaultStore(home, { keytar: mine });
    await store.set(secretKeys.apiKey('env-mine'), 'mine');
    expect(raced).toBe(true);
    const all = await createVaultStore(home, { keytar: fake.process() }).loadAll();
    expect(all.get(secretKeys.apiKey('env-other'))).toBe('theirs');
    expect(all.get(secretKeys.apiKey('env-mine'))).toBe('mine');
    expect([...(fake.items.get(keychainService(home))?.keys() ?? [])]).toEqual([DATA_KEY_ACCOUNT]);
  });

  it('a process that opened an older folder does not overwrite a record another process wrote meanwhile', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    await createVaultStore(home, { keytar: fake.process() }).set(secretKeys.apiKey('env-1'), 'one');
    rmSync(serviceRecordFile(home)); // as an earlier version left it

    let resume!: () => void;
    gate.resume = new Promise<void>((r) => (resume = r));
    const paused = new Promise<void>((r) => (gate.paused = r));
    gate.armed = true;
    const reading = createVaultStore(home, { keytar: fake.process() }).get(secretKeys.apiKey('env-1'));
    await paused; // it has read the vault and is stopped before it records anything
    // Another spelling's process records the folder (say, after starting over with a key of its own).
    const theirs = 'TokenDesk 00000000000000ff\n';
    writeFileSync(serviceRecordFile(home), theirs);
    resume();
    expect(await reading).toBe('one');
    expect(readFileSync(serviceRecordFile(home), 'utf8')).toBe(theirs);
  });
});
