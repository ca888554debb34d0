// Runs the real Electron main process (src-main/electron/main.ts) against a hand-written fake of the
// 'electron' module: the real core, the real demo server over HTTP and the real keychain underneath.
// It checks the wiring a user relies on: a locked-down window, one IPC channel answering only the
// app's own page, copies written by main to the clipboard, the tray, sleep/resume, and a clean quit.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type ApiResult } from '../../src-main/contract/api.js';
import type { AppState, CopyResult, IdentityView } from '../../src-main/contract/types.js';
import { DEMO_CREDENTIALS } from '../../src-main/core/demo-server/index.js';
import { APP_URL } from '../../src-main/electron/app-protocol.js';
import { foldersOverlap } from '../../src-main/electron/app-identity.js';
import { appPaths } from '../../src-main/electron/paths.js';
import { buildCsp } from '../../src-main/shell-common/csp.js';
import { makeHome } from '../helpers/home.js';

type Listener = (...args: unknown[]) => unknown;
type IpcHandler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
interface MenuItemLike {
  label?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItemLike[];
}

/** The fake 'electron' module; everything it is asked is recorded for the assertions below. */
const fake = vi.hoisted(() => {
  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
    on(name: string, fn: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
      return this;
    }
    once(name: string, fn: Listener) {
      const wrapped: Listener = (...a) => {
        this.off(name, wrapped);
        return fn(...a);
      };
      return this.on(name, wrapped);
    }
    off(name: string, fn: Listener) {
      this.listeners.set(name, (this.listeners.get(name) ?? []).filter((f) => f !== fn));
      return this;
    }
    emit(name: string, ...args: unknown[]) {
      for (const fn of [...(this.listeners.get(name) ?? [])]) fn(...args);
    }
    count(name: string) {
      return this.listeners.get(name)?.length ?? 0;
    }
  }
  const preventable = () => {
    const e = { defaultPrevented: false, preventDefault: () => void (e.defaultPrevented = true) };
    return e;
  };

  const tmp = process.env.TMPDIR ?? '/tmp';
  const dirs = { appPath: `${tmp}/tokendesk-fake-app-${process.pid}`, appData: `${tmp}/tokendesk-fake-appData-${process.pid}` };
  const log = {
    /** The order of the calls that must come before ready. */
    order: [] as string[],
    name: '',
    paths: new Map<string, string>(),
    aumid: undefined as string | undefined,
    quitCalls: 0,
    exitCodes: [] as number[],
    quitted: false,
    onQuitted: undefined as (() => void) | undefined,
    sandboxEnabled: false,
  };

  class FakeApp extends Emitter {
    readonly isPackaged = false;
    requestSingleInstanceLock = () => {
      log.order.push('requestSingleInstanceLock');
      return true;
    };
    enableSandbox = () => void (log.sandboxEnabled = true);
    whenReady = () => {
      log.order.push('whenReady');
      return Promise.resolve();
    };
    setName = (n: string) => void (log.name = n);
    setAppUserModelId = (id: string) => void (log.aumid = id);
    readonly commandLine = { getSwitchValue: () => '' };
    getAppPath = () => dirs.appPath;
    getPath = (name: string) => log.paths.get(name) ?? (name === 'appData' ? dirs.appData : `/tmp/tokendesk-fake-${name}`);
    /** Like Electron: a folder that does not exist is an error. */
    setPath = (name: string, p: string) => {
      if (!statSync(p).isDirectory()) throw new Error(`not a folder: ${p}`);
      log.order.push(`setPath ${name}`);
      log.paths.set(name, p);
    };
    exit = (code = 0) => void log.exitCodes.push(code);
    /** Electron's order: before-quit, then will-quit (either may be prevented), then quit. */
    quit = () => {
      log.quitCalls++;
      const before = preventable();
      this.emit('before-quit', before);
      if (before.defaultPrevented) return;
      const will = preventable();
      this.emit('will-quit', will);
      if (will.defaultPrevented) return;
      if (log.quitted) return;
      log.quitted = true;
      this.emit('quit');
      log.onQuitted?.();
    };
  }
  const app = new FakeApp();

  class FakeWebContents extends Emitter {
    readonly sent: Array<{ channel: string; payload: unknown }> = [];
    windowOpenHandler: ((d: { url: string }) => unknown) | undefined;
    readonly session = {};
    send = (channel: string, payload: unknown) => void this.sent.push({ channel, payload });
    setWindowOpenHandler = (fn: (d: { url: string }) => unknown) => void (this.windowOpenHandler = fn);
    isDestroyed = () => false;
  }

  class BrowserWindow extends Emitter {
    static readonly instances: BrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    loadedUrl: string | undefined;
    destroyed = false;
    visible = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      BrowserWindow.instances.push(this);
      // As in Electron: every new WebContents is announced on app.
      app.emit('web-contents-created', preventable(), this.webContents);
    }
    loadURL = (url: string) => {
      this.loadedUrl = url;
      return Promise.resolve();
    };
    loadFile = (file: string) => {
      this.loadedUrl = `file://${file}`;
      return Promise.resolve();
    };
    show = () => void (this.visible = true);
    focus = () => undefined;
    restore = () => undefined;
    maximize = () => undefined;
    isDestroyed = () => this.destroyed;
    isMinimized = () => false;
    isMaximized = () => false;
    getNormalBounds = () => ({ x: 10, y: 10, width: 1100, height: 720 });
    close = () => {
      this.emit('close', preventable());
      this.destroyed = true;
      this.emit('closed');
    };
  }

  const ipcHandlers = new Map<string, IpcHandler>();
  const ipcMain = {
    handle: (channel: string, fn: IpcHandler) => {
      if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      ipcHandlers.set(channel, fn);
    },
    removeHandler: (channel: string) => void ipcHandlers.delete(channel),
  };

  const clipboardLog = { text: '', writes: [] as string[], clears: 0 };
  const clipboard = {
    readText: () => clipboardLog.text,
    writeText: (t: string) => {
      clipboardLog.text = t;
      clipboardLog.writes.push(t);
    },
    clear: () => {
      clipboardLog.text = '';
      clipboardLog.clears++;
    },
  };

  const dialog = { showSaveDialog: async () => ({ canceled: true, filePath: undefined }) };

  class Notification extends Emitter {
    static readonly shown: Array<{ title: string; body: string }> = [];
    static isSupported = () => true;
    constructor(readonly options: { title: string; body: string }) {
      super();
    }
    show = () => void Notification.shown.push(this.options);
  }

  const powerMonitor = new Emitter();

  const sessionLog = { headersHandler: undefined as Listener | undefined, permissionRequest: undefined as Listener | undefined, permissionCheck: undefined as Listener | undefined, deviceHandler: undefined as Listener | undefined };
  const session = {
    defaultSession: {
      webRequest: { onHeadersReceived: (fn: Listener) => void (sessionLog.headersHandler = fn) },
      setPermissionRequestHandler: (fn: Listener) => void (sessionLog.permissionRequest = fn),
      setPermissionCheckHandler: (fn: Listener) => void (sessionLog.permissionCheck = fn),
      setDevicePermissionHandler: (fn: Listener) => void (sessionLog.deviceHandler = fn),
    },
  };

  const openedExternal: string[] = [];
  const shell = { openExternal: async (url: string) => void openedExternal.push(url) };

  const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };

  const image = (path: string) => ({ path, isEmpty: () => true });
  const nativeImage = { createFromPath: (p: string) => image(p), createEmpty: () => image('') };

  class Tray extends Emitter {
    static readonly instances: Tray[] = [];
    tooltip = '';
    menu: { template: MenuItemLike[] } | undefined;
    destroyed = false;
    constructor(readonly image: unknown) {
      super();
      Tray.instances.push(this);
    }
    setToolTip = (t: string) => void (this.tooltip = t);
    setContextMenu = (m: { template: MenuItemLike[] }) => void (this.menu = m);
    destroy = () => void (this.destroyed = true);
  }
  const menuTemplates: MenuItemLike[][] = [];
  const Menu = {
    buildFromTemplate: (template: MenuItemLike[]) => {
      menuTemplates.push(template);
      return { template };
    },
  };

  type ProtocolHandler = (req: Request) => Promise<Response>;
  const protocolLog = { privileged: [] as unknown[], handlers: new Map<string, ProtocolHandler>() };
  const protocol = {
    registerSchemesAsPrivileged: (schemes: unknown[]) => {
      log.order.push('registerSchemesAsPrivileged');
      protocolLog.privileged.push(...schemes);
    },
    handle: (scheme: string, fn: ProtocolHandler) => void protocolLog.handlers.set(scheme, fn),
  };

  const electron = { app, BrowserWindow, ipcMain, clipboard, dialog, Notification, powerMonitor, protocol, session, shell, screen, nativeImage, Tray, Menu };
  return { electron, log, dirs, ipcHandlers, clipboardLog, sessionLog, protocolLog, openedExternal, menuTemplates, app, BrowserWindow, Tray, Notification, powerMonitor };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email === 'owner@connectgain.test')!;

