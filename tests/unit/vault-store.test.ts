import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createVaultStore, DATA_KEY_ACCOUNT, vaultFile } from '../../src-main/core/secrets/vault.js';
import { keychainService } from '../../src-main/core/secrets/keytar.js';
import { serviceRecordFile } from '../../src-main/core/secrets/service-record.js';
import { encodeDataKey, decodeDataKey, newDataKey, sealVault } from '../../src-main/core/secrets/vault-format.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { KeytarFake } from '../helpers/keytar-fake.js';
import { makeHome } from '../helpers/home.js';
import { chmodIgnored, fileModesMissing, skipping, thisMachine } from '../helpers/platform-guards.js';

// Windows has no 0600 and ignores a folder's mode, root ignores modes: those checks are left out there.
const modes = skipping('the vault file-mode check', fileModesMissing(thisMachine())) === undefined;
const noChmod = skipping('the read-only vault folder test', chmodIgnored(thisMachine()));

const homes: ReturnType<typeof makeHome>[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) void h.cleanup();
});
const newHome = () => {
  const h = makeHome('tokendesk-vault-unit-');
  homes.push(h);
  return h.dir;
};

const SECRET = 'eyJhbGciOiJIUzI1NiJ9.SECRET-TOKEN-VALUE.sig';

async function seeded(home: string, fake = new KeytarFake()) {
  const store = createVaultStore(home, { keytar: fake.process() });
  await store.set(secretKeys.session('id-1'), SECRET);
  await store.set(secretKeys.anonKey('env-1'), 'anon-key-value-123');
  // The key item is brought up after a write resolves, still under the vault lock: a store opened
  // next would find the lock held and skip what it does only without waiting (recording the service).
  await store.settled();
  return { fake, store };
}

/** The error a fresh process (a new store, nothing cached) gets for `op`. */
async function failureOf(home: string, fake: KeytarFake, op: 'get' | 'loadAll' | 'set' = 'loadAll') {
  const store = createVaultStore(home, { keytar: fake.process() });
  const p = op === 'get' ? store.get(secretKeys.session('id-1')) : op === 'set' ? store.set(secretKeys.apiKey('e'), 'x') : store.loadAll();
  return p.then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string },
  );
}

const asides = (home: string, kind: string) => readdirSync(home).filter((n) => n.startsWith(`secrets.vault.${kind}-`));

