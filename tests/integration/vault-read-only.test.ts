import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createVaultStore, DATA_KEY_ACCOUNT, vaultFile } from '../../src-main/core/secrets/vault.js';
import { createItemStore } from '../../src-main/core/secrets/item-store.js';
import { keychainService } from '../../src-main/core/secrets/keytar.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { KeytarFake } from '../helpers/keytar-fake.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';
import { mountTmpfs, tmpfsUnavailable } from '../helpers/tmpfs.js';

const unavailable = tmpfsUnavailable();

// Root ignores chmod, so a tmpfs remounted read-only (EROFS) is the folder we may not write.
describe.skipIf(unavailable !== undefined)('the secrets vault in a read-only configuration folder', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.splice(0).reverse()) c();
  });
  /** A config folder on its own tmpfs, and a fake keychain; remount('ro') makes it read-only. */
  function folder() {
    const host = makeHome('tokendesk-vault-ro-');
    const dir = join(host.dir, 'home');
    mkdirSync(dir);
    const fs = mountTmpfs(dir, 'size=256k,mode=0700');
    cleanups.push(() => void host.cleanup());
    cleanups.push(() => fs.unmount());
    return { dir, fs, fake: new KeytarFake() };
  }

  it('no vault and no older items: reads answer "nothing stored" instead of failing, and nothing is written', async () => {
    const { dir, fs, fake } = folder();
    fs.remount('ro');
    const store = createVaultStore(dir, { keytar: fake.process() });
    expect(await store.loadAll()).toEqual(new Map());
    expect(await store.get(secretKeys.session('id-1'))).toBeUndefined();
    const e = await rejection(store.set(secretKeys.apiKey('e'), 'x'), 'config_unwritable');
    expect(e.message).toMatch(/is read-only \(EROFS/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('no vault but an older per-item installation: its entries are read as they are, left in the keychain, and moved in once the folder is writable', async () => {
    const { dir, fs, fake } = folder();
    const old = createItemStore(dir, { keytar: fake.process() });
    await old.set(secretKeys.session('id-1'), 'old-session');
    await old.set(secretKeys.anonKey('env-1'), 'anon');
    fs.remount('ro');

    const store = createVaultStore(dir, { keytar: fake.process() });
    const want = new Map([[secretKeys.session('id-1'), 'old-session'], [secretKeys.anonKey('env-1'), 'anon']]);
    expect(await store.loadAll()).toEqual(want);
    expect(await store.get(secretKeys.anonKey('env-1'))).toBe('anon');
    const accounts = () => [...(fake.items.get(keychainService(dir))?.keys() ?? [])];
    expect(accounts()).toEqual(expect.arrayContaining([secretKeys.session('id-1'), secretKeys.anonKey('env-1')]));
    expect(accounts()).not.toContain(DATA_KEY_ACCOUNT);
    expect(readdirSync(dir)).toEqual([]);

    // Writable again, the same process runs the migration it had to skip.
    fs.remount('rw');
    expect(await store.loadAll()).toEqual(want);
    expect(existsSync(vaultFile(dir))).toBe(true);
    expect(accounts()).toEqual([DATA_KEY_ACCOUNT]);
  });

  it('a vault whose old-item deletes are still pending is read as it is', async () => {
    const { dir, fs, fake } = folder();
    const old = createItemStore(dir, { keytar: fake.process() });
    await old.set(secretKeys.session('id-1'), 'old-session');
    const crashing = fake.process();
    crashing.failDeletes = true;
    expect((await createVaultStore(dir, { keytar: crashing }).loadAll()).size).toBe(1);
    fs.remount('ro');
    const before = readFileSync(vaultFile(dir));
    const store = createVaultStore(dir, { keytar: fake.process() });
    expect(await store.get(secretKeys.session('id-1'))).toBe('old-session');
    expect(readFileSync(vaultFile(dir)).equals(before)).toBe(true);
  });

  it('a damaged vault is reported as damaged (not as a read-only folder) and left in place, saying so', async () => {
    const { dir, fs, fake } = folder();
    await createVaultStore(dir, { keytar: fake.process() }).set(secretKeys.session('id-1'), 'secret-token');
    const bytes = readFileSync(vaultFile(dir));
    bytes[bytes.length - 20]! ^= 0x01;
    writeFileSync(vaultFile(dir), bytes);
    fs.remount('ro');
    const e = await rejection(createVaultStore(dir, { keytar: fake.process() }).loadAll(), 'vault_unreadable');
    expect(e.message).toMatch(/could not be read \(it failed its integrity check/);
    expect(e.message).toMatch(/left in place because it could not be moved aside \(the folder .* is read-only \(EROFS\)\)/);
    expect(e.message).not.toMatch(/moved to/);
    expect(readFileSync(vaultFile(dir)).equals(bytes)).toBe(true);
    // Nothing new beside the vault and the record of its keychain service, written with the key.
    expect(readdirSync(dir).sort()).toEqual(['secrets.keychain', 'secrets.vault']);
  });
});
