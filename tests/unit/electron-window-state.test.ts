import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// A fake BrowserWindow that records its options and plays back events.
const created = vi.hoisted(() => [] as Array<{ opts: Record<string, unknown>; win: Record<string, unknown>; handlers: Map<string, () => void> }>);
vi.mock('electron', () => ({
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  BrowserWindow: vi.fn(function (this: Record<string, unknown>, opts: Record<string, unknown>) {
    const handlers = new Map<string, () => void>();
    Object.assign(this, {
      maximize: vi.fn(),
      show: vi.fn(),
      loadURL: vi.fn(async () => undefined),
      once: (n: string, fn: () => void) => handlers.set(n, fn),
      on: (n: string, fn: () => void) => handlers.set(n, fn),
      getNormalBounds: () => ({ x: 10.4, y: 20, width: 1000, height: 700 }),
      isMaximized: () => true,
    });
    created.push({ opts, win: this, handlers });
  }),
}));

import { secureWebPreferences } from '../../src-main/electron/policies/web-preferences.js';
import { createMainWindow } from '../../src-main/electron/window.js';
import { DEFAULT_WINDOW_STATE, fitToDisplays, loadWindowState, parseWindowState, saveWindowState, WINDOW_STATE_FILE, windowPositionIsKnown } from '../../src-main/electron/window-state.js';
import { fileModesMissing, thisMachine } from '../helpers/platform-guards.js';

// Windows has no 0600: the mode check is left out there.
const modes = fileModesMissing(thisMachine()) === undefined;

const homes: string[] = [];
const home = () => {
  const d = mkdtempSync(join(tmpdir(), 'tokendesk-win-'));
  homes.push(d);
  return d;
};
afterEach(() => {
  for (const d of homes.splice(0)) rmSync(d, { recursive: true, force: true });
  created.length = 0;
});

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window state', () => {
  it('parses a good file and falls back to defaults on a bad one', () => {
    expect(parseWindowState({ x: 5, y: 6, width: 900, height: 600, maximized: true })).toEqual({ x: 5, y: 6, width: 900, height: 600, maximized: true });
    expect(parseWindowState({ width: 'huge' })).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState({ width: 10, height: 10 })).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState(null)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('keeps a position that is on a display, drops one that is not', () => {
    expect(fitToDisplays({ x: 100, y: 100, width: 1000, height: 700, maximized: false }, screen)).toMatchObject({ x: 100, y: 100 });
    const lost = fitToDisplays({ x: 5000, y: 100, width: 1000, height: 700, maximized: false }, screen);
    expect(lost.x).toBeUndefined();
    expect(lost.y).toBeUndefined();
    // The title bar above the screen is lost too.
    expect(fitToDisplays({ x: 100, y: -500, width: 1000, height: 700, maximized: false }, screen).y).toBeUndefined();
  });

  it('caps the size to the largest work area', () => {
    expect(fitToDisplays({ width: 5000, height: 4000, maximized: false }, screen)).toEqual({ width: 1920, height: 1080, maximized: false });
  });

  it('round-trips through window-state.json beside the config, owner-only', () => {
    const h = home();
    expect(loadWindowState(h)).toEqual(DEFAULT_WINDOW_STATE);
    saveWindowState(h, { x: 1.6, y: 2, width: 900.2, height: 650 }, false);
    expect(loadWindowState(h)).toEqual({ x: 2, y: 2, width: 900, height: 650, maximized: false });
    if (modes) expect(statSync(join(h, WINDOW_STATE_FILE)).mode & 0o777).toBe(0o600);
  });

  it('ignores a corrupt file and a home it cannot write', () => {
    const h = home();
    writeFileSync(join(h, WINDOW_STATE_FILE), '{not json');
    expect(loadWindowState(h)).toEqual(DEFAULT_WINDOW_STATE);
    expect(() => saveWindowState(join(h, WINDOW_STATE_FILE, 'nested'), { x: 0, y: 0, width: 900, height: 600 }, false)).not.toThrow();
  });
});

