// The timed clear on Linux's Wayland session (Ubuntu 24.04's default): Electron 38+ runs there as a
// native Wayland client, Mutter ignores clipboard writes from a client without keyboard focus, and
// Chromium's readText answers with what it offered itself. The fakes below keep those rules.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { chooseClipboardBackend, copiedNotice, notClearedMessage, onPath, runSync, wlClipboard, type RunSync } from '../../src-main/electron/clipboard-backend.js';
import { ClipboardGuard, type ClipboardLike, type TimerLike } from '../../src-main/electron/clipboard-guard.js';

const timers: TimerLike = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

/** GNOME's compositor: one selection; a native client's write counts only while it has focus. */
function mutter() {
  return { selection: 'before', appFocused: true };
}

/** Electron's clipboard as a native Wayland client: writes need focus, reads answer from its cache. */
function electronOnWayland(c: ReturnType<typeof mutter>): ClipboardLike {
  let cache = '';
  return {
    readText: () => cache,
    writeText: (t) => {
      cache = t;
      if (c.appFocused) c.selection = t;
    },
    clear: () => {
      cache = '';
      if (c.appFocused) c.selection = '';
    },
  };
}

/** wl-copy / wl-paste against the same compositor: they get the selection set whatever has focus. */
function wlTools(c: ReturnType<typeof mutter>, broken: { clear?: boolean } = {}) {
  const calls: Array<{ file: string; args: string[]; input?: string }> = [];
  const run: RunSync = (file, args, input) => {
    calls.push({ file, args, input });
    if (file === 'wl-paste') return c.selection === '' ? { status: 1, stdout: '', stderr: 'Nothing is copied\n' } : { status: 0, stdout: c.selection, stderr: '' };
    if (args.includes('--clear')) {
      if (broken.clear) return { status: 1, stdout: '', stderr: 'Failed to connect to a Wayland server\n' };
      c.selection = '';
    } else c.selection = input ?? '';
    return { status: 0, stdout: '', stderr: '' };
  };
  return { run, calls };
}

