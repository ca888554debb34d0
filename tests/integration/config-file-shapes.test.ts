import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvironmentSchema, IdentitySchema, SettingsSchema, type Config } from '../../src-main/core/config/schema.js';
import { configStoreFixture } from '../helpers/config-store-fixture.js';
import { rejection } from '../helpers/rejection.js';
import { skipping, thisMachine, unixFilesMissing } from '../helpers/platform-guards.js';

const t = configStoreFixture();
// Windows: only the directory case; it has no FIFO, socket file or /dev/zero.
const noUnixFiles = skipping('the FIFO, socket and /dev/zero shapes', unixFilesMissing(thisMachine()));

const env = (name: string) => EnvironmentSchema.parse({ id: name, name, provider: 'session', baseUrl: 'https://example.test', createdAt: 1 });
const addEnv = (name: string) => (cfg: Config): Config => ({ ...cfg, environments: [...cfg.environments, env(name)] });

describe('config.json that is not a regular file', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  type Shape = [string, RegExp, () => Promise<void> | void];
  const unixShapes: Shape[] = [
    ['a FIFO', /\(a FIFO\)/, () => execFileSync('mkfifo', [t.store.path])],
    ['a socket', /\(a socket\)/, () => new Promise<void>((r) => (server = createServer().listen(t.store.path, r)))],
    ['a symlink to /dev/zero', /\(a symbolic link\)/, () => symlinkSync('/dev/zero', t.store.path)],
  ];
  const refusedAndLeft = async (_name: string, kind: RegExp, make: Shape[2]) => {
    await make();
    for (const attempt of [() => t.store.read(), () => t.store.update(addEnv('X'))]) {
      const started = Date.now();
      const e = await rejection(attempt(), 'config_unreadable');
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(e.message).toContain(t.store.path);
      expect(e.message).toMatch(/is not a regular file/);
      expect(e.message).toMatch(kind);
      expect(e.message).toMatch(/move it away/);
    }
    expect(existsSync(t.store.path) || lstatSync(t.store.path).isSymbolicLink()).toBe(true);
    expect(readdirSync(t.home.dir).filter((f) => f !== 'config.json')).toEqual([]); // nothing moved aside, no lock left
  };
  it.each<Shape>([['a directory', /\(a directory\)/, () => mkdirSync(t.store.path)]])('is refused at once when it is %s, and left where it is', refusedAndLeft);
  it.skipIf(noUnixFiles !== undefined).each(unixShapes)('is refused at once when it is %s, and left where it is', refusedAndLeft);

  it('refuses a file larger than 16 MiB without reading it, and leaves it', async () => {
    writeFileSync(t.store.path, '');
    truncateSync(t.store.path, 16 * 1024 * 1024 + 1); // sparse: costs no disk
    for (const attempt of [t.store.read(), t.store.update(addEnv('X'))]) {
      const e = await rejection(attempt, 'config_unreadable');
      expect(e.message).toMatch(/is larger than 16 MiB.*move it away/);
    }
    expect(statSync(t.store.path).size).toBe(16 * 1024 * 1024 + 1);
  });

  it('a symlink to a regular file is not followed: refused, the link and its target left as they are (config-folder-hygiene.test.ts)', async () => {
    const real = join(t.home.dir, 'dotfiles-config.json');
    writeFileSync(real, JSON.stringify({ version: 2, environments: [env('Linked')] }));
    symlinkSync(real, t.store.path);
    for (const attempt of [() => t.store.read(), () => t.store.update(addEnv('More'))]) {
      const e = await rejection(attempt(), 'config_unreadable');
      expect(e.message).toContain(`${t.store.path} is not a regular file (a symbolic link)`);
    }
    expect(lstatSync(t.store.path).isSymbolicLink()).toBe(true);
    expect((JSON.parse(readFileSync(real, 'utf8')) as Config).environments.map((e) => e.name)).toEqual(['Linked']);
  });
});

