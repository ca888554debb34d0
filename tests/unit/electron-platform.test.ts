// Platform behaviour of the Electron shell that only shows on Windows, macOS or a Linux desktop,
// checked here with each platform's real inputs (path.win32 paths, the documented event rules) and
// fakes that keep Electron's documented contract.
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_USER_MODEL_ID, chromiumUserDataDir, foldersOverlap, PRODUCT_NAME } from '../../src-main/electron/app-identity.js';
import { prepareBeforeReady } from '../../src-main/electron/before-ready.js';
import { MAX_KEPT_NOTIFICATIONS, NotificationKeeper, type NotificationLike } from '../../src-main/electron/notification-keeper.js';
import { clearOnSessionEnd, hideOnCloseToTray } from '../../src-main/electron/session-end.js';

describe("Chromium's userData is not the configuration folder", () => {
  // The configuration folders env-paths gives resolveHome() on each platform, and app.getPath('appData').
  const cases = [
    {
      platform: 'win32' as const,
      appData: 'C:\\Users\\Ann\\AppData\\Roaming',
      configHome: 'C:\\Users\\Ann\\AppData\\Roaming\\tokendesk\\Config',
      want: 'C:\\Users\\Ann\\AppData\\Roaming\\TokenDesk\\Electron',
      // Electron's default, appData\<productName>: on NTFS (case-insensitive) the folder holding Config.
      electronDefault: 'C:\\Users\\Ann\\AppData\\Roaming\\TokenDesk',
    },
    {
      platform: 'darwin' as const,
      appData: '/Users/ann/Library/Application Support',
      configHome: '/Users/ann/Library/Preferences/tokendesk',
      want: '/Users/ann/Library/Application Support/TokenDesk/Electron',
      electronDefault: undefined,
    },
    {
      platform: 'linux' as const,
      appData: '/home/ann/.config',
      configHome: '/home/ann/.config/tokendesk',
      want: '/home/ann/.config/TokenDesk/Electron',
      // Electron's default with the package name: the configuration folder itself.
      electronDefault: '/home/ann/.config/tokendesk',
    },
  ];
  it.each(cases)('$platform: $want', ({ platform, appData, configHome, want, electronDefault }) => {
    const dir = chromiumUserDataDir({ platform, appData, configHome });
    expect(dir).toBe(want);
    expect(foldersOverlap(dir, configHome, platform)).toBe(false);
    if (electronDefault) expect(foldersOverlap(electronDefault, configHome, platform)).toBe(true);
  });
  it('moves beside the configuration folder when TOKENDESK_HOME is where it would go', () => {
    expect(chromiumUserDataDir({ platform: 'linux', appData: '/home/ann/.config', configHome: '/home/ann/.config/TokenDesk' })).toBe('/home/ann/.config/TokenDesk-electron');
    // Case-insensitive on Windows and macOS: tokendesk and TokenDesk are one folder there.
    expect(chromiumUserDataDir({ platform: 'win32', appData: 'C:\\Users\\Ann\\AppData\\Roaming', configHome: 'c:\\users\\ann\\appdata\\roaming\\tokendesk' })).toBe(
      'c:\\users\\ann\\appdata\\roaming\\tokendesk-electron',
    );
    expect(chromiumUserDataDir({ platform: 'darwin', appData: '/Users/ann/Library/Application Support', configHome: '/Users/ann/Library/Application Support' })).toBe(
      '/Users/ann/Library/Application Support-electron',
    );
  });
  it('Linux folders differ by case only where the file system says so', () => {
    expect(foldersOverlap('/home/a/TokenDesk', '/home/a/tokendesk', 'linux')).toBe(false);
    expect(foldersOverlap('/Users/a/TokenDesk', '/Users/a/tokendesk', 'darwin')).toBe(true);
    expect(foldersOverlap(path.win32.join('C:\\x', 'TokenDesk'), 'c:\\X\\tokendesk\\Config', 'win32')).toBe(true);
  });
});

