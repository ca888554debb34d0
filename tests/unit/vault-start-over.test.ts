import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startOverAfterLostKey } from '../../src-main/core/secrets/start-over.js';
import { keychainService, type KeytarLike } from '../../src-main/core/secrets/keytar.js';
import { pathSpellings } from '../../src-main/core/secrets/path-spellings.js';
import { readServiceRecordSync, serviceRecordFile } from '../../src-main/core/secrets/service-record.js';
import { createVaultStore, DATA_KEY_ACCOUNT, vaultFile } from '../../src-main/core/secrets/vault.js';
import { decodeDataKey, openVault } from '../../src-main/core/secrets/vault-format.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { KeytarFake } from '../helpers/keytar-fake.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';

/**
 * A Secret Service whose collection is locked: every read answers "no such item" (libsecret does not
 * unlock for a lookup) and a write fails with its "locked collection" error.
 */
function locked(): KeytarLike {
  const no = (): Promise<never> => Promise.reject(new Error('Cannot create an item in a locked collection'));
  return { getPassword: async () => null, setPassword: no, deletePassword: no, findCredentials: async () => [] };
}

describe('starting over only when the key is what is lost', () => {
  const homes: Array<ReturnType<typeof makeHome>> = [];
  afterEach(async () => {
    await Promise.all(homes.splice(0).map((h) => h.cleanup()));
  });
  async function sealed(at?: (dir: string) => string): Promise<{ home: string; fake: KeytarFake; bytes: Buffer }> {
    const h = makeHome();
    homes.push(h);
    const home = at ? at(h.dir) : h.dir;
    const fake = new KeytarFake();
    await createVaultStore(home, { keytar: fake.process() }).set(secretKeys.apiKey('e'), 'kept-api-key');
    return { home, fake, bytes: readFileSync(vaultFile(home)) };
  }
  const startOver = (home: string, keytar: KeytarLike) => {
    const store = createVaultStore(home, { keytar });
    return startOverAfterLostKey(store, vaultFile(home), () => store.startOver());
  };
  const untouched = (home: string, bytes: Buffer) => {
    expect(readFileSync(vaultFile(home))).toEqual(bytes);
    expect(readdirSync(home).filter((n) => n.includes('.abandoned-'))).toEqual([]);
  };
  const loseKey = (fake: KeytarFake, home: string) => expect(fake.items.get(keychainService(home))!.delete(DATA_KEY_ACCOUNT)).toBe(true);

  it('a locked keychain (its key looks missing to a lookup) is reported as locked, before and under the lock, and the vault stays', async () => {
    const { home, bytes } = await sealed();
    await rejection(startOver(home, locked()), 'keychain_locked');
    // The lock's own check (a caller that skipped the first one) says the same.
    await rejection(createVaultStore(home, { keytar: locked() }).startOver(), 'keychain_locked');
    untouched(home, bytes);
  });

  it('an unreachable keychain is reported as such, and the vault stays', async () => {
    const { home, bytes } = await sealed();
    await rejection(startOver(home, { ...locked(), getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')) }), 'keychain_unavailable');
    untouched(home, bytes);
  });

  it('a vault that opens is refused; with the key gone it is moved aside and a new vault starts empty; then there is none to start over', async () => {
    const { home, fake, bytes } = await sealed();
    expect((await rejection(startOver(home, fake.process()), 'invalid_input')).message).toMatch(/nothing to start over, and nothing was changed/);
    untouched(home, bytes);

    loseKey(fake, home);
    const store = createVaultStore(home, { keytar: fake.process() });
    const aside = await startOverAfterLostKey(store, vaultFile(home), () => store.startOver());
    expect(readFileSync(aside)).toEqual(bytes);
    expect(await store.loadAll()).toEqual(new Map());
    expect((await rejection(startOver(home, fake.process()), 'not_found')).message).toMatch(/There is no secrets vault at .* to start over/);
    await store.set(secretKeys.apiKey('e'), 'new-api-key');
    expect(await createVaultStore(home, { keytar: fake.process() }).get(secretKeys.apiKey('e'))).toBe('new-api-key');
  });

  it('the new key goes under a new service: an old key restored later (a keychain backup) sits beside it, and still opens the vault kept aside', async () => {
    const { home, fake, bytes } = await sealed();
    const oldService = keychainService(home);
    const oldKey = fake.items.get(oldService)!.get(DATA_KEY_ACCOUNT)!;
    loseKey(fake, home);
    const store = createVaultStore(home, { keytar: fake.process() });
    const aside = await startOverAfterLostKey(store, vaultFile(home), () => store.startOver());
    await store.set(secretKeys.session('i1'), 'after-the-start-over');
    expect(readServiceRecordSync(home)).not.toBe(oldService);

    fake.items.get(oldService)!.set(DATA_KEY_ACCOUNT, oldKey); // the backup comes back
    expect(await createVaultStore(home, { keytar: fake.process() }).get(secretKeys.session('i1'))).toBe('after-the-start-over');
    expect(readdirSync(home).filter((n) => n.includes('.corrupt-'))).toEqual([]);
    // The kept vault names its service beside it, and opens with the old key under it.
    const keptService = readFileSync(`${aside}.keychain`, 'utf8').trim();
    expect(keptService).toBe(oldService);
    expect(openVault(bytes, decodeDataKey(oldKey)!, keptService).entries.get(secretKeys.apiKey('e'))).toBe('kept-api-key');
  });

  it('a process that saw the key lost does not move aside the new vault another process made meanwhile', async () => {
    const { home, fake } = await sealed();
    loseKey(fake, home);
    const slow = createVaultStore(home, { keytar: fake.process() });
    await rejection(slow.loadAll(), 'vault_key_missing'); // its check passed…
    const quick = createVaultStore(home, { keytar: fake.process() });
    await quick.startOver();
    await quick.set(secretKeys.session('i1'), 'signed-in-again');
    const newVault = readFileSync(vaultFile(home));
    // …but under the lock the keychain's new key opens the vault now there.
    await rejection(slow.startOver(), 'invalid_input');
    expect(readFileSync(vaultFile(home))).toEqual(newVault);
    expect(await slow.get(secretKeys.session('i1'))).toBe('signed-in-again');
  });

  it('a key kept under the real path of a folder reached through a symlink, with no record: found, recorded, and nothing moved', async () => {
    let real = '';
    const { home: realHome, fake, bytes } = await sealed((dir) => {
      real = join(dir, 'real');
      mkdirSync(real);
      return real;
    });
    rmSync(serviceRecordFile(realHome)); // as an earlier version left it
    const alias = join(realHome, '..', 'alias');
    symlinkSync(real, alias);
    await rejection(createVaultStore(alias, { keytar: fake.process() }).loadAll(), 'vault_key_missing');

    const e = await rejection(startOver(alias, fake.process()), 'invalid_input');
    expect(e.message).toMatch(/under another spelling of this folder's path; recorded now/);
    untouched(realHome, bytes);
    expect(readServiceRecordSync(alias)).toBe(keychainService(real));
    expect(await createVaultStore(alias, { keytar: fake.process() }).get(secretKeys.apiKey('e'))).toBe('kept-api-key');
  });
});

describe('the spellings a folder\'s key may be stored under', () => {
  const fail = (): string => {
    throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  };

  it('Windows: the canonical case and long name from the OS, each with the drive letter either way (a shell may say c:)', () => {
    const spellings = pathSpellings({
      platform: 'win32',
      resolved: 'c:\\users\\bob\\APPDAT~1\\Roaming\\tokendesk',
      realpath: (p) => p,
      realpathNative: () => 'C:\\Users\\Bob\\AppData\\Roaming\\tokendesk',
    });
    expect(spellings).toEqual([
      'c:\\users\\bob\\APPDAT~1\\Roaming\\tokendesk',
      'C:\\users\\bob\\APPDAT~1\\Roaming\\tokendesk',
      'C:\\Users\\Bob\\AppData\\Roaming\\tokendesk',
      'c:\\Users\\Bob\\AppData\\Roaming\\tokendesk',
    ]);
  });

  it('Windows: a UNC path has no drive letter to vary', () => {
    expect(pathSpellings({ platform: 'win32', resolved: '\\\\server\\share\\tokendesk', realpath: (p) => p, realpathNative: (p) => p })).toEqual(['\\\\server\\share\\tokendesk']);
  });

  it('macOS: /var is a symlink to /private/var', () => {
    const spellings = pathSpellings({ platform: 'darwin', resolved: '/var/folders/x1/T/tokendesk', realpath: (p) => `/private${p}`, realpathNative: (p) => `/private${p}` });
    expect(spellings).toEqual(['/var/folders/x1/T/tokendesk', '/private/var/folders/x1/T/tokendesk']);
  });

  it('a folder that cannot be resolved (gone, no permission) has only the spelling given', () => {
    expect(pathSpellings({ platform: 'linux', resolved: '/home/me/.config/tokendesk', realpath: fail, realpathNative: fail })).toEqual(['/home/me/.config/tokendesk']);
  });
});
