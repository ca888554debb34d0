// `npm start`'s decisions (scripts/start-plan.mjs): fetch, launch or fall back to the browser, and
// one-line causes and fixes. The download failures are Electron's real installer against 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeUrl, browserCommand, browserLines, decide, diagnose, fetchLine, START_WINDOW_MS, type StartInputs } from '../../scripts/start-plan.mjs';
import { anotherInstanceMessage } from '../../src-main/electron/single-instance.js';

const linuxDesktop: StartInputs = {
  platform: 'linux',
  env: { DISPLAY: ':0' },
  uid: 1000,
  apparmorRestrict: '0\n',
  sandboxHelper: { uid: 1000, mode: 0o100755 },
  hasBinary: true,
  args: [],
};

describe('decide: what npm start does', () => {
  it('launches the package (".", its main), not a built file, passing the user\'s arguments on', () => {
    expect(decide({ ...linuxDesktop, args: ['--inspect'] })).toEqual({ kind: 'launch', args: ['.', '--inspect'] });
  });

  it('fetches a missing binary from ELECTRON_MIRROR\'s host, else GitHub', () => {
    expect(decide({ ...linuxDesktop, hasBinary: false })).toEqual({ kind: 'fetch', host: 'github.com' });
    expect(decide({ ...linuxDesktop, hasBinary: false, env: { ELECTRON_MIRROR: 'https://mirror.corp.example/electron/' } })).toEqual({ kind: 'fetch', host: 'mirror.corp.example' });
  });

  it('opens the browser when the user skipped the download on purpose', () => {
    const plan = decide({ ...linuxDesktop, hasBinary: false, env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
    expect(plan).toMatchObject({ kind: 'web', fix: expect.stringContaining('unset ELECTRON_SKIP_BINARY_DOWNLOAD') });
  });

  it('as root on Linux: the browser and the one-line fix, never a silent --no-sandbox', () => {
    const plan = decide({ ...linuxDesktop, uid: 0 });
    expect(plan.kind).toBe('web');
    expect(plan).toMatchObject({ cause: expect.stringContaining('root'), fix: expect.stringContaining('normal user') });
    // Only the user's own --no-sandbox launches as root.
    expect(decide({ ...linuxDesktop, uid: 0, args: ['--no-sandbox'] })).toEqual({ kind: 'launch', args: ['.', '--no-sandbox'] });
  });

  it('Ubuntu 23.10+ AppArmor restriction with a non-setuid chrome-sandbox: the chown/chmod fix', () => {
    const plan = decide({ ...linuxDesktop, apparmorRestrict: '1\n' });
    expect(plan).toMatchObject({ kind: 'web', cause: expect.stringContaining('apparmor_restrict_unprivileged_userns=1') });
    expect(plan.kind === 'web' && plan.fix).toBe(
      'sudo chown root:root node_modules/electron/dist/chrome-sandbox && sudo chmod 4755 node_modules/electron/dist/chrome-sandbox, then run npm start again',
    );
  });

  it('the same restriction is fine with a root-owned setuid helper or an AppArmor profile for the binary', () => {
    expect(decide({ ...linuxDesktop, apparmorRestrict: '1', sandboxHelper: { uid: 0, mode: 0o104755 } }).kind).toBe('launch');
    expect(decide({ ...linuxDesktop, apparmorRestrict: '1', sandboxHelper: { uid: 1000, mode: 0o104755 } }).kind).toBe('web'); // setuid but not root's
    expect(decide({ ...linuxDesktop, apparmorRestrict: '1', apparmorProfile: true }).kind).toBe('launch');
    expect(decide({ ...linuxDesktop, apparmorRestrict: undefined }).kind).toBe('launch'); // kernels without the sysctl
  });

  it('Linux without a display goes to the browser; macOS and Windows have no such checks', () => {
    expect(decide({ ...linuxDesktop, env: {} })).toMatchObject({ kind: 'web', fix: expect.stringContaining('xvfb-run') });
    expect(decide({ ...linuxDesktop, env: { WAYLAND_DISPLAY: 'wayland-0' } }).kind).toBe('launch');
    expect(decide({ ...linuxDesktop, platform: 'darwin', env: {}, uid: 0, apparmorRestrict: '1' }).kind).toBe('launch');
    expect(decide({ ...linuxDesktop, platform: 'win32', env: {}, uid: undefined }).kind).toBe('launch');
  });

  it('--web asks for the browser outright', () => {
    expect(decide({ ...linuxDesktop, args: ['--web'] }).kind).toBe('web');
  });
});

describe('diagnose: a failed download, from Electron\'s real installer', () => {
  const installJs = join(dirname(createRequire(import.meta.url).resolve('electron/package.json')), 'install.js');
  let server: Server;
  let port = 0;
  let cache: string;
  beforeAll(async () => {
    cache = mkdtempSync(join(tmpdir(), 'tokendesk-electron-cache-'));
    server = createServer((req, res) => {
      res.statusCode = req.url?.startsWith('/forbidden/') ? 403 : 404;
      res.end('no');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(cache, { recursive: true, force: true });
  });

  // Async: the 127.0.0.1 server answers from this same event loop.
  function install(mirror: string): Promise<{ output: string; env: Record<string, string | undefined> }> {
    const env = { ...process.env, ELECTRON_MIRROR: mirror, electron_config_cache: cache, ELECTRON_SKIP_BINARY_DOWNLOAD: '', ELECTRON_GET_USE_PROXY: '' };
    // An empty dist folder: the installer downloads even where node_modules/electron has its binary.
    const childEnv = { ...env, ELECTRON_OVERRIDE_DIST_PATH: join(cache, 'dist') };
    return new Promise((resolve) => {
      execFile(process.execPath, [installJs], { env: childEnv, encoding: 'utf8', timeout: 30_000 }, (err, _out, stderr) => {
        expect((err as { code?: number } | null)?.code, stderr).toBe(1);
        resolve({ output: stderr, env });
      });
    });
  }

  it('mirror answers 404: names the host and the status, points at ELECTRON_MIRROR', async () => {
    const d = diagnose({ stage: 'download', ...await install(`http://127.0.0.1:${port}/missing/`) });
    expect(d?.cause).toBe(`the download host 127.0.0.1:${port} has no such file (wrong ELECTRON_MIRROR path?): HTTP 404 Not Found`);
    expect(d?.fix).toMatch(/ELECTRON_MIRROR/);
  });

  it('mirror answers 403: refused', async () => {
    const d = diagnose({ stage: 'download', ...await install(`http://127.0.0.1:${port}/forbidden/`) });
    expect(d?.cause).toBe(`the download host 127.0.0.1:${port} refused the download: HTTP 403 Forbidden`);
  });

  it('nothing listens: no network to the download host, with the mirror and proxy variables as the fix', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const dead = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const d = diagnose({ stage: 'download', ...await install(`http://127.0.0.1:${dead}/`) });
    expect(d?.cause).toBe(`Electron's download host 127.0.0.1:${dead} cannot be reached from this machine (ECONNREFUSED)`);
    expect(d?.fix).toMatch(/ELECTRON_GET_USE_PROXY=1 and GLOBAL_AGENT_HTTPS_PROXY/);
  });

  it('a blocked GitHub (the installer\'s words on this project\'s machines)', () => {
    const output = 'RequestError: getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous> (node_modules/got/dist/source/core/index.js:970:111)';
    expect(diagnose({ stage: 'download', output, env: {} })?.cause).toBe("Electron's download host github.com cannot be reached from this machine (ENOTFOUND)");
  });
});

describe('diagnose: a binary that is present but does not start', () => {
  it('cannot be executed at all', () => {
    expect(diagnose({ stage: 'launch', spawnError: 'EACCES' })).toEqual({
      cause: 'the Electron binary is present but cannot be run (EACCES)',
      fix: expect.stringContaining('delete node_modules/electron/dist'),
    });
  });

  it('a missing shared library names the Debian package', () => {
    const stderr = 'node_modules/electron/dist/electron: error while loading shared libraries: libnss3.so: cannot open shared object file: No such file or directory';
    expect(diagnose({ stage: 'launch', exitCode: 127, stderr, elapsedMs: 40 })).toEqual({
      cause: 'Electron cannot start: the system library libnss3.so is missing',
      fix: 'sudo apt-get install libnss3 (Debian/Ubuntu), then run npm start again',
    });
    const other = diagnose({ stage: 'launch', exitCode: 127, stderr: 'error while loading shared libraries: libfoo.so.9: cannot open', elapsedMs: 40 });
    expect(other?.fix).toMatch(/apt-file search libfoo\.so\.9/);
  });

  it('Chromium\'s own sandbox aborts are recognised even when the pre-check missed them', () => {
    const suid =
      "[1:FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now.";
    expect(diagnose({ stage: 'launch', signal: 'SIGTRAP', stderr: suid, elapsedMs: 300 })?.fix).toMatch(/chmod 4755/);
    const root = '[2:ERROR:ozone_platform_x11.cc(245)] Running as root without --no-sandbox is not supported. See https://crbug.com/638180.';
    expect(diagnose({ stage: 'launch', exitCode: 1, stderr: root, elapsedMs: 300 })?.fix).toMatch(/normal user/);
  });

  it('an unknown quick death gives its code and last line; a normal or late exit is not a start failure', () => {
    const d = diagnose({ stage: 'launch', exitCode: 3, stderr: 'first\nGPU process isn\'t usable. Goodbye.\n', elapsedMs: 900 });
    expect(d?.cause).toBe("Electron exited with code 3 as it started: GPU process isn't usable. Goodbye.");
    expect(diagnose({ stage: 'launch', exitCode: 0, stderr: '', elapsedMs: 500 })).toBeUndefined();
    expect(diagnose({ stage: 'launch', exitCode: 1, stderr: 'late', elapsedMs: START_WINDOW_MS + 1 })).toBeUndefined();
  });
});

describe('diagnose: another TokenDesk took the start over', () => {
  it('says this build did not start (Electron exits 0 then), names the folder, and opens no browser', () => {
    const stderr = `${anotherInstanceMessage('/home/ann/.config/TokenDesk/Electron-dev')}\n`;
    const d = diagnose({ stage: 'launch', exitCode: 0, stderr, elapsedMs: 400 });
    expect(d?.elsewhere).toBe(true);
    expect(d?.cause).toBe(
      'this build did not start: another TokenDesk is already running with the same data folder (/home/ann/.config/TokenDesk/Electron-dev), and its window was brought to the front',
    );
    expect(d?.fix).toMatch(/TOKENDESK_HOME=/);
    // Without the line, a quick clean exit stays what it was: not a failure.
    expect(diagnose({ stage: 'launch', exitCode: 0, stderr: 'other output\n', elapsedMs: 400 })).toBeUndefined();
  });
});

describe('the browser fallback', () => {
  it('finds the bridge URL (with its secret) in the bridge\'s output', () => {
    expect(bridgeUrl('    http://127.0.0.1:5179/?token=abc_DEF-123')).toBe('http://127.0.0.1:5179/?token=abc_DEF-123');
    expect(bridgeUrl('Press Ctrl+C to stop.')).toBeUndefined();
  });

  it('after --web it opens the browser without saying "instead"; a fallback says "instead" after its cause and fix', () => {
    const asked = decide({ ...linuxDesktop, args: ['--web'] });
    if (asked.kind !== 'web') throw new Error('expected the browser');
    expect(browserLines(asked)).toEqual(['you asked for the browser (--web).', 'opening the same UI in your browser (the web bridge; Ctrl+C stops it).']);
    const noDisplay = decide({ ...linuxDesktop, env: {} });
    if (noDisplay.kind !== 'web') throw new Error('expected the browser');
    const lines = browserLines(noDisplay);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/no graphical display/);
    expect(lines[1]).toMatch(/^fix: /);
    expect(lines[2]).toBe('opening the same UI in your browser instead (the web bridge; Ctrl+C stops it).');
  });

  it('the download line claims "first start only" on no start: a start after a failed download says it tries again, and why', () => {
    const first = fetchLine({ version: '39.2.0', host: 'github.com' });
    expect(first).toBe('fetching Electron 39.2.0 from github.com (once: it is kept in node_modules/electron)...');
    const again = fetchLine({ version: '39.2.0', host: 'github.com', lastFailure: "Electron's download host github.com cannot be reached from this machine (ENOTFOUND)" });
    expect(again).toMatch(/^fetching Electron 39\.2\.0 from github\.com again \(the last try failed: .*ENOTFOUND/);
    for (const line of [first, again]) expect(line).not.toContain('first start only');
  });

  it('opens the default browser per platform, never through cmd (which splits URLs at &)', () => {
    const url = 'http://127.0.0.1:5179/?token=a&b';
    expect(browserCommand('linux', url)).toEqual({ cmd: 'xdg-open', args: [url] });
    expect(browserCommand('darwin', url)).toEqual({ cmd: 'open', args: [url] });
    expect(browserCommand('win32', url)).toEqual({ cmd: 'rundll32', args: ['url.dll,FileProtocolHandler', url] });
  });
});