describe('a development build or a test never shares the installed app\'s data folder and lock', () => {
  // The installed app's folder, and what `npm start` (not packaged) and a TOKENDESK_HOME run get.
  const linux = { platform: 'linux' as const, appData: '/home/ann/.config', configHome: '/home/ann/.config/tokendesk' };
  it('packaged: appData/TokenDesk/Electron; npm start: a folder of its own beside it', () => {
    expect(chromiumUserDataDir({ ...linux, packaged: true })).toBe('/home/ann/.config/TokenDesk/Electron');
    expect(chromiumUserDataDir({ ...linux, packaged: false })).toBe('/home/ann/.config/TokenDesk/Electron-dev');
    expect(chromiumUserDataDir({ platform: 'win32', appData: 'C:\\Users\\Ann\\AppData\\Roaming', configHome: 'C:\\Users\\Ann\\AppData\\Roaming\\tokendesk\\Config', packaged: false })).toBe(
      'C:\\Users\\Ann\\AppData\\Roaming\\TokenDesk\\Electron-dev',
    );
  });
  it('TOKENDESK_HOME (packaged or not): one folder per configuration folder, beside it, never inside', () => {
    for (const packaged of [true, false]) {
      const dir = chromiumUserDataDir({ platform: 'linux', appData: '/home/ann/.config', configHome: '/tmp/tokendesk-test-a1', packaged, homeOverridden: true });
      expect(dir).toBe('/tmp/tokendesk-test-a1-electron');
      expect(foldersOverlap(dir, '/tmp/tokendesk-test-a1', 'linux')).toBe(false);
    }
    const other = chromiumUserDataDir({ platform: 'linux', appData: '/home/ann/.config', configHome: '/tmp/tokendesk-test-b2', homeOverridden: true });
    expect(other).not.toBe(chromiumUserDataDir({ ...linux, packaged: true }));
  });
  it('prepareBeforeReady sets that folder before the lock is asked for', () => {
    const setPath = vi.fn();
    prepareBeforeReady(
      { setName: () => undefined, getPath: () => '/home/ann/.config', setPath, setAppUserModelId: () => undefined },
      { registerSchemesAsPrivileged: () => undefined },
      { platform: 'linux', configHome: '/home/ann/.config/tokendesk', packaged: false, mkdir: () => undefined },
    );
    expect(setPath).toHaveBeenCalledWith('userData', '/home/ann/.config/TokenDesk/Electron-dev');
  });
});

describe('prepareBeforeReady', () => {
  function fakes(appData: string) {
    const calls: string[] = [];
    const app = {
      setName: vi.fn((n: string) => void calls.push(`setName ${n}`)),
      getPath: vi.fn(() => appData),
      setPath: vi.fn((k: string, p: string) => void calls.push(`setPath ${k} ${p}`)),
      setAppUserModelId: vi.fn((id: string) => void calls.push(`aumid ${id}`)),
    };
    const protocol = { registerSchemesAsPrivileged: vi.fn(() => void calls.push('privileged')) };
    return { app, protocol, calls };
  }
  it('Windows: name, userData (made first), app:// privileges and the installer\'s AppUserModelID', () => {
    const { app, protocol, calls } = fakes('C:\\Users\\Ann\\AppData\\Roaming');
    const made: string[] = [];
    const r = prepareBeforeReady(app, protocol, { platform: 'win32', configHome: 'C:\\Users\\Ann\\AppData\\Roaming\\tokendesk\\Config', mkdir: (d) => void made.push(d) });
    expect(r.userData).toBe('C:\\Users\\Ann\\AppData\\Roaming\\TokenDesk\\Electron');
    expect(made).toEqual([r.userData]);
    expect(calls).toEqual([`setName ${PRODUCT_NAME}`, `setPath userData ${r.userData}`, 'privileged', `aumid ${APP_USER_MODEL_ID}`]);
    // Must equal electron-builder's build.appId, which names the Start menu shortcut's AUMID.
    expect(APP_USER_MODEL_ID).toBe('dev.tokendesk.app');
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });
  it.each([
    ['linux', '/home/ann/.config/TokenDesk/Electron'],
    // Same inputs on a case-insensitive file system: …/TokenDesk is …/tokendesk, so it goes beside.
    ['darwin', '/home/ann/.config/tokendesk-electron'],
  ] as const)('%s: no AppUserModelID (a Windows-only API); userData %s', (platform, want) => {
    const { app, protocol } = fakes('/home/ann/.config');
    prepareBeforeReady(app, protocol, { platform, configHome: '/home/ann/.config/tokendesk', mkdir: () => undefined });
    expect(app.setAppUserModelId).not.toHaveBeenCalled();
    expect(app.setPath).toHaveBeenCalledWith('userData', want);
  });
  it('an app-data folder it cannot make leaves Chromium its default and still registers the scheme', () => {
    const { app, protocol } = fakes('/ro');
    const r = prepareBeforeReady(app, protocol, { platform: 'linux', configHome: '/home/a/.config/tokendesk', mkdir: () => { throw Object.assign(new Error('EACCES'), { code: 'EACCES' }); } });
    expect(r.userData).toBeUndefined();
    expect(app.setPath).not.toHaveBeenCalled();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
  });
});

