import { createCipheriv, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createVaultStore, DATA_KEY_ACCOUNT, vaultFile } from '../../src-main/core/secrets/vault.js';
import { keychainService } from '../../src-main/core/secrets/keytar.js';
import { peekVault } from '../../src-main/core/secrets/vault-peek.js';
import { startOverAfterLostKey, assertVaultKeyLost } from '../../src-main/core/secrets/start-over.js';
import { decodeDataKey, readHeader, type DataKey } from '../../src-main/core/secrets/vault-format.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { KeytarFake } from '../helpers/keytar-fake.js';
import { makeHome } from '../helpers/home.js';

const homes: ReturnType<typeof makeHome>[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) void h.cleanup();
});
const newHome = () => {
  const h = makeHome('tokendesk-vault-rollback-');
  homes.push(h);
  return h.dir;
};

const SESSION = secretKeys.session('id-1');
const item = (fake: KeytarFake, home: string) => fake.items.get(keychainService(home))!.get(DATA_KEY_ACCOUNT)!;
const keyOf = (fake: KeytarFake, home: string): DataKey => decodeDataKey(item(fake, home))!;
const rejection = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as { code: string; message: string });

describe('a vault put back from an older copy (rollback)', () => {
  it('is refused as "restored from an older copy", left in place, and no write goes through it', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const app = createVaultStore(home, { keytar: fake.process() });
    await app.set(SESSION, 'session-before-sign-out');
    await app.settled(); // the keychain item is brought up just after the write resolves
    const backup = readFileSync(vaultFile(home));
    await app.delete(SESSION); // signed out
    await app.settled(); // the keychain item is brought up just after the write resolves
    writeFileSync(vaultFile(home), backup); // the copy from before is put back

    // A new process (one keychain read) and the running one (which saw the later vault) both refuse.
    for (const store of [createVaultStore(home, { keytar: fake.process() }), app]) {
      const e = await rejection(store.get(SESSION));
      expect(e).toMatchObject({ code: 'vault_rolled_back' });
      expect(e!.message).toMatch(/restored from an older copy.*nothing was sent to a server.*tokendesk vault start-over/);
      expect(await rejection(store.set(secretKeys.apiKey('e'), 'x'))).toMatchObject({ code: 'vault_rolled_back' });
    }
    expect(readFileSync(vaultFile(home))).toEqual(backup);
    expect(readdirSync(home).filter((n) => n.includes('.corrupt-'))).toEqual([]);

    // Nor can the copy be passed off as newer: the generation is bound into the sealed data.
    const forged = Buffer.from(backup);
    forged.writeUInt32BE(readHeader(backup).generation + 5, 20); // after magic, version and folder id
    writeFileSync(vaultFile(home), forged);
    expect(await rejection(createVaultStore(home, { keytar: fake.process() }).get(SESSION))).toMatchObject({ code: 'vault_unreadable' });
  });

  it('a writer killed between its two writes (the vault one generation ahead of the keychain) opens, and the keychain is brought up', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const store = createVaultStore(home, { keytar: fake.process() });
    await store.set(SESSION, 'first');
    await store.settled(); // the keychain item is brought up just after the write resolves
    const behind = item(fake, home);
    const older = readFileSync(vaultFile(home));
    await store.set(SESSION, 'renewed');
    await store.settled(); // the keychain item is brought up just after the write resolves
    // As if killed after the vault was written and before the keychain item was: the item of before.
    fake.items.get(keychainService(home))!.set(DATA_KEY_ACCOUNT, behind);
    expect(readHeader(readFileSync(vaultFile(home))).generation).toBe(keyOf(fake, home).generation! + 1);

    // The fast path leaves it to the store (which owns the keychain write)…
    const kt = fake.process();
    expect(await peekVault(home, keychainService(home), kt.getPassword(keychainService(home), DATA_KEY_ACCOUNT))).toBeUndefined();
    // …which reads it and brings the item up, so the vault it replaced is now an older copy.
    expect(await createVaultStore(home, { keytar: fake.process() }).get(SESSION)).toBe('renewed');
    expect(keyOf(fake, home).generation).toBe(readHeader(readFileSync(vaultFile(home))).generation);
    writeFileSync(vaultFile(home), older);
    expect(await rejection(createVaultStore(home, { keytar: fake.process() }).get(SESSION))).toMatchObject({ code: 'vault_rolled_back' });
  });

  it('a vault and key item of the previous version (no generation) open as they are and are migrated by the first write', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const service = keychainService(home);
    // Written as the previous release did: format 1 (no generation field), an item without `g`.
    const key = randomBytes(32);
    const folderId = randomBytes(12);
    await fake.process().setPassword(service, DATA_KEY_ACCOUNT, JSON.stringify({ v: 1, k: key.toString('base64'), f: folderId.toString('base64') }));
    const header = Buffer.concat([Buffer.from('TDVAULT'), Buffer.from([1]), folderId, randomBytes(12)]);
    const cipher = createCipheriv('aes-256-gcm', key, header.subarray(20), { authTagLength: 16 });
    cipher.setAAD(Buffer.concat([header.subarray(0, 20), Buffer.from(service)]));
    const body = Buffer.concat([cipher.update(JSON.stringify({ entries: { [SESSION]: 'from-the-old-release' } })), cipher.final()]);
    const v1 = Buffer.concat([header, body, cipher.getAuthTag()]);
    writeFileSync(vaultFile(home), v1, { mode: 0o600 });

    const store = createVaultStore(home, { keytar: fake.process() });
    expect(await store.get(SESSION)).toBe('from-the-old-release');
    expect(readFileSync(vaultFile(home))).toEqual(v1); // a read changes nothing
    await store.set(secretKeys.apiKey('e'), 'k');
    await store.settled(); // the keychain item is brought up just after the write resolves
    const now = readFileSync(vaultFile(home));
    expect(now[7]).toBe(2);
    expect(readHeader(now).generation).toBe(1);
    expect(JSON.parse(item(fake, home))).toMatchObject({ v: 1, g: 1 });
    expect(Buffer.byteLength(item(fake, home))).toBeLessThanOrEqual(120); // Windows allows 2,560
    // And the previous release's file is now an older copy.
    writeFileSync(vaultFile(home), v1);
    expect(await rejection(createVaultStore(home, { keytar: fake.process() }).get(SESSION))).toMatchObject({ code: 'vault_rolled_back' });
  });

  it('start over after a rollback: the copy is moved aside (kept), the key stays, and new writes work and stay ahead of the copy', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const store = createVaultStore(home, { keytar: fake.process() });
    await store.set(SESSION, 'a');
    await store.settled(); // the keychain item is brought up just after the write resolves
    const backup = readFileSync(vaultFile(home));
    await store.set(SESSION, 'b');
    await store.settled(); // the keychain item is brought up just after the write resolves
    writeFileSync(vaultFile(home), backup);
    const before = item(fake, home);

    const fresh = createVaultStore(home, { keytar: fake.process() });
    expect(await assertVaultKeyLost(fresh, vaultFile(home))).toBe('vault_rolled_back');
    const aside = await startOverAfterLostKey(fresh, vaultFile(home), () => fresh.startOver());
    expect(readFileSync(aside)).toEqual(backup);
    expect(keyOf(fake, home).key).toEqual(decodeDataKey(before)!.key);
    expect(await fresh.loadAll()).toEqual(new Map());
    await fresh.set(secretKeys.apiKey('e'), 'again');
    expect(await createVaultStore(home, { keytar: fake.process() }).get(secretKeys.apiKey('e'))).toBe('again');
    expect(readHeader(readFileSync(vaultFile(home))).generation).toBeGreaterThan(readHeader(backup).generation + 1);
  });
});
