import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createVaultStore, vaultFile } from '../../src-main/core/secrets/vault.js';
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

  it('no vault: reads answer "nothing stored" instead of failing, and nothing is written', async () => {
    const { dir, fs, fake } = folder();
    fs.remount('ro');
    const store = createVaultStore(dir, { keytar: fake.process() });
    expect(await store.loadAll()).toEqual(new Map());
    expect(await store.get(secretKeys.session('id-1'))).toBeUndefined();
    const e = await rejection(store.set(secretKeys.apiKey('e'), 'x'), 'config_unwritable');
    expect(e.message).toMatch(/is read-only \(EROFS/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a damaged vault is reported as damaged (not as a read-only folder) and left in place, saying so', async () => {
    const { dir, fs, fake } = folder();
    const writer = createVaultStore(dir, { keytar: fake.process() });
    await writer.set(secretKeys.session('id-1'), 'secret-token');
    await writer.settled(); // its keychain item brought up and its lock released (done after set resolves)
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
