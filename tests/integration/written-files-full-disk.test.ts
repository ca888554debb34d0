import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAppService } from '../../src-main/core/app/service.js';
import { AccessLog, readAccessLog } from '../../src-main/core/endpoint/access-log.js';
import type { EndpointLogEntry } from '../../src-main/contract/endpoint.js';
import { CliHome, keychainUnreachable, stderrLines } from '../helpers/cli.js';
import { call } from '../helpers/endpoint-client.js';
import { freePort } from '../helpers/free-port.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';
import { leaveFree, mountTmpfs, tmpfsUnavailable } from '../helpers/tmpfs.js';

// The files TokenDesk writes besides the configuration and the vault (config-full-disk, vault-read-only):
// a project file edited in the window, `inject -o`, the endpoint's access log. On a full disk or a
// read-only folder each keeps what was there, whole, leaves no temp file, and says which file and why.
const unavailable = tmpfsUnavailable();

const FULL = { code: 'ENOSPC', why: 'the disk is full' };
const READ_ONLY = { code: 'EROFS', why: 'the file system is read-only' };

/** A folder on its own 64 KB tmpfs, made full (`leaveFree(…, 0)`) or read-only by each case. */
function smallDisk(prefix: string) {
  const host = makeHome(prefix);
  const dir = join(host.dir, 'disk');
  let fs: ReturnType<typeof mountTmpfs>;
  beforeAll(() => {
    mkdirSync(dir);
    fs = mountTmpfs(dir, 'size=64k,mode=0755');
  });
  beforeEach(() => {
    fs.remount('rw');
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
  });
  afterAll(async () => {
    fs.unmount();
    await host.cleanup();
  });
  /** Full: the filler takes every page. Read-only: remounted. */
  const spoil = (how: typeof FULL) => (how === FULL ? leaveFree(join(dir, 'filler'), 0) : fs.remount('ro'));
  return { dir, spoil };
}

/** A fresh app service on its own home (`home`), closed after `fn`. */
async function withService(fn: (service: ReturnType<typeof createAppService>, home: string) => Promise<void>): Promise<void> {
  const home = makeHome();
  const service = createAppService({ home: home.dir, shell: 'web', scheduler: false, demoPort: 0 });
  try {
    await fn(service, home.dir);
  } finally {
    await service.close();
    await home.cleanup();
  }
}