describe('createMainWindow', () => {
  it('uses the secure webPreferences, loads the app URL, remembers bounds on close', () => {
    const h = home();
    writeFileSync(join(h, WINDOW_STATE_FILE), JSON.stringify({ x: 50, y: 60, width: 1000, height: 700, maximized: true }));
    createMainWindow({ home: h, preloadPath: '/app/out/preload/index.cjs', appUrl: 'file:///app/out/renderer/index.html', iconPath: '/i.png', devTools: false });
    const { opts, win, handlers } = created[0]!;
    expect(opts.webPreferences).toEqual(secureWebPreferences('/app/out/preload/index.cjs', { devTools: false }));
    expect(opts).toMatchObject({ x: 50, y: 60, width: 1000, height: 700, show: false });
    // Not before the first paint: maximize() shows the window at once, unpainted (a white flash).
    expect(win.maximize).not.toHaveBeenCalled();
    expect(win.show).not.toHaveBeenCalled();
    expect(win.loadURL).toHaveBeenCalledWith('file:///app/out/renderer/index.html');
    handlers.get('ready-to-show')!();
    expect(win.maximize).toHaveBeenCalled();
    expect(win.show).toHaveBeenCalled();
    handlers.get('close')!();
    expect(JSON.parse(readFileSync(join(h, WINDOW_STATE_FILE), 'utf8'))).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
  });
});

describe('Wayland: the window position is unknown, only the size is remembered', () => {
  // "On Wayland, this method will return { x: 0, y: 0, ... } as introspecting or programmatically
  // changing the global window coordinates is prohibited." (BrowserWindow getBounds/getNormalBounds)
  it.each([
    ['darwin', {}, {}, true],
    ['win32', { WAYLAND_DISPLAY: 'wayland-0' }, {}, true],
    ['linux', { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' }, {}, true],
    ['linux', { WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' }, {}, false],
    ['linux', { XDG_SESSION_TYPE: 'wayland' }, {}, false],
    ['linux', { WAYLAND_DISPLAY: 'wayland-0' }, { ozonePlatform: 'x11' }, true], // Xwayland
    ['linux', { WAYLAND_DISPLAY: 'wayland-0' }, { ozonePlatformHint: 'x11' }, true],
    ['linux', { WAYLAND_DISPLAY: 'wayland-0', ELECTRON_OZONE_PLATFORM_HINT: 'x11' }, {}, true],
    ['linux', { DISPLAY: ':0' }, { ozonePlatform: 'wayland' }, false],
  ] as const)('%s %j %j → position known: %s', (platform, env, switches, known) => {
    expect(windowPositionIsKnown(platform, env, switches)).toBe(known);
  });

  it('saves the size without the 0,0 Wayland reports', () => {
    const h = home();
    saveWindowState(h, { x: 0, y: 0, width: 1000, height: 700 }, false, { positionKnown: false });
    expect(JSON.parse(readFileSync(join(h, WINDOW_STATE_FILE), 'utf8'))).toEqual({ width: 1000, height: 700, maximized: false });
  });

  it('neither passes a saved position nor saves one', () => {
    const h = home();
    writeFileSync(join(h, WINDOW_STATE_FILE), JSON.stringify({ x: 50, y: 60, width: 1000, height: 700, maximized: false }));
    createMainWindow({ home: h, preloadPath: '/p.cjs', appUrl: 'app://tokendesk/index.html', iconPath: '/i.png', devTools: false, positionKnown: false });
    const { opts, handlers } = created[0]!;
    expect(opts.x).toBeUndefined();
    expect(opts.y).toBeUndefined();
    expect(opts).toMatchObject({ width: 1000, height: 700 });
    handlers.get('close')!();
    // The fake reports x 10.4, y 20 — Wayland's would be 0, 0; either way none is kept.
    expect(JSON.parse(readFileSync(join(h, WINDOW_STATE_FILE), 'utf8'))).toEqual({ width: 1000, height: 700, maximized: true });
  });

  it('a window not maximized last time is shown without maximizing', () => {
    const h = home();
    createMainWindow({ home: h, preloadPath: '/p.cjs', appUrl: 'app://tokendesk/index.html', iconPath: '/i.png', devTools: false });
    const { win, handlers } = created[0]!;
    handlers.get('ready-to-show')!();
    expect(win.show).toHaveBeenCalled();
    expect(win.maximize).not.toHaveBeenCalled();
  });
});