describe('config.json written by other tools', () => {
  it('reads a file that starts with a UTF-8 byte order mark, and writes it back without one', async () => {
    writeFileSync(t.store.path, `\uFEFF${JSON.stringify({ version: 2, environments: [env('From Notepad')] }, null, 2)}`);
    expect((await t.store.read()).environments.map((e) => e.name)).toEqual(['From Notepad']);
    await t.store.update(addEnv('Second'));
    const bytes = readFileSync(t.store.path);
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(bytes[0]).toBe(0x7b); // "{"
    expect((await t.store.read()).environments.map((e) => e.name)).toEqual(['From Notepad', 'Second']);
    expect(readdirSync(t.home.dir)).toEqual(['config.json']); // not moved aside
  });

  it('keeps fields this version does not know, at every level, byte for byte through an update', async () => {
    // As a newer TokenDesk of the same format version would write it: known fields, then new ones.
    const future = {
      top: { syncedAt: 1_700_000_000_000, profiles: [{ id: 'p1', tags: ['a', 'b'], nested: { deep: null } }] },
      env: { region: 'eu-west-1', oauth: { clientId: 'abc', scopes: ['read', 'write'] } },
      identity: { avatarUrl: 'https://example.test/a.png', mfa: { enrolled: true } },
      settings: { theme: 'dark', hotkeys: { copy: 'Ctrl+Shift+C' } },
    };
    const keep = { ...env('Keep'), ...future.env };
    const identity = { ...IdentitySchema.parse({ id: 'i1', envId: 'Keep', subject: 'u-1', email: 'a@example.test', createdAt: 2 }), ...future.identity };
    const settings = { ...SettingsSchema.parse({}), ...future.settings };
    const doc = { version: 2, environments: [keep], identities: [identity], activeIdentity: { Keep: 'i1' }, settings, ...future.top };
    writeFileSync(t.store.path, `${JSON.stringify(doc, null, 2)}\n`);

    // The update renames the environment, changes a setting and adds an environment; code that tries
    // to overwrite an unknown field cannot (it is not part of the validated configuration).
    await t.store.update((cfg) => ({
      ...cfg,
      environments: [...cfg.environments.map((e) => ({ ...e, name: 'Kept', region: 'changed by code' })), env('New')],
      settings: { ...cfg.settings, marginSeconds: 300 },
    }));
    const expected = {
      ...doc,
      environments: [{ ...keep, name: 'Kept' }, env('New')],
      settings: { ...settings, marginSeconds: 300 },
    };
    expect(readFileSync(t.store.path, 'utf8')).toBe(`${JSON.stringify(expected, null, 2)}\n`);

    // Removing an environment (and its identity) removes its unknown fields with it; the others stay.
    await t.store.update((cfg) => ({ ...cfg, environments: cfg.environments.filter((e) => e.id !== 'Keep'), identities: [], activeIdentity: {} }));
    const after = JSON.parse(readFileSync(t.store.path, 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(after)).not.toContain('eu-west-1');
    expect(JSON.stringify(after)).not.toContain('avatarUrl');
    expect(after.profiles).toEqual(future.top.profiles);
    expect(after.settings).toMatchObject(future.settings);
  });

  it('keeps a "__proto__" field as data, and unknown fields never excuse an invalid known one', async () => {
    writeFileSync(t.store.path, `{"version": 1, "environments": [], "__proto__": {"polluted": true}}`);
    await t.store.update(addEnv('A'));
    const text = readFileSync(t.store.path, 'utf8');
    expect(text).toContain('"__proto__": {\n    "polluted": true\n  }');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    writeFileSync(t.store.path, JSON.stringify({ version: 2, environments: [{ ...env('Bad'), baseUrl: 'ftp://x', extra: 1 }] }));
    const e = await rejection(t.store.update(addEnv('B')), 'config_unreadable');
    expect(e.message).toMatch(/does not match the configuration format/);
  });
});
