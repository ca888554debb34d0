import { spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessLog, readAccessLog } from '../../src-main/core/endpoint/access-log.js';
import { writePrivateFile } from '../../src-main/core/fs/private-file.js';
import { childScripts, root } from '../helpers/child-script.js';
import { rejection } from '../helpers/rejection.js';

// A writer killed mid-write (SIGKILL: no cleanup runs) and other leftovers in the way of the files
// TokenDesk writes besides the configuration: inject/export -o and the endpoint's access log (a project
// file's killed edit: written-files-full-disk.test.ts; its write is durableWrite's, config-temp-files.test.ts).
const bundle = childScripts('written-files-killed-');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokendesk-written-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('inject -o / export -o (writePrivateFile)', () => {
  it('a writer killed with SIGKILL mid-write leaves no partial output: each file is complete at 0600, and its temp file goes at the next write', async () => {
    const SIZE = 4 * 1024 * 1024;
    // The child writes new files out-0, out-1… through the real writePrivateFile, forever.
    const child = await bundle(
      'inject-forever',
      `import { writePrivateFile } from ${JSON.stringify(join(root, 'src-main/core/fs/private-file.ts'))};
       const [dir] = process.argv.slice(2);
       const text = 'TOKEN=' + 's'.repeat(${SIZE} - 7) + '\\n';
       for (let i = 0; ; i++) await writePrivateFile(dir + '/out-' + i, text, { overwrite: false });`,
    );
    let killedMidWrite = false;
    for (let attempt = 0; attempt < 20 && !killedMidWrite; attempt++) {
      for (const f of readdirSync(dir)) rmSync(join(dir, f));
      const proc = spawn(process.execPath, [child, dir], { stdio: 'ignore' });
      const exited = new Promise((r) => proc.once('exit', r));
      const deadline = Date.now() + 5_000;
      // Into its second file, so the kill lands while a file is on its way.
      while (!readdirSync(dir).some((f) => f.startsWith('out-1')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      proc.kill('SIGKILL');
      await exited;
      const names = readdirSync(dir);
      for (const name of names.filter((f) => /^out-\d+$/.test(f))) {
        const st = statSync(join(dir, name));
        expect([name, st.size, st.mode & 0o777]).toEqual([name, SIZE, 0o600]);
      }
      const temps = names.filter((f) => f.includes('.tmp-'));
      for (const t of temps) expect(statSync(join(dir, t)).mode & 0o777).toBe(0o600);
      killedMidWrite = temps.length > 0;
      if (killedMidWrite) {
        // The next write of that file sweeps the dead writer's copy of the secrets.
        const target = join(dir, temps[0]!.replace(/\.tmp-.*$/, ''));
        await writePrivateFile(target, 'TOKEN=new\n', { overwrite: false });
        expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
        expect(readFileSync(target, 'utf8')).toBe('TOKEN=new\n');
      }
    }
    expect(killedMidWrite, 'no kill landed in the middle of a write in 20 tries').toBe(true);
  }, 90_000);

  it('a symbolic link planted at the target is refused, with or without --force, and what it points at is untouched', async () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n', { mode: 0o644 });
    const out = join(dir, 'out.env');
    symlinkSync(victim, out);
    const plain = await rejection(writePrivateFile(out, 'TOKEN=s\n', { overwrite: false }), 'already_exists');
    expect(plain.message).toBe(`${out} already exists: nothing was written (pass --force to replace it)`);
    const forced = await rejection(writePrivateFile(out, 'TOKEN=s\n', { overwrite: true }), 'file_unwritable');
    expect(forced.message).toBe(`The output could not be saved to ${out} (ELOOP): it is a symbolic link, which TokenDesk never writes through; nothing was changed`);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(statSync(victim).mode & 0o777).toBe(0o644);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['out.env', 'victim']);
  });
});

describe("the endpoint's access log", () => {
  it('a line cut by a killed writer costs that line only: the next calls are read whole', async () => {
    const log = new AccessLog(dir, 1024 * 1024, 0);
    log.record({ time: 1, route: '/v1/token', status: 200, userAgent: 'curl/1' });
    await log.flush();
    // The killed writer got this far into its line.
    writeFileSync(join(dir, 'endpoint-access.log'), '{"time":2,"route":"/v1/tok', { flag: 'a' });
    log.record({ time: 3, route: '/v1/token', status: 200, userAgent: 'curl/3' });
    log.record({ time: 4, route: '/v1/headers', status: 200, userAgent: 'curl/4' });
    await log.flush();
    expect((await readAccessLog(dir)).map((e) => e.time)).toEqual([4, 3, 1]);
  });
});
