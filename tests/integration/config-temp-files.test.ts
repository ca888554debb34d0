import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvironmentSchema, type Config } from '../../src-main/core/config/schema.js';
import { configStoreFixture } from '../helpers/config-store-fixture.js';
import { childScripts, root } from '../helpers/child-script.js';

const bundle = childScripts('config-temp-files-test-');

const t = configStoreFixture();

const addEnv = (name: string) => (cfg: Config): Config => ({
  ...cfg,
  environments: [...cfg.environments, EnvironmentSchema.parse({ id: name, name, provider: 'session', baseUrl: 'https://example.test', createdAt: 1 })],
});
/** A pid that certainly belonged to a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('temp files left by a killed writer', () => {
  it('are removed when the t.store next takes its lock: dead writers and old ones, nothing else', async () => {
    await t.store.update(addEnv('A'));
    const eleven = new Date(Date.now() - 11 * 60_000);
    const plant = (name: string, old = false) => {
      writeFileSync(join(t.home.dir, name), '{"version": 1, "envir');
      if (old) utimesSync(join(t.home.dir, name), eleven, eleven);
    };
    const dead = deadPid();
    plant(`config.json.tmp-${dead}-0123456789ab`); // a killed writer: removed
    plant(`config.json.tmp-${process.pid}-aaaaaaaaaaaa`); // a live writer, recent: kept
    plant(`config.json.tmp-${process.pid}-bbbbbbbbbbbb`, true); // live pid but 11 minutes old: removed
    // write-file-atomic's names (older versions) look like a user's dated backup: never touched.
    plant('config.json.3735928559');
    plant('config.json.20250101', true);
    plant('config.json.backup', true); // the user's own files are never touched
    plant('config.json.1', true);
    plant(`other.json.tmp-${dead}-0123456789ab`, true); // not this config's

    await t.store.update(addEnv('B'));
    expect(readdirSync(t.home.dir).sort()).toEqual(
      ['config.json', 'config.json.1', 'config.json.20250101', 'config.json.3735928559', 'config.json.backup', `config.json.tmp-${process.pid}-aaaaaaaaaaaa`, `other.json.tmp-${dead}-0123456789ab`].sort(),
    );
    expect((await t.store.read()).environments.map((e) => e.name)).toEqual(['A', 'B']);
  });

  it('a writer killed with SIGKILL in the middle of a write leaves the old file whole, and its temp file is cleaned up', async () => {
    // The child rewrites config.json (valid JSON padded to 4 MB) through the real durable write, forever.
    const child = await bundle(
      'rewrite-forever',
      `import { durableWrite } from ${JSON.stringify(join(root, 'src-main/core/fs/durable-write.ts'))};
       const [file] = process.argv.slice(2);
       const bytes = Buffer.from(JSON.stringify({ version: 2, environments: [] }) + ' '.repeat(4 * 1024 * 1024) + '\\n');
       for (;;) await durableWrite(file, bytes);`,
    );
    await t.store.update(addEnv('Before'));
    let leftovers = 0;
    for (let attempt = 0; attempt < 20 && leftovers === 0; attempt++) {
      const proc = spawn(process.execPath, [child, t.store.path], { stdio: 'ignore' });
      const exited = new Promise((r) => proc.once('exit', r));
      const mine = `config.json.tmp-${proc.pid}-`;
      const deadline = Date.now() + 5_000;
      while (!readdirSync(t.home.dir).some((f) => f.startsWith(mine)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      proc.kill('SIGKILL');
      await exited;
      leftovers = readdirSync(t.home.dir).filter((f) => f.startsWith(mine)).length;
      // Whatever the moment of the kill, config.json is a complete file: the old one or the child's.
      const cfg = JSON.parse(readFileSync(t.store.path, 'utf8')) as Config;
      expect(cfg.version).toBe(2);
    }
    expect(leftovers, 'no kill landed in the middle of a write in 20 tries').toBe(1);

    await t.store.update(addEnv('After'));
    expect(readdirSync(t.home.dir)).toEqual(['config.json']);
    expect((await t.store.read()).environments.map((e) => e.name)).toContain('After');
  }, 60_000);
});
