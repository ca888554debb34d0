import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src-main/core/config/store.js';
import { EnvironmentSchema, type Config } from '../../src-main/core/config/schema.js';
import { durableWrite } from '../../src-main/core/fs/durable-write.js';
import { ensurePrivateFolder } from '../../src-main/core/fs/private-folder.js';
import { createVaultStore, vaultFile } from '../../src-main/core/secrets/vault.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { ProfileStore } from '../../src-main/core/sessions/profile-store.js';
import { EMPTY_PROFILE } from '../../src-main/core/sessions/session-codec.js';
import { KeytarFake } from '../helpers/keytar-fake.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';
import { mountTmpfs, tmpfsUnavailable } from '../helpers/tmpfs.js';

/**
 * The configuration folder and the files in it are TokenDesk's alone: a folder others may enter is
 * made private, and a symbolic link in place of one of its files is refused with the path named,
 * never followed (the folder itself may be reached through a link: vault-store.test.ts).
 */
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const newHome = () => {
  const h = makeHome('tokendesk-hygiene-');
  cleanups.push(h.cleanup);
  return h.dir;
};
/** A folder outside the home that a link could point at: what must stay untouched. */
const elsewhere = () => {
  const d = mkdtempSync(join(tmpdir(), 'tokendesk-elsewhere-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
};
const env = (name: string) => EnvironmentSchema.parse({ id: name, name, provider: 'session', baseUrl: 'https://example.test', createdAt: 1 });
const addEnv = (name: string) => (cfg: Config): Config => ({ ...cfg, environments: [...cfg.environments, env(name)] });
const mode = (p: string) => statSync(p).mode & 0o777;

describe('a configuration folder open to other users', () => {
  it.each([0o755, 0o770, 0o701])('mode %o is made 0700 on the first read or write', async (loose) => {
    const home = newHome();
    chmodSync(home, loose);
    await new ConfigStore(home).read();
    expect(mode(home)).toBe(0o700);
    const other = newHome();
    chmodSync(other, loose);
    await new ConfigStore(other).update(addEnv('A'));
    expect(mode(other)).toBe(0o700);
  });

  it('only the others\' access goes: a folder its owner made read-only (0555) stays read-only (0500)', async () => {
    const modes: number[] = [];
    await ensurePrivateFolder('/home/me/ro-tokendesk', {
      platform: 'linux',
      stat: () => Promise.resolve({ mode: 0o40555, uid: 1000 }),
      chmod: (_p, m) => {
        modes.push(m);
        return Promise.resolve();
      },
      uid: 1000,
    });
    expect(modes).toEqual([0o500]);
  });

  it('when it cannot be changed (another user\'s folder), it is refused with the command that fixes it', async () => {
    const e = await rejection(
      ensurePrivateFolder('/home/shared/it\'s tokendesk', {
        platform: 'linux',
        stat: () => Promise.resolve({ mode: 0o40755, uid: 1001 }),
        chmod: () => Promise.reject(Object.assign(new Error('EPERM'), { code: 'EPERM' })),
        uid: 1000,
      }),
      'config_unreadable',
    );
    expect(e.message).toBe(
      "The configuration folder /home/shared/it's tokendesk is open to other users (mode 0755) and TokenDesk could not make it private (EPERM). Run (it belongs to user id 1001: as that user or root): chmod go-rwx '/home/shared/it'\\''s tokendesk' — then try again. Nothing was read or changed",
    );
  });

  const unavailable = tmpfsUnavailable();
  it.skipIf(unavailable !== undefined)('on a read-only file system it is refused, naming the folder and the fix, and nothing is read', async () => {
    const home = newHome();
    const fs = mountTmpfs(home, 'size=64k,mode=0755');
    cleanups.push(() => fs.unmount());
    writeFileSync(join(home, 'config.json'), JSON.stringify({ version: 1, environments: [env('A')] }));
    fs.remount('ro');
    const e = await rejection(new ConfigStore(home).read(), 'config_unreadable');
    expect(e.message).toContain(`The configuration folder ${home} is open to other users (mode 0755)`);
    expect(e.message).toContain(`(EROFS). Run: chmod go-rwx '${home}'`);
  });
});

describe('a symbolic link in place of a file TokenDesk writes', () => {
  it('config.json: reads and writes are refused with the path named; the link and its target are untouched', async () => {
    const home = newHome();
    const target = join(elsewhere(), 'dotfiles-config.json');
    const original = JSON.stringify({ version: 1, environments: [env('Linked')] });
    writeFileSync(target, original);
    const path = join(home, 'config.json');
    symlinkSync(target, path);
    const store = new ConfigStore(home);
    for (const attempt of [() => store.read(), () => store.update(addEnv('More'))]) {
      const e = await rejection(attempt(), 'config_unreadable');
      expect(e.message).toBe(`The configuration file ${path} is not a regular file (a symbolic link); TokenDesk only reads a regular file there: move it away. It was left untouched`);
    }
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(original);
  });

  it('secrets.vault: a link is refused with the path named, nothing is written where it points', async () => {
    const home = newHome();
    const away = elsewhere();
    const target = join(away, 'stolen.vault');
    // Dangling: the vault looks absent, so the first write is where it is caught.
    symlinkSync(target, vaultFile(home));
    const store = createVaultStore(home, { keytar: new KeytarFake().process() });
    const dangling = await rejection(store.set(secretKeys.apiKey('env-1'), 'api-key-value'), 'config_unwritable');
    expect(dangling.message).toBe(`The secrets vault could not be saved to ${vaultFile(home)} (ELOOP) because it is a symbolic link, never written through: move it away; nothing was changed`);
    expect(readdirSync(away)).toEqual([]);
    // To a real vault moved away (its key in the keychain): the read before every write refuses it.
    rmSync(vaultFile(home));
    const fake = new KeytarFake();
    await createVaultStore(home, { keytar: fake.process() }).set(secretKeys.apiKey('env-1'), 'first');
    renameSync(vaultFile(home), target);
    symlinkSync(target, vaultFile(home));
    const before = readFileSync(target);
    for (const op of ['get', 'set'] as const) {
      const store2 = createVaultStore(home, { keytar: fake.process() });
      const p = op === 'get' ? store2.get(secretKeys.apiKey('env-1')) : store2.set(secretKeys.apiKey('env-1'), 'second');
      const e = await rejection(p, 'vault_unreadable');
      expect(e.message).toBe(`The secrets vault ${vaultFile(home)} is not a regular file (a symbolic link): move it away. It was left untouched`);
    }
    expect(readFileSync(target).equals(before)).toBe(true);
    expect(lstatSync(vaultFile(home)).isSymbolicLink()).toBe(true);
  });

  it('profiles/: a link in its place is refused with the path named; no profile lands where it points', async () => {
    const home = newHome();
    const away = elsewhere();
    symlinkSync(away, join(home, 'profiles'), 'dir');
    const e = await rejection(new ProfileStore(home).write('id-1', { ...EMPTY_PROFILE, email: 'a@example.test' }), 'config_unwritable');
    expect(e.message).toContain(`${join(home, 'profiles')} is a symbolic link, never written through`);
    expect(readdirSync(away)).toEqual([]);
  });

  it('a lock: config.json.lock as a link to a folder is refused at once, naming it; nothing is made or removed there', async () => {
    const home = newHome();
    const away = elsewhere();
    mkdirSync(join(away, 'keep'));
    symlinkSync(away, join(home, 'config.json.lock'), 'dir');
    const started = performance.now();
    const e = await rejection(new ConfigStore(home, { staleMs: 50, timeoutMs: 2_000 }).update(addEnv('A')), 'config_unwritable');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(e.message).toContain(`The lock ${join(home, 'config.json.lock')} is a symbolic link`);
    expect(readdirSync(away)).toEqual(['keep']);
    expect(readdirSync(home).sort()).toEqual(['config.json.lock']);
  });

  it('secrets.keychain and any file written the durable way: refused, never written through', async () => {
    const home = newHome();
    const target = join(elsewhere(), 'record');
    writeFileSync(target, 'theirs\n');
    const record = join(home, 'secrets.keychain');
    symlinkSync(target, record);
    await expect(durableWrite(record, 'ours\n')).rejects.toMatchObject({ code: 'ELOOP', path: record });
    expect(readFileSync(target, 'utf8')).toBe('theirs\n');
    // The vault still works without its record: the record is best effort, and never followed.
    const store = createVaultStore(home, { keytar: new KeytarFake().process() });
    await store.set(secretKeys.apiKey('env-1'), 'api-key-value');
    expect(readFileSync(target, 'utf8')).toBe('theirs\n');
  });
});
