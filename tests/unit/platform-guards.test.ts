// The guards that decide which tests run on which runner (tests/helpers/platform-guards.ts): GitHub's
// ubuntu (not root, CI=true), macos and windows runners, and .ci/run (Linux, root, TOKENDESK_REQUIRE_TMPFS=1).
import { describe, expect, it } from 'vitest';
import {
  chmodIgnored,
  displayMissing,
  devFullMissing,
  fileModesMissing,
  ptyMissing,
  secretServiceMissing,
  signalsMissing,
  thisMachine,
  unixFilesMissing,
  tmpfsMissing,
  type Machine,
} from '../helpers/platform-guards.js';

const on = (platform: string, env: Record<string, string> = {}, isRoot = false): Machine => ({ platform: platform as Machine['platform'], env, isRoot });
const githubLinux = on('linux', { CI: 'true', DISPLAY: ':99' });
const ciRun = on('linux', { CI: 'true', TOKENDESK_REQUIRE_TMPFS: '1' }, true);
const mac = on('darwin', { CI: 'true' });
const windows = on('win32', { CI: 'true' });
const notRoot = 'mount: /tmp/x: must be superuser to use mount.';

describe('platform guards', () => {
  it('tmpfs: skipped with the reason on a non-root Linux runner with CI=true, on macOS and on Windows', () => {
    expect(tmpfsMissing(githubLinux, notRoot)).toBe(`cannot mount a tmpfs (${notRoot}); these tests need root`);
    expect(tmpfsMissing(mac, undefined)).toBe('darwin has no tmpfs');
    expect(tmpfsMissing(windows, undefined)).toBe('win32 has no tmpfs');
    expect(tmpfsMissing(githubLinux, undefined)).toBeUndefined();
  });

  it('tmpfs: a failure, not a skip, where .ci/run asks for it (TOKENDESK_REQUIRE_TMPFS=1)', () => {
    expect(tmpfsMissing(ciRun, undefined)).toBeUndefined();
    expect(() => tmpfsMissing(ciRun, notRoot)).toThrow(`TOKENDESK_REQUIRE_TMPFS=1 but cannot mount a tmpfs (${notRoot})`);
    expect(() => tmpfsMissing(on('darwin', { TOKENDESK_REQUIRE_TMPFS: '1' }), undefined)).toThrow('darwin has no tmpfs');
  });

  it('the Secret Service (D-Bus, gnome-keyring) only on Linux; macOS and Windows use their own keychain', () => {
    expect(secretServiceMissing(githubLinux)).toBeUndefined();
    expect(secretServiceMissing(mac)).toMatch(/Secret Service.*Linux's keychain; darwin has its own/);
    expect(secretServiceMissing(windows)).toMatch(/win32 has its own/);
  });

  it('a pseudo-terminal (Python pty) everywhere but Windows', () => {
    expect(ptyMissing(githubLinux)).toBeUndefined();
    expect(ptyMissing(mac)).toBeUndefined();
    expect(ptyMissing(windows)).toMatch(/pty module is Unix-only/);
  });

  it('signals a child can handle everywhere but Windows; /dev/full on Linux only', () => {
    expect([signalsMissing(githubLinux), signalsMissing(mac)]).toEqual([undefined, undefined]);
    expect(signalsMissing(windows)).toMatch(/no POSIX signals/);
    expect(devFullMissing(githubLinux)).toBeUndefined();
    expect(devFullMissing(mac)).toBe('darwin has no /dev/full');
    expect(devFullMissing(windows)).toBe('win32 has no /dev/full');
    expect([unixFilesMissing(githubLinux), unixFilesMissing(mac)]).toEqual([undefined, undefined]);
    expect(unixFilesMissing(windows)).toMatch(/no FIFOs, Unix sockets on a path or \/dev\/zero/);
  });

  it('file modes (0600) everywhere but Windows; chmod-made read-only folders neither on Windows nor as root', () => {
    expect(fileModesMissing(mac)).toBeUndefined();
    expect(fileModesMissing(windows)).toMatch(/no POSIX permission bits/);
    expect(chmodIgnored(githubLinux)).toBeUndefined();
    expect(chmodIgnored(mac)).toBeUndefined();
    expect(chmodIgnored(ciRun)).toBe('root ignores file permissions');
    expect(chmodIgnored(windows)).toMatch(/no POSIX permission bits/);
  });

  it('a display for Electron: Linux needs DISPLAY or WAYLAND_DISPLAY, macOS and Windows have one', () => {
    expect(displayMissing(on('linux'))).toMatch(/DISPLAY and WAYLAND_DISPLAY are unset/);
    expect(displayMissing(githubLinux)).toBeUndefined();
    expect(displayMissing(on('linux', { WAYLAND_DISPLAY: 'wayland-0' }))).toBeUndefined();
    expect(displayMissing(mac)).toBeUndefined();
    expect(displayMissing(windows)).toBeUndefined();
  });

  it('TOKENDESK_TEST_PLATFORM fakes the platform the guards answer for; a typo is an error, not the real platform', () => {
    expect(thisMachine({}).platform).toBe(process.platform);
    expect(thisMachine({ TOKENDESK_TEST_PLATFORM: 'win32' })).toMatchObject({ platform: 'win32', isRoot: false });
    expect(thisMachine({ TOKENDESK_TEST_PLATFORM: 'darwin' }).platform).toBe('darwin');
    expect(() => thisMachine({ TOKENDESK_TEST_PLATFORM: 'windows' })).toThrow(/must be one of linux, darwin, win32/);
  });
});