/** A Notification fake with Electron's events; `collectable` says whether anything still holds it. */
class FakeNotification implements NotificationLike {
  readonly handlers = new Map<string, Array<() => void>>();
  shown = false;
  on(event: 'click' | 'close' | 'failed', fn: () => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  show() {
    this.shown = true;
  }
  emit(event: string) {
    for (const fn of this.handlers.get(event) ?? []) fn();
  }
}

describe('NotificationKeeper', () => {
  it('holds a shown notification until it is clicked, then runs the click', () => {
    const k = new NotificationKeeper('linux');
    const n = new FakeNotification();
    const onClick = vi.fn();
    k.show(n, onClick);
    expect(n.shown).toBe(true);
    expect(k.has(n)).toBe(true);
    n.emit('click');
    expect(onClick).toHaveBeenCalledOnce();
    expect(k.has(n)).toBe(false);
  });
  it.each(['linux', 'darwin'] as const)('%s: lets go on close', (platform) => {
    const k = new NotificationKeeper(platform);
    const n = new FakeNotification();
    k.show(n, () => undefined);
    n.emit('close');
    expect(k.size).toBe(0);
  });
  it('Windows: keeps it after close (the toast timed out into the Action Center, still clickable), lets go on failed', () => {
    const k = new NotificationKeeper('win32');
    const n = new FakeNotification();
    const onClick = vi.fn();
    k.show(n, onClick);
    n.emit('close');
    expect(k.has(n)).toBe(true);
    n.emit('click'); // from the Action Center
    expect(onClick).toHaveBeenCalledOnce();
    const broken = new FakeNotification();
    k.show(broken, () => undefined);
    broken.emit('failed');
    expect(k.has(broken)).toBe(false);
  });
  it('never holds more than MAX_KEPT_NOTIFICATIONS (a close may never come)', () => {
    const k = new NotificationKeeper('win32');
    const all = Array.from({ length: MAX_KEPT_NOTIFICATIONS + 5 }, () => new FakeNotification());
    for (const n of all) k.show(n, () => undefined);
    expect(k.size).toBe(MAX_KEPT_NOTIFICATIONS);
    expect(k.has(all[0]!)).toBe(false);
    expect(k.has(all.at(-1)!)).toBe(true);
  });
});

describe('clearOnSessionEnd (before-quit is not emitted on a Windows shutdown or log-off)', () => {
  class Source {
    readonly names: string[] = [];
    readonly fns = new Map<string, () => void>();
    on(event: string, fn: () => void) {
      this.names.push(event);
      this.fns.set(event, fn);
    }
  }
  it('Windows: each window\'s query-session-end and session-end clear', () => {
    const pm = new Source();
    const win = new Source();
    const onEnd = vi.fn();
    clearOnSessionEnd('win32', pm, onEnd)(win);
    expect(pm.names).toEqual([]); // powerMonitor 'shutdown' is linux/darwin only
    expect(win.names.sort()).toEqual(['query-session-end', 'session-end']);
    win.fns.get('session-end')!();
    win.fns.get('query-session-end')!();
    expect(onEnd).toHaveBeenCalledTimes(2);
  });
  it.each(['linux', 'darwin'] as const)('%s: powerMonitor shutdown clears; windows get nothing', (platform) => {
    const pm = new Source();
    const win = new Source();
    const onEnd = vi.fn();
    clearOnSessionEnd(platform, pm, onEnd)(win);
    expect(pm.names).toEqual(['shutdown']);
    expect(win.names).toEqual([]);
    pm.fns.get('shutdown')!();
    expect(onEnd).toHaveBeenCalledOnce();
  });
});

describe('Windows: a window closed to the tray still hears the log-off', () => {
  /** A BrowserWindow fake: close is preventable; a window not prevented is destroyed and hears nothing more. */
  class Win {
    readonly fns = new Map<string, Array<(e: { preventDefault(): void }) => void>>();
    destroyed = false;
    visible = true;
    on(event: string, fn: (e: { preventDefault(): void }) => void) {
      this.fns.set(event, [...(this.fns.get(event) ?? []), fn]);
    }
    hide() {
      this.visible = false;
    }
    close() {
      let prevented = false;
      for (const fn of this.fns.get('close') ?? []) fn({ preventDefault: () => void (prevented = true) });
      if (!prevented) this.destroyed = true;
    }
    /** What Windows sends every top-level window at log-off (Electron: query-session-end, session-end). */
    logOff() {
      if (this.destroyed) return;
      for (const name of ['query-session-end', 'session-end']) for (const fn of this.fns.get(name) ?? []) fn({ preventDefault: () => undefined });
    }
  }
  const setup = (platform: NodeJS.Platform, hasTray: boolean) => {
    const win = new Win();
    const onEnd = vi.fn();
    let quitting = false;
    clearOnSessionEnd(platform, { on: () => undefined }, onEnd)(win);
    hideOnCloseToTray(win, { platform, hasTray: () => hasTray, quitting: () => quitting });
    return { win, onEnd, quit: () => (quitting = true) };
  };

  it('closing hides the window, so the log-off still clears the copied secret', () => {
    const { win, onEnd } = setup('win32', true);
    win.close();
    expect(win.destroyed).toBe(false);
    expect(win.visible).toBe(false);
    win.logOff();
    expect(onEnd).toHaveBeenCalled();
  });
  it('quitting (tray Quit) and a TokenDesk without a tray really close it', () => {
    const a = setup('win32', true);
    a.quit();
    a.win.close();
    expect(a.win.destroyed).toBe(true);
    const b = setup('win32', false);
    b.win.close();
    expect(b.win.destroyed).toBe(true);
  });
  it.each(['linux', 'darwin'] as const)('%s: a close closes (Linux quits with its window; macOS has powerMonitor shutdown)', (platform) => {
    const { win } = setup(platform, true);
    win.close();
    expect(win.destroyed).toBe(true);
  });
});
