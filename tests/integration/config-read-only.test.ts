import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src-main/core/config/store.js';
import { EnvironmentSchema, type Config } from '../../src-main/core/config/schema.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';
import { CliHome, keychainUnreachable } from '../helpers/cli.js';
import { mountTmpfs, tmpfsUnavailable } from '../helpers/tmpfs.js';

const unavailable = tmpfsUnavailable();
const addEnv = (name: string) => (cfg: Config): Config => ({
  ...cfg,
  environments: [...cfg.environments, EnvironmentSchema.parse({ id: name, name, provider: 'session', baseUrl: 'https://example.test', createdAt: 1 })],
});

// Root ignores chmod 0555, so a read-only file system (EROFS) stands in for a folder we may not write.
describe.skipIf(unavailable !== undefined)('a read-only configuration folder (a tmpfs remounted read-only)', () => {
  const host = makeHome('tokendesk-read-only-');
  const dir = join(host.dir, 'home');
  let fs: ReturnType<typeof mountTmpfs>;
  beforeAll(async () => {
    mkdirSync(dir);
    fs = mountTmpfs(dir, 'size=64k,mode=0700');
    await new ConfigStore(dir).update(addEnv('Existing'));
    fs.remount('ro');
  });
  afterAll(() => {
    fs.unmount();
    host.cleanup();
  });

  it('is still read; a change fails at once naming the folder and EROFS, and nothing changes', async () => {
    const store = new ConfigStore(dir);
    const before = readFileSync(store.path);
    expect((await store.read()).environments.map((e) => e.name)).toEqual(['Existing']);
    const started = Date.now();
    const e = await rejection(store.update(addEnv('New')), 'config_unwritable');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(e.message).toBe(
      `The configuration folder ${dir} is read-only (EROFS: a read-only file system): TokenDesk cannot save anything there; remount it read-write or point TOKENDESK_HOME at a writable folder. Nothing was changed`,
    );
    expect(readFileSync(store.path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });
});

const noKeychain = unavailable === undefined ? await keychainUnreachable() : unavailable;

describe.skipIf(unavailable !== undefined || noKeychain !== undefined)('tokendesk in a read-only configuration folder', () => {
  it('env add exits non-zero at once with the read-only message; env list still works', async () => {
    const h = new CliHome();
    const fs = mountTmpfs(h.dir, 'size=64k,mode=0700');
    try {
      const a = await h.run(['env', 'add', 'Local', '--provider', 'session', '--url', 'http://127.0.0.1:3000']);
      expect(a.code, a.stderr).toBe(0);
      fs.remount('ro');
      const started = Date.now();
      const b = await h.run(['env', 'add', 'Other', '--provider', 'session', '--url', 'http://127.0.0.1:3001']);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(b.code).not.toBe(0);
      expect(b.stderr).toContain(`The configuration folder ${h.dir} is read-only (EROFS`);
      const list = await h.run(['env', 'list']);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toContain('Local');
      expect(list.stdout).not.toContain('Other');
    } finally {
      fs.unmount();
      await h.cleanup();
    }
  }, 30_000);
});
