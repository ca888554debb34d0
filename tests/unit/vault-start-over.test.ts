import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startOverAfterLostKey } from '../../src-main/core/secrets/start-over.js';
import { keychainService, type KeytarLike } from '../../src-main/core/secrets/keytar.js';
import { createVaultStore, DATA_KEY_ACCOUNT, vaultFile } from '../../src-main/core/secrets/vault.js';
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
  async function sealed(): Promise<{ home: string; fake: KeytarFake; bytes: Buffer }> {
    const h = makeHome();
    homes.push(h);
    const fake = new KeytarFake();
    await createVaultStore(h.dir, { keytar: fake.process() }).set(secretKeys.apiKey('e'), 'kept-api-key');
    return { home: h.dir, fake, bytes: readFileSync(vaultFile(h.dir)) };
  }
  const moveAsideOf = (home: string, keytar: KeytarLike) => () => createVaultStore(home, { keytar }).startOver();
  const untouched = (home: string, bytes: Buffer) => {
    expect(readFileSync(vaultFile(home))).toEqual(bytes);
    expect(readdirSync(home).filter((n) => n.includes('.abandoned-'))).toEqual([]);
  };

  it('a locked keychain (its key looks missing to a lookup) is reported as locked, and the vault stays where it is', async () => {
    const { home, bytes } = await sealed();
    const kt = locked();
    await rejection(startOverAfterLostKey(createVaultStore(home, { keytar: kt }), moveAsideOf(home, kt)), 'keychain_locked');
    untouched(home, bytes);
  });

  it('an unreachable keychain is reported as such, and the vault stays', async () => {
    const { home, bytes } = await sealed();
    const down: KeytarLike = { ...locked(), getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')) };
    await rejection(startOverAfterLostKey(createVaultStore(home, { keytar: down }), moveAsideOf(home, down)), 'keychain_unavailable');
    untouched(home, bytes);
  });

  it('a vault that opens is refused; with the key gone, it is moved aside and a new vault starts empty', async () => {
    const { home, fake, bytes } = await sealed();
    const store = createVaultStore(home, { keytar: fake.process() });
    const e = await rejection(startOverAfterLostKey(store, moveAsideOf(home, fake.process())), 'invalid_input');
    expect(e.message).toMatch(/nothing to start over, and nothing was changed/);
    untouched(home, bytes);

    fake.items.get(keychainService(home))!.delete(DATA_KEY_ACCOUNT);
    const fresh = createVaultStore(home, { keytar: fake.process() });
    const aside = await startOverAfterLostKey(fresh, () => fresh.startOver());
    expect(readFileSync(aside)).toEqual(bytes);
    expect(await fresh.loadAll()).toEqual(new Map());
    await fresh.set(secretKeys.apiKey('e'), 'new-api-key');
    expect(await createVaultStore(home, { keytar: fake.process() }).get(secretKeys.apiKey('e'))).toBe('new-api-key');
  });
});
