import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import lockfile from 'proper-lockfile';
import { describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src-main/core/config/store.js';
import { watchConfig } from '../../src-main/core/config/watch.js';
import { emptyConfig, EnvironmentSchema, type Config, type Environment } from '../../src-main/core/config/schema.js';
import { configStoreFixture } from '../helpers/config-store-fixture.js';
import { childScripts, root } from '../helpers/child-script.js';
import { rejection } from '../helpers/rejection.js';
import { fileModesMissing, skipping, thisMachine } from '../helpers/platform-guards.js';

// Windows has no 0600: the mode checks are left out there, the rest of each test runs.
const modes = skipping('the file-mode checks', fileModesMissing(thisMachine())) === undefined;

const run = promisify(execFile);

const bundle = childScripts('config-store-test-');

// Defaults come from the schema, so a field added with a default needs no change here.
const env = (name: string, extra: Partial<Environment> = {}): Environment => ({
  ...EnvironmentSchema.parse({ id: name, name, provider: 'supabase', baseUrl: 'https://example.test', createdAt: 1 }),
  ...extra,
});
const addEnv = (name: string) => (cfg: Config): Config => ({ ...cfg, environments: [...cfg.environments, env(name)] });

const t = configStoreFixture();

describe('ConfigStore', () => {
  it('reads a missing file as the empty config without creating anything', async () => {
    const nested = join(t.home.dir, 'not-yet');
    const s = new ConfigStore(nested);
    expect(s.path).toBe(join(nested, 'config.json'));
    expect(await s.read()).toEqual(emptyConfig());
    expect(existsSync(nested)).toBe(false);
  });

  it('round-trips through the file, creating it 0600 in a 0700 folder', async () => {
    const nested = join(t.home.dir, 'sub');
    const s = new ConfigStore(nested);
    const written = await s.update((cfg) => ({ ...addEnv('Local')(cfg), settings: { ...cfg.settings, marginSeconds: 300 } }));
    expect(await new ConfigStore(nested).read()).toEqual(written);
    expect(JSON.parse(readFileSync(s.path, 'utf8'))).toMatchObject({ version: 1, environments: [{ name: 'Local' }] });
    if (modes) expect(statSync(s.path).mode & 0o777).toBe(0o600);
    if (modes) expect(statSync(nested).mode & 0o777).toBe(0o700);
    expect(readdirSync(nested)).toEqual(['config.json']); // no temp or lock files left behind
  });

  it('a read reuses the parsed config only while the file is the same: a write by another process, or an edit in place, is seen', async () => {
    await t.store.update(addEnv('Staging'));
    const first = await t.store.read();
    expect(await t.store.read()).toBe(first); // same file version: no re-parse
    // Shared by every caller, so no caller can change it under the others.
    expect(() => (first.environments as Environment[]).push(env('X'))).toThrow(TypeError);
    expect(() => Object.assign(first.settings, { marginSeconds: 1 })).toThrow(TypeError);
    // This store's own write: the next read is the written config, shared frozen; what update returned stays the caller's.
    const mine = await t.store.update(addEnv('Mine'));
    expect((await t.store.read()).environments.map((e) => e.name)).toEqual(['Staging', 'Mine']);
    expect(Object.isFrozen(await t.store.read())).toBe(true);
    expect(Object.isFrozen(mine)).toBe(false);
    await t.store.update((c) => ({ ...c, environments: c.environments.filter((e) => e.name !== 'Mine') }));
    await new ConfigStore(t.home.dir).update(addEnv('Prod')); // another process
    expect((await t.store.read()).environments.map((e) => e.name)).toEqual(['Staging', 'Prod']);
    // A hand edit in place: same inode, same size (Prod -> Test), only the mtime moves (the file
    // system's clock ticks every few ms, and no hand edit follows a write that fast).
    await new Promise((r) => setTimeout(r, 50));
    const text = readFileSync(t.store.path, 'utf8');
    const ino = statSync(t.store.path).ino;
    writeFileSync(t.store.path, text.replaceAll('"Prod"', '"Test"'));
    expect(statSync(t.store.path).ino).toBe(ino);
    expect((await t.store.read()).environments.map((e) => e.name)).toEqual(['Staging', 'Test']);
  });

  it('an update that changes nothing writes nothing: the same file, not a rewrite other processes would see', async () => {
    await t.store.update(addEnv('Staging'));
    const before = statSync(t.store.path);
    // Whole seconds: stat's mtimeMs is a float and may come back a hair below a millisecond time.
    const old = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    utimesSync(t.store.path, old, old);
    await t.store.update((cfg) => ({ ...cfg }));
    const after = statSync(t.store.path);
    expect(after.ino).toBe(before.ino);
    expect(Math.round(after.mtimeMs)).toBe(old.getTime());
    await t.store.update(addEnv('Prod'));
    expect(statSync(t.store.path).ino).not.toBe(before.ino); // a real change is still written (renamed in)
  });

  it('rejects an invalid result with config_invalid and leaves the file byte for byte', async () => {
    await t.store.update(addEnv('Staging'));
    const before = readFileSync(t.store.path);
    const e = await rejection(t.store.update(addEnv('staging')));
    expect(e.code).toBe('config_invalid');
    expect(e.message).toMatch(/Duplicate environment name "staging"/);
    const e2 = await rejection(t.store.update((cfg) => ({ ...cfg, environments: [env('Bad', { baseUrl: 'ftp://x' })] })));
    expect(e2.code).toBe('config_invalid');
    await expect(t.store.update(() => Promise.reject(new Error('nope')))).rejects.toThrow('nope');
    expect(readFileSync(t.store.path).equals(before)).toBe(true);
    expect(readdirSync(t.home.dir)).toEqual(['config.json']); // and the lock was released
  });

  it('has no place for a secret: unknown fields are dropped before writing', async () => {
    await t.store.update((cfg) => ({
      ...cfg,
      environments: [{ ...env('Prod'), anonKey: 'eyJ-super-secret' } as Environment],
    }));
    expect(readFileSync(t.store.path, 'utf8')).not.toContain('eyJ-super-secret');
  });

  it.each([
    ['not valid JSON', '{"version": 1, "environments": ['],
    ['does not match the configuration format', '{"version": 1, "environments": "oops"}'],
  ])('moves a file that is %s aside, names the new path, then starts empty', async (reason, content) => {
    writeFileSync(t.store.path, content);
    const e = await rejection(t.store.read());
    expect(e.code).toBe('config_unreadable');
    expect(e.message).toContain(reason);
    const aside = readdirSync(t.home.dir).filter((f) => f.startsWith('config.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^config\.json\.corrupt-\d{4}-\d\d-\d\dT\d{6}\.\d{3}Z$/);
    expect(e.message).toContain(join(t.home.dir, aside[0]!));
    expect(readFileSync(join(t.home.dir, aside[0]!), 'utf8')).toBe(content);
    expect(existsSync(t.store.path)).toBe(false);
    expect(await t.store.read()).toEqual(emptyConfig());
    await t.store.update(addEnv('Fresh'));
    expect((await t.store.read()).environments.map((x) => x.name)).toEqual(['Fresh']);
  });

  it('update() on an unreadable file also moves it aside instead of overwriting it', async () => {
    writeFileSync(t.store.path, 'garbage');
    const e = await rejection(t.store.update(addEnv('X')));
    expect(e.code).toBe('config_unreadable');
    expect(existsSync(t.store.path)).toBe(false);
    expect(readdirSync(t.home.dir).some((f) => f.startsWith('config.json.corrupt-'))).toBe(true);
  });

  it('leaves a file from a newer TokenDesk untouched', async () => {
    const content = JSON.stringify({ version: 2, environments: 'a new shape' });
    writeFileSync(t.store.path, content);
    for (const attempt of [t.store.read(), t.store.update(addEnv('X'))]) {
      const e = await rejection(attempt);
      expect(e.code).toBe('config_unreadable');
      expect(e.message).toMatch(/written by a newer TokenDesk/);
      expect(e.message).toContain(t.store.path);
    }
    expect(readFileSync(t.store.path, 'utf8')).toBe(content);
    expect(readdirSync(t.home.dir)).toEqual(['config.json']);
  });

  it('gives up with config_locked while another holder keeps the lock', async () => {
    await t.store.update(addEnv('A'));
    const release = await lockfile.lock(t.store.path, { realpath: false });
    try {
      const s = new ConfigStore(t.home.dir, { timeoutMs: 300 });
      const started = Date.now();
      const e = await rejection(s.update(addEnv('B')));
      expect(e.code).toBe('config_locked');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await release();
    }
    expect((await t.store.read()).environments).toHaveLength(1);
  });

  it('takes over a stale lock left by a dead process', async () => {
    const lockDir = `${t.store.path}.lock`;
    mkdirSync(lockDir);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockDir, old, old);
    await t.store.update(addEnv('After crash'));
    expect((await t.store.read()).environments).toHaveLength(1);
  });

  it('loses no update when several processes write at the same time', async () => {
    const child = await bundle(
      'increment',
      `import { ConfigStore } from ${JSON.stringify(join(root, 'src-main/core/config/store.ts'))};
       const [home, id, count, startAt] = process.argv.slice(2);
       while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 5));
       const store = new ConfigStore(home);
       for (let i = 0; i < Number(count); i++) {
         await store.update((cfg) => ({
           ...cfg,
           environments: [...cfg.environments, { id: id + '-' + i, name: id + '-' + i, provider: 'session', baseUrl: 'http://127.0.0.1:1', createdAt: i }],
           settings: { ...cfg.settings, marginSeconds: cfg.settings.marginSeconds + 1 },
         }) as never);
       }`,
    );
    await t.store.update((cfg) => ({ ...cfg, settings: { ...cfg.settings, marginSeconds: 0 } }));
    const procs = 3;
    const count = 40;
    const startAt = Date.now() + 500;
    await Promise.all(
      Array.from({ length: procs }, (_, p) => run(process.execPath, [child, t.home.dir, `p${p}`, String(count), String(startAt)])),
    );
    const cfg = await t.store.read();
    expect(cfg.settings.marginSeconds).toBe(procs * count);
    expect(new Set(cfg.environments.map((e) => e.id)).size).toBe(procs * count);
    expect(readdirSync(t.home.dir)).toEqual(['config.json']);
  }, 60_000);
});

describe('watchConfig', () => {
  it('notifies once when another process atomically replaces config.json, and stops when closed', async () => {
    const child = await bundle(
      'writer',
      `import { ConfigStore } from ${JSON.stringify(join(root, 'src-main/core/config/store.ts'))};
       const store = new ConfigStore(process.argv[2]);
       for (const name of process.argv.slice(3)) {
         await store.update((cfg) => ({ ...cfg, environments: [...cfg.environments, { id: name, name, provider: 'session', baseUrl: 'http://127.0.0.1:1', createdAt: 1 }] }) as never);
       }`,
    );
    let calls = 0;
    const stop = watchConfig(t.home.dir, () => calls++);
    try {
      await new Promise((r) => setTimeout(r, 50)); // kept: the real fs.watch settles before the first write
      await run(process.execPath, [child, t.home.dir, 'A', 'B', 'C']); // three quick writes: debounced
      await expect.poll(() => calls, { timeout: 3_000 }).toBeGreaterThanOrEqual(1);
      await new Promise((r) => setTimeout(r, 300)); // kept: real file events, given time to (wrongly) arrive
      expect(calls).toBeLessThanOrEqual(2);
      const settled = calls;

      // A lock/temp-file only touch, or a rewrite with the same bytes, is not a change.
      writeFileSync(join(t.home.dir, 'config.json.lock-ish'), 'x');
      writeFileSync(t.store.path, readFileSync(t.store.path));
      await new Promise((r) => setTimeout(r, 300)); // kept: real file events, given time to (wrongly) arrive
      expect(calls).toBe(settled);

      await run(process.execPath, [child, t.home.dir, 'D']);
      await expect.poll(() => calls, { timeout: 3_000 }).toBe(settled + 1);
    } finally {
      stop();
    }
    await run(process.execPath, [child, t.home.dir, 'E']);
    const afterStop = calls;
    await new Promise((r) => setTimeout(r, 300)); // kept: real file events, given time to (wrongly) arrive
    expect(calls).toBe(afterStop);
  });
});