describe('secrets vault', () => {
  it('keeps every secret in one sealed 0600 file; the only keychain item is an ~80-byte key', async () => {
    const home = newHome();
    const { fake, store } = await seeded(home);
    expect(await store.get(secretKeys.session('id-1'))).toBe(SECRET);
    expect(await store.loadAll()).toEqual(new Map([[secretKeys.session('id-1'), SECRET], [secretKeys.anonKey('env-1'), 'anon-key-value-123']]));
    await store.delete(secretKeys.anonKey('env-1'));
    expect([...(await createVaultStore(home, { keytar: fake.process() }).loadAll()).keys()]).toEqual([secretKeys.session('id-1')]);

    const sizes = fake.sizes(keychainService(home));
    expect([...sizes.keys()]).toEqual([DATA_KEY_ACCOUNT]);
    expect(sizes.get(DATA_KEY_ACCOUNT)).toBeLessThanOrEqual(100);
    const raw = readFileSync(vaultFile(home));
    expect(raw.toString('latin1')).not.toContain('SECRET-TOKEN-VALUE');
    if (modes) expect(statSync(vaultFile(home)).mode & 0o777).toBe(0o600);
  });

  it('reads the keychain once per process, however many secrets, and sees another process\'s writes', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const writer = createVaultStore(home, { keytar: fake.process() });
    for (let i = 0; i < 200; i++) await writer.set(secretKeys.session(`id-${i}`), `${SECRET}-${i}`);
    const p = fake.process();
    const reader = createVaultStore(home, { keytar: p });
    expect((await reader.loadAll()).size).toBe(200);
    for (let i = 0; i < 200; i++) expect(await reader.get(secretKeys.session(`id-${i}`))).toBe(`${SECRET}-${i}`);
    await writer.set(secretKeys.session('id-7'), 'changed-by-the-cli');
    expect(await reader.get(secretKeys.session('id-7'))).toBe('changed-by-the-cli');
    await reader.set(secretKeys.password('id-7'), 'pw');
    expect(await writer.get(secretKeys.password('id-7'))).toBe('pw');
    expect(p.reads).toBe(1);
  });

  it('a same-size rewrite in place that keeps the modification time is still seen (the change time tells it)', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const writer = createVaultStore(home, { keytar: fake.process() });
    await writer.set(secretKeys.apiKey('e'), 'bbbb');
    // Another content of the same size and the same generation (a file put back from an older copy
    // would be refused as one: vault-rollback.test.ts).
    const key = decodeDataKey(fake.items.get(keychainService(home))!.get(DATA_KEY_ACCOUNT)!)!;
    const other = sealVault({ entries: new Map([[secretKeys.apiKey('e'), 'aaaa']]) }, key, keychainService(home));
    // A whole second, so the time put back is exactly the one the reader saw (utimes has no nanoseconds).
    const tick = new Date(Math.floor(Date.now() / 1000) * 1000);
    utimesSync(vaultFile(home), tick, tick);
    const reader = createVaultStore(home, { keytar: fake.process() });
    expect(await reader.get(secretKeys.apiKey('e'))).toBe('bbbb');
    writeFileSync(vaultFile(home), other); // same inode, same size: a sync client writing in place
    utimesSync(vaultFile(home), tick, tick);
    expect(await reader.get(secretKeys.apiKey('e'))).toBe('aaaa');
  });

  it('a new process reads the file while the keychain answers, yet a vault rewritten meanwhile is read again', async () => {
    const home = newHome();
    const { fake } = await seeded(home);
    const p = fake.process();
    let answer!: () => void;
    const keyAsked = new Promise<void>((r) => {
      const get = p.getPassword.bind(p);
      // The keychain answers only once the test lets it, as a slow D-Bus or an "allow access?" prompt would.
      p.getPassword = async (service, account) => {
        r();
        await new Promise<void>((go) => (answer = go));
        return get(service, account);
      };
    });
    const reader = createVaultStore(home, { keytar: p });
    const loading = reader.loadAll();
    await keyAsked;
    await new Promise((r) => setTimeout(r, 20)); // the early read of the old file is done by now
    await createVaultStore(home, { keytar: fake.process() }).set(secretKeys.session('id-1'), 'renewed-by-the-cli');
    answer();
    expect((await loading).get(secretKeys.session('id-1'))).toBe('renewed-by-the-cli');
    expect(p.reads).toBe(1);
  });

  it('a flipped byte: refused as altered, moved aside with a timestamp (never overwritten), then an empty vault', async () => {
    const home = newHome();
    const { fake } = await seeded(home);
    const bytes = readFileSync(vaultFile(home));
    bytes[bytes.length - 20]! ^= 0x01;
    writeFileSync(vaultFile(home), bytes);
    const e = await failureOf(home, fake);
    expect(e).toMatchObject({ code: 'vault_unreadable' });
    expect(e!.message).toMatch(/failed its integrity check: it was altered or damaged.*moved to .*secrets\.vault\.corrupt-\d{4}-\d\d-\d\dT\d{6}\.\d{3}Z/);
    expect(e!.message).not.toContain('SECRET');
    const [aside] = asides(home, 'corrupt');
    expect(readFileSync(`${home}/${aside}`)).toEqual(bytes);
    expect(existsSync(vaultFile(home))).toBe(false);
    const next = createVaultStore(home, { keytar: fake.process() });
    expect(await next.loadAll()).toEqual(new Map());
    await next.set(secretKeys.apiKey('e'), 'new');
    expect(await createVaultStore(home, { keytar: fake.process() }).get(secretKeys.apiKey('e'))).toBe('new');
  });

  it.each([
    ['cut after the header', (b: Buffer) => b.subarray(0, 20), /cut short|not a TokenDesk/],
    ['cut by one byte', (b: Buffer) => b.subarray(0, b.length - 1), /integrity check/],
    ['emptied', () => Buffer.alloc(0), /cut short/],
    ['replaced by text', () => Buffer.from('{"entries":{}}'), /not a TokenDesk secrets vault/],
  ])('a vault %s is refused with its reason and moved aside', async (_name, damage, reason) => {
    const home = newHome();
    const { fake } = await seeded(home);
    writeFileSync(vaultFile(home), damage(readFileSync(vaultFile(home))));
    const e = await failureOf(home, fake, 'set');
    expect(e).toMatchObject({ code: 'vault_unreadable' });
    expect(e!.message).toMatch(reason);
    expect(asides(home, 'corrupt')).toHaveLength(1);
  });

  it('a vault of another folder (copied here) or under another key is told apart from damage', async () => {
    const a = newHome();
    const b = newHome();
    const fake = new KeytarFake();
    await seeded(a, fake);
    await seeded(b, fake);
    copyFileSync(vaultFile(a), vaultFile(b));
    expect((await failureOf(b, fake))!.message).toMatch(/sealed for another configuration folder, or with an earlier key/);

    // Same folder id, wrong key bytes: only the GCM tag can tell.
    const c = newHome();
    await seeded(c, fake);
    const items = fake.items.get(keychainService(c))!;
    const k = decodeDataKey(items.get(DATA_KEY_ACCOUNT)!)!;
    items.set(DATA_KEY_ACCOUNT, encodeDataKey({ key: newDataKey().key, folderId: k.folderId }));
    expect((await failureOf(c, fake))!.message).toMatch(/failed its integrity check/);
  });

  it('the key gone from the keychain while a vault exists: said so, nothing changed, until startOver keeps the old file aside', async () => {
    const home = newHome();
    const { fake } = await seeded(home);
    const before = readFileSync(vaultFile(home));
    fake.items.get(keychainService(home))!.delete(DATA_KEY_ACCOUNT);
    for (const op of ['get', 'loadAll', 'set'] as const) {
      const e = await failureOf(home, fake, op);
      expect(e).toMatchObject({ code: 'vault_key_missing' });
      expect(e!.message).toMatch(/is gone from the OS keychain.*Nothing was changed. To start over with an empty vault \(the old file is kept aside.*tokendesk vault start-over/);
    }
    expect(readFileSync(vaultFile(home))).toEqual(before);
    expect(asides(home, 'corrupt')).toEqual([]);

    const store = createVaultStore(home, { keytar: fake.process() });
    const aside = await store.startOver();
    expect(aside).toMatch(/secrets\.vault\.abandoned-/);
    expect(readFileSync(aside!)).toEqual(before);
    await store.set(secretKeys.apiKey('e'), 'fresh');
    expect(await createVaultStore(home, { keytar: fake.process() }).loadAll()).toEqual(new Map([[secretKeys.apiKey('e'), 'fresh']]));
  });

  it('a vault from a newer TokenDesk is left untouched', async () => {
    const home = newHome();
    const { fake } = await seeded(home);
    const bytes = readFileSync(vaultFile(home));
    bytes[7] = 9;
    writeFileSync(vaultFile(home), bytes);
    const e = await failureOf(home, fake);
    expect(e!.message).toMatch(/written by a newer TokenDesk \(vault format 9, this one reads 2\).*left untouched/);
    expect(readFileSync(vaultFile(home))).toEqual(bytes);
  });

  // Root writes into a read-only folder anyway, and Windows ignores the mode: nothing to see there.
  it.skipIf(noChmod !== undefined)('a failed write is a TokenDeskError, and the vault keeps its old content', async () => {
    const home = newHome();
    const { fake, store } = await seeded(home);
    chmodSync(home, 0o500);
    try {
      const e = await store.set(secretKeys.session('id-1'), 'new').catch((err: unknown) => err as { code: string; message: string });
      expect(e).toMatchObject({ code: expect.stringMatching(/config_unwritable|config_locked/) });
    } finally {
      chmodSync(home, 0o700);
    }
    expect(await createVaultStore(home, { keytar: fake.process() }).get(secretKeys.session('id-1'))).toBe(SECRET);
  });
});

