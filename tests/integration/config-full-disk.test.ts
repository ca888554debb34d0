import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src-main/core/config/store.js';
import { EnvironmentSchema, type Config, type Environment } from '../../src-main/core/config/schema.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';
import { CliHome, keychainUnreachable } from '../helpers/cli.js';
import { freeBytes, leaveFree, mountTmpfs, tmpfsUnavailable } from '../helpers/tmpfs.js';

const unavailable = tmpfsUnavailable();

const env = (name: string, variables: Record<string, string> = {}): Environment =>
  EnvironmentSchema.parse({ id: name, name, provider: 'session', baseUrl: 'https://example.test', variables, createdAt: 1 });
/** `chars` characters of variables, in values of 1,000 (well under any per-value limit). */
const bigVariables = (chars: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: Math.ceil(chars / 1000) }, (_, i) => [`v${i}`, 'x'.repeat(Math.min(1000, chars - i * 1000))]));
const addEnv = (e: Environment) => (cfg: Config): Config => ({ ...cfg, environments: [...cfg.environments, e] });

describe.skipIf(unavailable !== undefined)('config writes on a nearly full disk (a real 64 KB tmpfs)', () => {
  const host = makeHome('tokendesk-full-disk-');
  const dir = join(host.dir, 'home');
  let fs: ReturnType<typeof mountTmpfs>;
  beforeAll(() => {
    mkdirSync(dir);
    fs = mountTmpfs(dir, 'size=64k,mode=0700');
  });
  afterAll(() => {
    fs.unmount();
    host.cleanup();
  });

  // Free space left (bytes) × size of the new variables (characters).
  const cases: [number, number][] = [0, 1024, 4096, 6144, 12_288, 32_768].flatMap((free) => [5000, 20_000].map((size): [number, number] => [free, size]));
  it.each(cases)('with %i bytes free, adding %i characters either succeeds completely or fails with ENOSPC and changes nothing', async (free, size) => {
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
    const store = new ConfigStore(dir);
    await store.update(addEnv(env('Existing', { organization_id: '42' })));
    await store.update(addEnv(env('Other')));
    const before = readFileSync(store.path);
    const filler = join(dir, 'filler');
    const left = leaveFree(filler, free);

    const outcome = await store.update(addEnv(env('Big', bigVariables(size)))).then(
      () => 'saved' as const,
      (e: unknown) => e,
    );
    const after = readFileSync(store.path);
    if (outcome === 'saved') {
      // A success is a complete, valid file holding every byte of the change.
      const cfg = await new ConfigStore(dir).read();
      expect(cfg.environments.map((e) => e.name)).toEqual(['Existing', 'Other', 'Big']);
      expect(Object.values(cfg.environments[2]!.variables).join('')).toHaveLength(size);
      expect(after.length).toBeGreaterThan(size);
      expect(left, 'saved although the change could not fit').toBeGreaterThanOrEqual(size);
    } else {
      const e = await rejection(Promise.reject(outcome), 'config_unwritable');
      expect(e.message).toContain(store.path);
      expect(e.message).toContain('ENOSPC');
      expect(e.message).toContain('the disk is full');
      expect(e.message).toContain('nothing was changed');
      expect(after.equals(before)).toBe(true);
      expect((await new ConfigStore(dir).read()).environments.map((x) => x.name)).toEqual(['Existing', 'Other']);
      // Failing with room to spare would be a bug too: the file needs about size + 1 KB.
      expect(left, 'refused although there was room').toBeLessThan(size + 8192);
    }
    // No temp file and no lock left behind, whatever happened.
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'filler']);
  });

  it('frees the space of a failed attempt: once room is made, the same change succeeds', async () => {
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
    const store = new ConfigStore(dir);
    await store.update(addEnv(env('Existing')));
    leaveFree(join(dir, 'filler'), 4096);
    const e = await rejection(store.update(addEnv(env('Big', bigVariables(20_000)))), 'config_unwritable');
    expect(e.message).toMatch(/ENOSPC/);
    const freeAfterFailure = freeBytes(dir);
    expect(freeAfterFailure).toBeGreaterThanOrEqual(4096); // the partial temp file was removed
    rmSync(join(dir, 'filler'));
    await store.update(addEnv(env('Big', bigVariables(20_000))));
    expect((await store.read()).environments.map((x) => x.name)).toEqual(['Existing', 'Big']);
  });
});

const noKeychain = unavailable === undefined ? await keychainUnreachable() : unavailable;

describe.skipIf(unavailable !== undefined || noKeychain !== undefined)('tokendesk env add on a nearly full disk', () => {
  it('exits non-zero with ENOSPC, keeps the old configuration, and the next command still lists it', async () => {
    const h = new CliHome();
    const fs = mountTmpfs(h.dir, 'size=64k,mode=0700');
    try {
      const a = await h.run(['env', 'add', 'Local', '--provider', 'session', '--url', 'http://127.0.0.1:3000', '--var', 'organization_id=42']);
      expect(a.code, a.stderr).toBe(0);
      const before = readFileSync(join(h.dir, 'config.json'));
      leaveFree(join(h.dir, 'filler'), 4096);

      const vars = Object.entries(bigVariables(5000)).flatMap(([k, v]) => ['--var', `${k}=${v}`]);
      const b = await h.run(['env', 'add', 'Big', '--provider', 'session', '--url', 'http://127.0.0.1:3001', ...vars]);
      expect(b.code, b.stdout).not.toBe(0);
      expect(b.stdout).not.toMatch(/Added/);
      expect(b.stderr).toMatch(/could not be saved to .*config\.json \(ENOSPC\): the disk is full; nothing was changed/);
      expect(readFileSync(join(h.dir, 'config.json')).equals(before)).toBe(true);
      expect(readdirSync(h.dir).sort()).toEqual(['config.json', 'filler']);

      const list = await h.run(['env', 'list']);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toContain('Local');
      expect(list.stdout).not.toContain('Big');
      expect(readdirSync(h.dir).some((f) => f.includes('corrupt'))).toBe(false);
    } finally {
      fs.unmount();
      await h.cleanup();
    }
  }, 30_000);
});
