// A start-up failure: the whole error in a log file in the app's log folder (per platform), named
// in the terminal and an error box, with no secret in it.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenDeskError } from '../../src-main/core/errors.js';
import { redactSecrets, reportStartupFailure, startupLogPath, startupLogText } from '../../src-main/electron/startup-log.js';
import { fileModesMissing, thisMachine } from '../helpers/platform-guards.js';

// Windows has no 0600: the mode check is left out there.
const modes = fileModesMissing(thisMachine()) === undefined;

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvd25lciJ9.c2lnbmF0dXJlLXRoYXQtaXMtbG9uZw';
const time = new Date('2026-03-04T05:06:07.890Z');

describe('startupLogPath', () => {
  it('uses the folder app.getPath("logs") gives, with a file name Windows accepts', () => {
    expect(startupLogPath({ platform: 'win32', time, logsDir: 'C:\\Users\\ana\\AppData\\Roaming\\TokenDesk\\logs', home: 'C:\\Users\\ana', env: {} }, path.win32)).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\TokenDesk\\logs\\startup-error-2026-03-04T05-06-07Z.log',
    );
  });

  it('falls back to the folder Electron would give on each platform', () => {
    expect(startupLogPath({ platform: 'win32', time, home: 'C:\\Users\\ana', env: { APPDATA: 'D:\\Roaming' } }, path.win32)).toBe('D:\\Roaming\\TokenDesk\\logs\\startup-error-2026-03-04T05-06-07Z.log');
    expect(startupLogPath({ platform: 'win32', time, home: 'C:\\Users\\ana', env: {} }, path.win32)).toBe('C:\\Users\\ana\\AppData\\Roaming\\TokenDesk\\logs\\startup-error-2026-03-04T05-06-07Z.log');
    expect(startupLogPath({ platform: 'darwin', time, home: '/Users/ana', env: {} }, path.posix)).toBe('/Users/ana/Library/Logs/TokenDesk/startup-error-2026-03-04T05-06-07Z.log');
    expect(startupLogPath({ platform: 'linux', time, home: '/home/ana', env: {} }, path.posix)).toBe('/home/ana/.config/TokenDesk/logs/startup-error-2026-03-04T05-06-07Z.log');
    expect(startupLogPath({ platform: 'linux', time, home: '/home/ana', env: { XDG_CONFIG_HOME: '/x' } }, path.posix)).toBe('/x/TokenDesk/logs/startup-error-2026-03-04T05-06-07Z.log');
  });
});

describe('startupLogText', () => {
  const meta = { time, appVersion: '0.1.0', versions: { electron: '39.8.10', chrome: '142.0', node: '22.20.0' }, platform: 'linux', arch: 'x64' };

  it('holds the stack, the error code and the cause chain, and the versions', () => {
    const root = Object.assign(new Error('EACCES: permission denied, open \'/home/ana/.config/tokendesk/config.json\''), { code: 'EACCES' });
    const e = new TokenDeskError('config_unwritable', 'The configuration folder cannot be written.', { cause: root });
    const text = startupLogText(e, meta);
    expect(text).toContain('TokenDesk could not start (2026-03-04T05:06:07.890Z)');
    expect(text).toContain('TokenDesk 0.1.0, Electron 39.8.10, Chrome 142.0, Node 22.20.0, linux x64');
    expect(text).toContain('The configuration folder cannot be written.');
    expect(text).toMatch(/startup-log\.test\.ts:\d+:\d+/); // the stack, file and line kept
    expect(text).toContain("caused by: Error: EACCES: permission denied, open '/home/ana/.config/tokendesk/config.json'");
    expect(text).toContain('code: EACCES');
  });

  it('redacts tokens, keys and passwords wherever they appear in the error', () => {
    const e = new Error(
      `refresh failed: Authorization: Bearer ${JWT} apikey=${JWT} {"password":"hunter2","refresh_token":"r7Qx"} https://ana:s3cr3t@db.example.com/x sb_secret_abcdefghijklmnop X-API-Key: cg_demo_4f1c9a7e token=short1`,
    );
    const text = startupLogText(e, meta);
    for (const secret of [JWT, 'hunter2', 'r7Qx', 's3cr3t', 'sb_secret_abcdefghijklmnop', 'cg_demo_4f1c9a7e', 'short1']) expect(text).not.toContain(secret);
    expect(text).toContain('refresh failed: Authorization: Bearer [redacted]');
    expect(text).toContain('"password":"[redacted]"');
  });

  it('leaves file names with line numbers alone, even when they contain "key" or "session"', () => {
    expect(redactSecrets('at read (/app/out/main/keychain.js:45:3) at x (sessions/manager.js:12:9)')).toBe('at read (/app/out/main/keychain.js:45:3) at x (sessions/manager.js:12:9)');
  });

  it('describes a thrown non-Error too', () => {
    expect(startupLogText('boom', meta)).toContain('thrown value: boom');
  });
});

describe('reportStartupFailure', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the log owner-only in the logs folder, names it in the terminal and the error box', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tokendesk-startup-log-'));
    const lines: string[] = [];
    const boxes: string[] = [];
    const file = reportStartupFailure(new Error(`no keychain for token ${JWT}`), {
      app: { getPath: () => path.join(dir, 'logs'), getVersion: () => '0.1.0' },
      dialog: { showErrorBox: (_t, body) => boxes.push(body) },
      home: dir,
      env: {},
      now: () => time,
      log: (l) => lines.push(l),
    });
    expect(file).toBe(path.join(dir, 'logs', 'startup-error-2026-03-04T05-06-07Z.log'));
    const text = readFileSync(file!, 'utf8');
    expect(text).toContain('no keychain for token [redacted]');
    expect(text).not.toContain(JWT);
    if (modes) expect(statSync(file!).mode & 0o777).toBe(0o600);
    expect(lines).toEqual([`[tokendesk] could not start (Error): the full error is in ${file}`]);
    expect(boxes).toEqual([`The full error is in:\n${file}`]);
  });

  it('an unwritable log folder: the system temp folder instead, still named', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tokendesk-startup-log-'));
    const blocker = path.join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const lines: string[] = [];
    const file = reportStartupFailure(new Error('x'), {
      app: { getPath: () => path.join(blocker, 'logs'), getVersion: () => '0.1.0' },
      home: dir,
      env: {},
      now: () => new Date(time.getTime() + Math.floor(Math.random() * 1e9)),
      log: (l) => lines.push(l),
    });
    expect(path.dirname(file!)).toBe(tmpdir());
    expect(lines[0]).toContain(file!);
    rmSync(file!, { force: true });
  });
});