describe('the keychain service a folder records (service-record.ts)', () => {
  // The service name is computed from the folder's path. Windows compares paths case-insensitively and
  // knows 8.3 short names (https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file), macOS
  // reaches temp folders through the /var -> /private/var symlink, and a symlinked folder is common
  // anywhere: one folder, several spellings. A symlink is the spelling difference Linux can make for real.
  const aliasOf = (dir: string) => {
    const alias = `${dir}-alias`;
    symlinkSync(dir, alias);
    homes.push({ dir: alias, cleanup: () => Promise.resolve(rmSync(alias, { force: true })) });
    return alias;
  };

  it('the folder reached by another spelling of its path still finds its key, with one keychain read', async () => {
    const home = newHome();
    const { fake } = await seeded(home);
    expect(readFileSync(serviceRecordFile(home), 'utf8')).toBe(`${keychainService(home)}\n`);
    const alias = aliasOf(home);
    expect(keychainService(alias)).not.toBe(keychainService(home));
    const p = fake.process();
    const store = createVaultStore(alias, { keytar: p });
    expect(await store.get(secretKeys.session('id-1'))).toBe(SECRET);
    await store.set(secretKeys.apiKey('env-2'), 'written-through-the-alias');
    expect(await createVaultStore(home, { keytar: fake.process() }).get(secretKeys.apiKey('env-2'))).toBe('written-through-the-alias');
    expect(p.reads).toBe(1);
    expect([...fake.items.keys()].filter((svc) => (fake.items.get(svc)?.size ?? 0) > 0)).toEqual([keychainService(home)]);
  });

  it('a store started before another spelling recorded the folder finds the key there', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const early = createVaultStore(aliasOf(home), { keytar: fake.process() }); // nothing recorded yet
    await seeded(home, fake);
    expect(await early.get(secretKeys.session('id-1'))).toBe(SECRET);
  });

  it('a store started before the record, holding an old key under its own spelling\'s service, opens the vault with the recorded key instead of moving it aside', async () => {
    const home = newHome();
    const fake = new KeytarFake();
    const alias = aliasOf(home);
    // A key left under the alias's service (an earlier start-over made through that spelling).
    await fake.process().setPassword(keychainService(alias), DATA_KEY_ACCOUNT, encodeDataKey(newDataKey()));
    const early = createVaultStore(alias, { keytar: fake.process() });
    await seeded(home, fake);
    expect(await early.get(secretKeys.session('id-1'))).toBe(SECRET);
    expect(asides(home, 'corrupt')).toEqual([]);
  });

  it('a folder of an earlier version (a vault, no record) opens as before and is recorded; a record not of our shape is replaced', async () => {
    const home = newHome();
    const { fake } = await seeded(home);
    for (const before of [undefined, 'TokenDesk ../../elsewhere\n']) {
      if (before === undefined) rmSync(serviceRecordFile(home));
      else writeFileSync(serviceRecordFile(home), before);
      expect(await createVaultStore(home, { keytar: fake.process() }).get(secretKeys.session('id-1'))).toBe(SECRET);
      expect(readFileSync(serviceRecordFile(home), 'utf8')).toBe(`${keychainService(home)}\n`);
    }
  });
});