describe('which clipboard the app uses', () => {
  const wayland = { WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0' };
  it('native Wayland: wl-clipboard when installed, else a clear that is never claimed', () => {
    expect(chooseClipboardBackend({ platform: 'linux', env: wayland, switches: {}, wlClipboard: true })).toBe('wl-clipboard');
    expect(chooseClipboardBackend({ platform: 'linux', env: wayland, switches: {}, wlClipboard: false })).toBe('unverifiable');
  });
  it("Electron's own where it reads back the truth: X11, Xwayland (--ozone-platform=x11), macOS, Windows", () => {
    expect(chooseClipboardBackend({ platform: 'linux', env: { DISPLAY: ':0' }, switches: {}, wlClipboard: true })).toBe('electron');
    expect(chooseClipboardBackend({ platform: 'linux', env: wayland, switches: { ozonePlatform: 'x11' }, wlClipboard: false })).toBe('electron');
    expect(chooseClipboardBackend({ platform: 'darwin', env: wayland, switches: {}, wlClipboard: false })).toBe('electron');
    expect(chooseClipboardBackend({ platform: 'win32', env: {}, switches: {}, wlClipboard: false })).toBe('electron');
  });
  it('finds wl-copy and wl-paste on PATH only when both are there', () => {
    const have = new Set(['/usr/bin/wl-copy', '/usr/bin/wl-paste']);
    expect(onPath(['wl-copy', 'wl-paste'], { PATH: '/usr/local/bin:/usr/bin' }, (f) => have.has(f))).toBe(true);
    expect(onPath(['wl-copy', 'wl-paste'], { PATH: '/usr/local/bin' }, (f) => have.has(f))).toBe(false);
    expect(onPath(['wl-copy', 'wl-paste'], {}, () => true)).toBe(false);
  });
});

describe('the timed clear on Wayland, the window unfocused when it is due', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("without wl-clipboard: the secret stays, and the app says it could not clear, never 'cleared'", () => {
    const c = mutter();
    const onCleared = vi.fn();
    const onClearFailed = vi.fn();
    const g = new ClipboardGuard(electronOnWayland(c), { timers, onCleared, onClearFailed, verifiable: false, platform: 'linux' });
    g.copy('Bearer SECRET', 30);
    c.appFocused = false; // the user went back to their terminal
    vi.advanceTimersByTime(30_000);
    expect(c.selection).toBe('Bearer SECRET'); // what Mutter really holds
    expect(onCleared).not.toHaveBeenCalled();
    expect(onClearFailed).toHaveBeenCalledTimes(1);
    expect(notClearedMessage('unverifiable')).toMatch(/may still be on the clipboard.*wl-clipboard/);
  });

  it('with wl-clipboard: cleared in the compositor and confirmed by reading it back', () => {
    const c = mutter();
    const { run, calls } = wlTools(c);
    const onCleared = vi.fn();
    const onClearFailed = vi.fn();
    const g = new ClipboardGuard(wlClipboard(run), { timers, onCleared, onClearFailed, platform: 'linux' });
    c.appFocused = false; // a tray copy: the window is not even focused
    g.copy('Bearer SECRET', 30);
    expect(c.selection).toBe('Bearer SECRET');
    // The secret goes over stdin, never into the arguments other users' ps can read.
    expect(calls.flatMap((x) => x.args).join(' ')).not.toContain('SECRET');
    vi.advanceTimersByTime(30_000);
    expect(c.selection).toBe('');
    expect(onCleared).toHaveBeenCalledTimes(1);
    expect(onClearFailed).not.toHaveBeenCalled();
  });

  it('with wl-clipboard failing to clear: not claimed', () => {
    const c = mutter();
    const onCleared = vi.fn();
    const onClearFailed = vi.fn();
    const g = new ClipboardGuard(wlClipboard(wlTools(c, { clear: true }).run), { timers, onCleared, onClearFailed, platform: 'linux' });
    g.copy('Bearer SECRET', 30);
    vi.advanceTimersByTime(30_000);
    expect(c.selection).toBe('Bearer SECRET');
    expect(onCleared).not.toHaveBeenCalled();
    expect(onClearFailed).toHaveBeenCalledTimes(1);
  });

  it('an image the user copied since (wl-paste: no text type) is left alone, and nothing is said', () => {
    const c = mutter();
    const onCleared = vi.fn();
    const onClearFailed = vi.fn();
    const tools = wlTools(c);
    // wl-paste --type text/plain on a clipboard holding only image/png (wl-clipboard 2.x's words).
    const run: RunSync = (file, args, input) =>
      file === 'wl-paste' && c.selection === '<image>' ? { status: 1, stdout: '', stderr: 'No suitable type of content copied\n' } : tools.run(file, args, input);
    const g = new ClipboardGuard(wlClipboard(run), { timers, onCleared, onClearFailed, platform: 'linux' });
    g.copy('Bearer SECRET', 30);
    c.selection = '<image>';
    vi.advanceTimersByTime(30_000);
    expect(c.selection).toBe('<image>');
    expect(onClearFailed).not.toHaveBeenCalled();
  });

  it('a tray copy says "Copied" only where the write is confirmed', () => {
    expect(copiedNotice('wl-clipboard', 'Authorization header', 30)).toEqual({ title: 'Copied', body: 'Authorization header. The clipboard clears in 30 s.' });
    expect(copiedNotice('electron', 'Raw token', null).title).toBe('Copied');
    const unsure = copiedNotice('unverifiable', 'Authorization header', 30);
    expect(unsure.title).not.toBe('Copied');
    expect(unsure.body).toMatch(/may not have reached the clipboard.*wl-clipboard/);
  });

  it('whatever the user copied since is left alone, and nothing is said', () => {
    const c = mutter();
    const onCleared = vi.fn();
    const onClearFailed = vi.fn();
    const g = new ClipboardGuard(wlClipboard(wlTools(c).run), { timers, onCleared, onClearFailed, platform: 'linux' });
    g.copy('Bearer SECRET', 30);
    c.selection = 'their own text';
    vi.advanceTimersByTime(30_000);
    expect(c.selection).toBe('their own text');
    expect(onCleared).not.toHaveBeenCalled();
    expect(onClearFailed).not.toHaveBeenCalled();
  });
});

describe.skipIf(process.platform === 'win32')('runSync with a wl-copy that forks its selection server', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tokendesk-wlcopy-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns when wl-copy itself exits, not when its background server does, and hands it the text on stdin', () => {
    const fake = join(dir, 'wl-copy');
    // Like wl-copy: read the text, leave a background process holding the inherited output, exit.
    writeFileSync(fake, `#!/bin/sh\ncat > "${dir}/got"\n(sleep 30) &\nexit 0\n`);
    chmodSync(fake, 0o755);
    const r = runSync(fake, ['--type', 'text/plain'], 'Bearer SECRET');
    // Piped output would keep spawnSync waiting for the sleeper until its 2 s time-out kills nothing
    // and reports ETIMEDOUT.
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'got'), 'utf8')).toBe('Bearer SECRET');
  });
});