/** Every file under the config folder with its content: "nothing changed" means this is equal. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const p = join(dir, name);
    if (statSync(p).isFile() && !name.endsWith('.lock')) out[name] = readFileSync(p, 'utf8');
  }
  return out;
}

/** Flattens a menu template (submenus included). */
function menuItems(template: MenuItemLike[]): MenuItemLike[] {
  return template.flatMap((i) => [i, ...(i.submenu ? menuItems(i.submenu) : [])]);
}

describe('Electron main process (real main.ts, fake electron module)', () => {
  let home: ReturnType<typeof makeHome>;
  let appUrl: string;
  const saved = { home: process.env.TOKENDESK_HOME, renderer: process.env.ELECTRON_RENDERER_URL };
  const trusted = () => ({ senderFrame: { url: appUrl, parent: null }, sender: {} });

  async function call<T>(method: unknown, input: unknown, event: unknown = trusted()): Promise<ApiResult<T>> {
    const handler = fake.ipcHandlers.get(IPC_CALL_CHANNEL);
    if (!handler) throw new Error('no IPC handler registered');
    return (await handler(event, method, input)) as ApiResult<T>;
  }
  async function ok<T>(method: string, input: unknown): Promise<T> {
    const r = await call<T>(method, input);
    if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
    return r.value;
  }

  beforeAll(async () => {
    home = makeHome();
    process.env.TOKENDESK_HOME = home.dir;
    delete process.env.ELECTRON_RENDERER_URL;
    // The page is served over app:// (the fake app is never packaged, and no dev server runs).
    appUrl = APP_URL;
    // The built renderer the protocol handler serves: <appPath>/out/renderer.
    mkdirSync(join(fake.dirs.appPath, 'out', 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(fake.dirs.appPath, 'out', 'renderer', 'index.html'), '<!doctype html><title>TokenDesk</title><script type="module" src="./assets/index.js"></script>');
    writeFileSync(join(fake.dirs.appPath, 'out', 'renderer', 'assets', 'index.js'), 'export {}');
    writeFileSync(join(fake.dirs.appPath, 'secret.txt'), 'NOT FOR THE PAGE');
    await import('../../src-main/electron/main.js');
    // main.ts starts asynchronously; the resume listener is registered after the first state load.
    await vi.waitFor(() => expect(fake.powerMonitor.count('resume')).toBe(1), { timeout: 15_000 });
  });

  afterAll(async () => {
    try {
      if (!fake.log.quitted) {
        const quitted = new Promise<void>((resolve) => (fake.log.onQuitted = resolve));
        fake.app.quit();
        await quitted;
      }
    } finally {
      if (saved.home === undefined) delete process.env.TOKENDESK_HOME;
      else process.env.TOKENDESK_HOME = saved.home;
      if (saved.renderer !== undefined) process.env.ELECTRON_RENDERER_URL = saved.renderer;
      home.cleanup();
      // With TOKENDESK_HOME set, Chromium's folder is beside the home (chromiumUserDataDir).
      const userData = fake.log.paths.get('userData');
      if (userData) rmSync(userData, { recursive: true, force: true });
      rmSync(fake.dirs.appPath, { recursive: true, force: true });
      rmSync(fake.dirs.appData, { recursive: true, force: true });
    }
  });

  it('started without error: sandbox on, session hardened', () => {
    expect(fake.log.exitCodes).toEqual([]);
    expect(fake.log.sandboxEnabled).toBe(true);
    expect(fake.sessionLog.headersHandler).toBeTypeOf('function');
    expect(fake.sessionLog.permissionRequest).toBeTypeOf('function');
    expect(fake.sessionLog.permissionCheck).toBeTypeOf('function');
    // The CSP is added to every response of the page.
    let answer: { responseHeaders?: Record<string, string[]> } | undefined;
    fake.sessionLog.headersHandler!({ responseHeaders: { 'content-security-policy': ['default-src *'] } }, (a: typeof answer) => (answer = a));
    expect(answer?.responseHeaders?.['Content-Security-Policy']?.[0]).toContain("default-src 'self'");
    expect(answer?.responseHeaders?.['content-security-policy']).toBeUndefined();
    // No permission is ever granted.
    let granted: boolean | undefined;
    fake.sessionLog.permissionRequest!({}, 'media', (g: boolean) => (granted = g));
    expect(granted).toBe(false);
  });

  it('before ready: the product name, Chromium data outside the config folder, the app:// scheme', () => {
    const o = fake.log.order;
    expect(o.indexOf('setPath userData')).toBeGreaterThanOrEqual(0);
    // The single-instance lock lives in userData: its place is set first. Schemes only before ready.
    expect(o.indexOf('setPath userData')).toBeLessThan(o.indexOf('requestSingleInstanceLock'));
    expect(o.indexOf('registerSchemesAsPrivileged')).toBeLessThan(o.indexOf('whenReady'));
    expect(fake.log.name).toBe('TokenDesk');
    const userData = fake.log.paths.get('userData')!;
    expect(existsSync(userData)).toBe(true);
    expect(foldersOverlap(userData, home.dir, process.platform)).toBe(false);
    // A run with its own TOKENDESK_HOME has its own lock: an installed TokenDesk does not take it over.
    expect(userData).toBe(`${home.dir}-electron`);
    expect(fake.protocolLog.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    // The AppUserModelID is a Windows-only call (unit-tested with win32 in electron-platform).
    expect(fake.log.aumid).toBe(process.platform === 'win32' ? 'dev.tokendesk.app' : undefined);
  });

  it('serves the renderer over app://tokendesk, every answer with the CSP header, nothing outside it', async () => {
    const handler = fake.protocolLog.handlers.get('app');
    expect(handler).toBeTypeOf('function');
    const page = await handler!(new Request(APP_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(buildCsp());
    expect(await page.text()).toContain('<title>TokenDesk</title>');
    const script = await handler!(new Request('app://tokendesk/assets/index.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const escape = await handler!(new Request('app://tokendesk/..%2fsecret.txt'));
    expect(escape.status).toBe(404);
    expect(escape.headers.get('content-security-policy')).toBe(buildCsp());
    expect(await escape.text()).not.toContain('NOT FOR THE PAGE');
  });

  it('creates one window: isolated, sandboxed, no Node, with the preload, loading the app page', () => {
    expect(fake.BrowserWindow.instances).toHaveLength(1);
    const win = fake.BrowserWindow.instances[0]!;
    const paths = appPaths({ packaged: false, appPath: fake.app.getAppPath() });
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      preload: paths.preload,
    });
    expect(paths.preload).toMatch(/preload[\\/]index\.cjs$/);
    expect(win.loadedUrl).toBe(appUrl);
    expect(appUrl).toBe('app://tokendesk/index.html');
    // The window's contents are hardened: navigation away is denied, new windows never open.
    expect(win.webContents.count('will-navigate')).toBeGreaterThan(0);
    const nav = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    win.webContents.emit('will-navigate', nav, 'https://evil.example/phish');
    warn.mockRestore();
    expect(nav.defaultPrevented).toBe(true);
    expect(win.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    // Shown once painted.
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('answers the app page on the IPC channel, and nobody else', async () => {
    expect([...fake.ipcHandlers.keys()]).toEqual([IPC_CALL_CHANNEL]);
    const r = await call<AppState>('getState', {});
    expect(r).toMatchObject({ ok: true, value: { environments: [], shell: 'electron', keychain: { ok: true }, demo: { running: false } } });

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const evil = await call('getState', {}, { senderFrame: { url: 'https://evil.example/', parent: null } });
      expect(evil).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const iframe = await call('getState', {}, { senderFrame: { url: appUrl, parent: { url: appUrl } } });
      expect(iframe).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const noFrame = await call('getState', {}, {});
      expect(noFrame).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('untrusted sender'));
    } finally {
      warn.mockRestore();
    }
  });

  it('a malformed addEnvironment says what is wrong and changes nothing', async () => {
    const before = snapshot(home.dir);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const r = await call('addEnvironment', { name: 'Staging', provider: 'supabase', baseUrl: 'not a url' });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('invalid_input');
      expect(r.error.message).toMatch(/addEnvironment: baseUrl: Enter an http\(s\) URL/);
      const extra = await call('addEnvironment', { name: 'X', provider: 'supabase', baseUrl: 'https://x.test', evil: true });
      expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      const unknown = await call('dropDatabase', {});
      expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'Unknown request "dropDatabase".' } });
    } finally {
      warn.mockRestore();
    }
    expect(snapshot(home.dir)).toEqual(before);
    expect((await ok<AppState>('getState', {})).environments).toEqual([]);
  });

  it('demo → sign in → copy: main writes the header to the clipboard and the API accepts it', async () => {
    const demoState = await ok<AppState>('startDemo', {});
    expect(demoState.demo.running).toBe(true);
    const supa = demoState.environments.find((e) => e.provider === 'supabase');
    expect(supa).toBeDefined();

    const identity = await ok<IdentityView>('signIn', { envId: supa!.id, email: owner.email, password: owner.password, remember: false });
    expect(identity).toMatchObject({ email: owner.email, status: 'valid' });

    const auth = await ok<CopyResult>('copy', { envId: supa!.id, item: { kind: 'authorization-header' } });
    expect(auth).not.toHaveProperty('text');
    expect(auth.label).toContain(owner.email);
    expect(auth.clearsInSeconds).toBe(60);
    const header = fake.clipboardLog.text;
    expect(header).toMatch(/^Authorization: Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(fake.clipboardLog.writes.at(-1)).toBe(header);

    const apikey = await ok<CopyResult>('copy', { envId: supa!.id, item: { kind: 'apikey-header' } });
    expect(apikey).not.toHaveProperty('text');
    const apikeyHeader = fake.clipboardLog.text;
    expect(apikeyHeader).toMatch(/^apikey: /);

    const { demo } = await ok<AppState>('getState', {});
    const split = (h: string) => [h.slice(0, h.indexOf(': ')), h.slice(h.indexOf(': ') + 2)] as const;
    const [an, av] = split(header);
    const [kn, kv] = split(apikeyHeader);
    const res = await fetch(`${demo.url}/rest/v1/profiles`, { headers: { [an]: av, [kn]: kv } });
    expect(res.status).toBe(200);
    // And without the token it is refused, so the 200 is the copied header's doing.
    const anon = await fetch(`${demo.url}/rest/v1/profiles`, { headers: { [kn]: kv } });
    expect(anon.status).not.toBe(200);

    // No secret ever went to the page: events carry none, and copies returned no text.
    const win = fake.BrowserWindow.instances[0]!;
    const events = JSON.stringify(win.webContents.sent.filter((s) => s.channel === IPC_EVENT_CHANNEL));
    expect(events).not.toContain(av.replace(/^Bearer /, ''));
  });

  it('opens a sign-in page of a configured environment\'s own server (http on 127.0.0.1 included), and no other origin', async () => {
    const { environments } = await ok<AppState>('getState', {});
    const base = new URL(environments.find((e) => e.provider === 'supabase')!.baseUrl);
    const signIn = `${base.origin}/auth/v1/authorize?provider=github&redirect_to=http%3A%2F%2F127.0.0.1%3A5000%2Fcb`;
    const otherPort = `${base.protocol}//${base.hostname}:${base.port === '65535' ? 1 : Number(base.port) + 1}/auth/v1/authorize`;
    fake.openedExternal.length = 0;
    expect(await ok('openExternal', { url: signIn })).toEqual({ opened: true });
    expect(await ok('openExternal', { url: otherPort })).toEqual({ opened: false });
    expect(await ok('openExternal', { url: `${base.protocol}//x@${base.host}/` })).toEqual({ opened: false });
    expect(await ok('openExternal', { url: 'file:///etc/passwd' })).toEqual({ opened: false });
    // A target=_blank link takes the same guarded way (the window never opens it itself).
    const win = fake.BrowserWindow.instances[0]!;
    expect(win.webContents.windowOpenHandler?.({ url: `${base.origin}/login` })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(fake.openedExternal).toEqual([signIn, `${base.origin}/login`]));
  });

  it('the tray had a menu from the start ("Loading…") and a left click opens the window', () => {
    const first = menuItems(fake.menuTemplates[0] ?? []);
    expect(first.map((i) => i.label)).toEqual(expect.arrayContaining(['Loading…', 'Open TokenDesk', 'Quit TokenDesk']));
    const tray = fake.Tray.instances[0]!;
    // macOS opens the menu on click; Windows and Linux users expect the window.
    expect(tray.count('click')).toBe(process.platform === 'darwin' ? 0 : 1);
    if (process.platform === 'darwin') return;
    const win = fake.BrowserWindow.instances[0]!;
    win.visible = false;
    tray.emit('click');
    expect(win.visible).toBe(true);
  });

  it('the tray offers "Copy Authorization header" for the signed-in environment, and it works', async () => {
    expect(fake.Tray.instances).toHaveLength(1);
    await vi.waitFor(() => {
      const items = menuItems(fake.menuTemplates.at(-1) ?? []);
      expect(items.some((i) => i.label?.includes(owner.email))).toBe(true);
      expect(items.find((i) => i.label === 'Copy Authorization header')?.enabled).toBe(true);
    });
    const tray = fake.Tray.instances[0]!;
    expect(tray.tooltip).toContain(owner.email);
    const items = menuItems(tray.menu!.template);
    const copyItem = items.find((i) => i.label === 'Copy Authorization header' && i.enabled)!;

    fake.clipboardLog.text = 'something else';
    const shown = fake.Notification.shown.length;
    copyItem.click!();
    await vi.waitFor(() => expect(fake.clipboardLog.text).toMatch(/^Authorization: Bearer eyJ/));
    await vi.waitFor(() => expect(fake.Notification.shown.slice(shown)).toContainEqual(expect.objectContaining({ title: 'Copied' })));
  });

  it('re-checks sessions on resume without failing', async () => {
    expect(fake.powerMonitor.count('resume')).toBe(1);
    fake.powerMonitor.emit('resume');
    expect((await ok<AppState>('getState', {})).environments.length).toBeGreaterThan(0);
  });

  it('a system shutdown clears the copied secret (no before-quit comes then on Windows)', async () => {
    if (process.platform === 'win32') return; // there: BrowserWindow session-end, unit-tested
    expect(fake.powerMonitor.count('shutdown')).toBe(1);
    const { environments } = await ok<AppState>('getState', {});
    const supa = environments.find((e) => e.provider === 'supabase')!;
    await ok<CopyResult>('copy', { envId: supa.id, item: { kind: 'authorization-header' } });
    expect(fake.clipboardLog.text).toMatch(/^Authorization: Bearer /);
    fake.powerMonitor.emit('shutdown');
    expect(fake.clipboardLog.text).toBe('');
    // Copied again for the quit test below.
    await ok<CopyResult>('copy', { envId: supa.id, item: { kind: 'authorization-header' } });
  });

  it('quits cleanly: clears the copied secret, removes the tray, stops the core', async () => {
    expect(fake.app.count('before-quit')).toBe(1);
    expect(fake.app.count('will-quit')).toBe(1);
    const { demo } = await ok<AppState>('getState', {});
    expect(fake.clipboardLog.text).toMatch(/^Authorization: Bearer /);

    const quitted = new Promise<void>((resolve) => (fake.log.onQuitted = resolve));
    fake.app.quit();
    await quitted;
    expect(fake.log.quitted).toBe(true);
    expect(fake.log.exitCodes).toEqual([]);
    // before-quit flushed the pending clear: the secret does not outlive the app.
    expect(fake.clipboardLog.text).toBe('');
    expect(fake.Tray.instances[0]!.destroyed).toBe(true);
    // The demo server is gone.
    await expect(fetch(`${demo.url}/rest/v1/profiles`)).rejects.toThrow();
  });
});