const projectText = (url: string) => `${JSON.stringify({ version: 1, environments: [{ name: 'staging', provider: 'session', url }] }, null, 2)}\n`;
/** A pid that certainly belonged to a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe.skipIf(unavailable !== undefined)('editing a project file in its file, on a full disk or a read-only checkout', () => {
  const disk = smallDisk('tokendesk-project-disk-');

  it.each([FULL, READ_ONLY])('with $code the edit is refused naming the file and the reason; the file, its formatting and unknown fields stay as they were', (how) =>
    withService(async (service) => {
      const file = join(disk.dir, 'tokendesk.json');
      writeFileSync(file, `{\n    "version": 1,\n    "environments": [\n        { "name": "staging", "provider": "session", "url": "http://127.0.0.1:5000", "teamNote": "ask #platform" }\n    ]\n}\n`);
      await service.handle('linkProjectFile', { path: file });
      const env = (await service.handle('getState', {})).environments.find((e) => e.project)!;
      const before = readFileSync(file);
      const listed = readdirSync(disk.dir).sort();
      disk.spoil(how);

      const notes = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`note${i}`, 'x'.repeat(1000)]));
      const e = await rejection(service.handle('editProjectEnvironment', { envId: env.id, patch: { url: 'http://127.0.0.1:6000', variables: notes }, revision: env.project!.revision ?? null }), 'file_unwritable');
      expect(e.message).toBe(`The edit could not be saved to ${file} (${how.code}): ${how.why}; nothing was changed`);
      expect(readFileSync(file).equals(before)).toBe(true);
      // No temp file beside it (it would be committed with the repository).
      expect(readdirSync(disk.dir).filter((f) => f !== 'filler').sort()).toEqual(listed);
      expect((await service.handle('getState', {})).environments.find((x) => x.id === env.id)!.baseUrl).toBe('http://127.0.0.1:5000');
    }),
  );
});

describe('a project file edited in its file, and the list of linked files', () => {
  let repo: string;
  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'tokendesk-repo-'));
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it("keeps the file's mode, and sweeps the temp file a killed edit left in the repository (not a user's file)", () =>
    withService(async (service) => {
      const file = join(repo, 'tokendesk.json');
      writeFileSync(file, projectText('http://127.0.0.1:5000'));
      chmodSync(file, 0o664); // a checkout shared by a group
      await service.handle('linkProjectFile', { path: file });
      const env = (await service.handle('getState', {})).environments.find((e) => e.project)!;
      writeFileSync(join(repo, `tokendesk.json.tmp-${deadPid()}-0123456789ab`), '{\n  "version": 1,\n  "envir');
      writeFileSync(join(repo, 'tokendesk.json.orig'), "the user's own\n");

      await service.handle('editProjectEnvironment', { envId: env.id, patch: { url: 'http://127.0.0.1:6000' }, revision: env.project!.revision ?? null });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ environments: [{ url: 'http://127.0.0.1:6000' }] });
      expect(statSync(file).mode & 0o777).toBe(0o664);
      expect(readdirSync(repo).sort()).toEqual(['tokendesk.json', 'tokendesk.json.orig']);
    }));

  it('linking is refused naming projects.json and why when the list cannot be saved; the file is not listed as linked', () =>
    withService(async (service, home) => {
      writeFileSync(join(repo, 'tokendesk.json'), projectText('http://127.0.0.1:5000'));
      // A folder where the list goes: the rename over it fails (EISDIR) however privileged the test runs.
      mkdirSync(join(home, 'projects.json', 'inside'), { recursive: true });
      const e = await rejection(service.handle('linkProjectFile', { path: join(repo, 'tokendesk.json') }), 'file_unwritable');
      expect(e.message).toBe(`The list of linked project files could not be saved to ${join(home, 'projects.json')} (EISDIR): it is a folder; nothing was changed`);
      expect((await service.handle('getState', {})).projectFiles ?? []).toEqual([]);
      expect(readdirSync(join(home, 'projects.json'))).toEqual(['inside']);
      expect(readdirSync(home).filter((f) => f.includes('.tmp-'))).toEqual([]);
    }));

  it('a temp file of projects.json left by a killed app is swept at the next save', () =>
    withService(async (service, home) => {
      writeFileSync(join(repo, 'tokendesk.json'), projectText('http://127.0.0.1:5000'));
      const killed = `projects.json.tmp-${deadPid()}-0123456789ab`;
      writeFileSync(join(home, killed), '{\n  "version": 1,\n  "fi');
      const { file } = await service.handle('linkProjectFile', { path: join(repo, 'tokendesk.json') });
      expect(readdirSync(home)).not.toContain(killed);
      expect(JSON.parse(readFileSync(join(home, 'projects.json'), 'utf8'))).toEqual({ version: 1, files: [file] });
    }));
});

describe.skipIf(unavailable !== undefined)('tokendesk inject -o on a full disk or a read-only folder', () => {
  const disk = smallDisk('tokendesk-inject-disk-');
  const h = new CliHome();
  afterAll(() => h.cleanup());
  // 20 KB of template: more than a full disk's last page can take.
  const template = `TOKEN=${'s'.repeat(20_000)}\n`;

  it.each([FULL, READ_ONLY])('with $code nothing is written: no partial file, no temp file, the file named with the reason', async (how) => {
    const out = join(disk.dir, 'out.env');
    disk.spoil(how);
    const r = await h.run(['inject', '-o', out], { input: template });
    expect(r.code).toBe(1);
    expect(stderrLines(r)).toEqual([`tokendesk: The output could not be saved to ${out} (${how.code}): ${how.why}; nothing was changed`]);
    expect(readdirSync(disk.dir).filter((f) => f !== 'filler')).toEqual([]);
  });

  it.each([FULL, READ_ONLY])('with $code and --force an existing file is kept whole, at its mode', async (how) => {
    const out = join(disk.dir, 'out.env');
    writeFileSync(out, 'OLD=1\n', { mode: 0o600 });
    disk.spoil(how);
    const r = await h.run(['inject', '-o', out, '--force'], { input: template });
    expect(r.code).toBe(1);
    expect(stderrLines(r)).toEqual([`tokendesk: The output could not be saved to ${out} (${how.code}): ${how.why}; nothing was changed`]);
    expect(readFileSync(out, 'utf8')).toBe('OLD=1\n');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(disk.dir).filter((f) => f !== 'filler')).toEqual(['out.env']);
  });
});

describe.skipIf(unavailable !== undefined)('tokendesk project export -o --force on a full disk or a read-only checkout', () => {
  const disk = smallDisk('tokendesk-project-export-disk-');
  const h = new CliHome();
  afterAll(() => h.cleanup());
  beforeAll(async () => {
    // 20 KB of variables: more than a full disk's last page can take.
    const vars = Array.from({ length: 20 }, (_, i) => ['--var', `note${i}=${'x'.repeat(1000)}`]).flat();
    const r = await h.run(['env', 'add', 'team', '--provider', 'session', '--url', 'http://127.0.0.1:5000', ...vars]);
    expect(r.code, r.stderr).toBe(0);
  });

  it.each([FULL, READ_ONLY])("with $code the team's tokendesk.json is kept whole, not truncated", async (how) => {
    const out = join(disk.dir, 'tokendesk.json');
    const before = projectText('http://127.0.0.1:4000');
    writeFileSync(out, before);
    disk.spoil(how);
    const r = await h.run(['project', 'export', 'team', '-o', out, '--force']);
    expect(r.code).toBe(1);
    expect(stderrLines(r)).toEqual([`tokendesk: The output could not be saved to ${out} (${how.code}): ${how.why}; nothing was changed`]);
    expect(readFileSync(out, 'utf8')).toBe(before);
    expect(readdirSync(disk.dir).filter((f) => f !== 'filler')).toEqual(['tokendesk.json']);
  });
});

describe.skipIf(unavailable !== undefined)("the endpoint's access log on a full disk or a read-only folder", () => {
  const disk = smallDisk('tokendesk-log-disk-');
  const call = (i: number): EndpointLogEntry => ({ time: 1_700_000_000_000 + i, route: '/v1/token', status: 200, userAgent: `curl/${i} ${'u'.repeat(200)}`, env: 'staging' });

  it.each([FULL, READ_ONLY])('with $code a call is still answered (the write fails quietly), and the log keeps whole lines only: the next line after space returns is read', async (how) => {
    const log = new AccessLog(disk.dir, 1024 * 1024, 0);
    for (let i = 0; i < 3; i++) log.record(call(i));
    await log.flush();
    const path = join(disk.dir, 'endpoint-access.log');
    const before = readFileSync(path);
    disk.spoil(how);

    // 100 lines, about 30 KB: more than the last page of the file takes.
    for (let i = 3; i < 103; i++) log.record(call(i));
    await expect(log.flush()).resolves.toBeUndefined();
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(log.problem).toBe(`The access log could not be written to ${path} (${how.code}): ${how.why}. Calls are still answered, but not logged`);

    if (how === READ_ONLY) return;
    rmSync(join(disk.dir, 'filler'));
    log.record(call(200));
    await log.flush();
    expect((await readAccessLog(disk.dir)).map((e) => e.time - 1_700_000_000_000)).toEqual([200, 2, 1, 0]);
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
    expect(log.problem).toBeUndefined();
  });
});

const noKeychain = await keychainUnreachable();

describe.skipIf(noKeychain !== undefined)("the app's Endpoint panel when the access log cannot be written", () => {
  it('says which file and why while calls are still answered, and stops saying it once the log is written again', async () => {
    const h = new CliHome();
    const service = createAppService({ home: h.dir, shell: 'web', scheduler: false, demoPort: 0, endpoint: { port: await freePort() } });
    try {
      const { port } = await service.handle('getEndpoint', {});
      const secret = (await service.handle('copyEndpointSecret', {})).text!;
      // A folder where the log goes: every append fails (EISDIR), as on a full disk, whoever runs the test.
      const path = join(h.dir, 'endpoint-access.log');
      mkdirSync(path);
      expect((await call(port, '/v1/status', { secret, userAgent: 'curl/8' })).status).toBe(200);
      const view = await service.handle('getEndpoint', {});
      expect(view.logError).toBe(`The access log could not be written to ${path} (EISDIR): it is a folder. Calls are still answered, but not logged`);

      rmSync(path, { recursive: true });
      expect((await call(port, '/v1/status', { secret, userAgent: 'curl/9' })).status).toBe(200);
      const after = await service.handle('getEndpoint', {});
      expect(after.logError).toBeUndefined();
      expect(after.log.map((e) => e.userAgent)).toEqual(['curl/9']);
    } finally {
      await service.close();
      await h.cleanup();
    }
  }, 30_000);
});
