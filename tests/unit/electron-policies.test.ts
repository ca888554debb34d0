import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

// The real electron package must never load in tests (no binary here).
vi.mock('electron', () => ({}));

import { buildCsp, withoutCspHeaders } from '../../src-main/shell-common/csp.js';
import { EXTERNAL_HOST_ALLOWLIST, isAllowedExternalUrl, openExternalSafely } from '../../src-main/electron/policies/external.js';
import { isAppUrl, isTrustedSender, makeNavigationGuard, makeWindowOpenHandler } from '../../src-main/electron/policies/navigation.js';
import { denyPermissionCheck, denyPermissionRequest } from '../../src-main/electron/policies/permissions.js';
import { secureWebPreferences } from '../../src-main/electron/policies/web-preferences.js';
import { hardenSession, hardenWebContents } from '../../src-main/electron/security.js';
import { APP_URL } from '../../src-main/electron/app-protocol.js';

const APP = APP_URL;
/** Where the page used to be loaded from (file://): never trusted now. */
const FILE_APP = 'file:///opt/TokenDesk/resources/app/out/renderer/index.html';
const DEV = 'http://localhost:5173/';

describe('secureWebPreferences', () => {
  it('isolates, sandboxes and keeps Node out of the page', () => {
    const p = secureWebPreferences('/app/out/preload/index.cjs');
    expect(p).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
    expect(p.disableBlinkFeatures).toContain('Auxclick');
    expect(p).not.toHaveProperty('enableBlinkFeatures');
  });
  it('opens DevTools only when asked (dev server runs)', () => {
    expect(secureWebPreferences('/p', { devTools: true }).devTools).toBe(true);
  });
});

describe('buildCsp', () => {
  const directives = (csp: string) => new Map(csp.split(';').map((d) => { const [k, ...v] = d.trim().split(/\s+/); return [k!, v]; }));
  it('is strict in production', () => {
    const d = directives(buildCsp());
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:']);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(buildCsp()).not.toMatch(/unsafe-eval|\*|https?:/);
  });
  it('lets the dev server in only when given, with its socket', () => {
    const d = directives(buildCsp({ devOrigin: 'http://localhost:5173/some/path' }));
    expect(d.get('script-src')).toContain('http://localhost:5173');
    expect(d.get('connect-src')).toContain('ws://localhost:5173');
    expect(d.get('object-src')).toEqual(["'none'"]);
  });
  it('drops any CSP a response brings, keeping other headers', () => {
    expect(withoutCspHeaders({ 'content-security-policy': ['x'], 'Content-Type': 'text/html', 'X-A': ['1', '2'] })).toEqual({
      'Content-Type': ['text/html'],
      'X-A': ['1', '2'],
    });
    expect(withoutCspHeaders(undefined)).toEqual({});
  });
});

describe('hardenSession', () => {
  function fakeSession() {
    let onHeaders: ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined;
    const ses = {
      webRequest: { onHeadersReceived: (fn: typeof onHeaders) => (onHeaders = fn) },
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    };
    const run = (headers: Record<string, string[]>) => {
      let out: Record<string, string[]> | undefined;
      onHeaders!({ responseHeaders: headers }, (r) => (out = r.responseHeaders));
      return out!;
    };
    return { ses, run };
  }
  it('sends exactly buildCsp() (the literal the scanner reviews) and replaces a page CSP', () => {
    const { ses, run } = fakeSession();
    hardenSession(ses as never);
    const h = run({ 'Content-Security-Policy': ["default-src *"], 'content-type': ['text/html'] });
    expect(h['Content-Security-Policy']).toEqual([buildCsp()]);
    expect(h['content-type']).toEqual(['text/html']);
    expect(Object.keys(h).filter((k) => k.toLowerCase() === 'content-security-policy')).toHaveLength(1);
  });
  it('uses the dev CSP only with a dev origin', () => {
    const { ses, run } = fakeSession();
    hardenSession(ses as never, 'http://localhost:5173');
    expect(run({})['Content-Security-Policy']).toEqual([buildCsp({ devOrigin: 'http://localhost:5173' })]);
  });
  it('installs deny-all permission handlers', () => {
    const { ses } = fakeSession();
    hardenSession(ses as never);
    expect(ses.setPermissionRequestHandler).toHaveBeenCalledWith(denyPermissionRequest);
    expect(ses.setPermissionCheckHandler).toHaveBeenCalledWith(denyPermissionCheck);
    const device = ses.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean;
    expect(device()).toBe(false);
  });
});

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal'])('denies %s', (perm) => {
    const cb = vi.fn();
    denyPermissionRequest({}, perm, cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(denyPermissionCheck()).toBe(false);
  });
});

describe('isAppUrl', () => {
  it('accepts the app origin (any path, hash or query) and nothing else', () => {
    expect(isAppUrl(APP, APP)).toBe(true);
    expect(isAppUrl(`${APP}#/settings`, APP)).toBe(true);
    expect(isAppUrl('app://tokendesk/assets/index-abc.js?x=1', APP)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', APP)).toBe(false);
    expect(isAppUrl('app://evil-host/index.html', APP)).toBe(false);
    expect(isAppUrl('app://tokendesk.evil.test/index.html', APP)).toBe(false);
    expect(isAppUrl('app://user:pw@tokendesk/index.html', APP)).toBe(false);
    expect(isAppUrl('app://tokendesk:8080/index.html', APP)).toBe(false);
    expect(isAppUrl('https://tokendesk/index.html', APP)).toBe(false);
    expect(isAppUrl('https://example.com/', APP)).toBe(false);
  });
  it('never trusts a file:// page, not even the app\'s own old URL', () => {
    expect(isAppUrl(FILE_APP, FILE_APP)).toBe(false);
    expect(isAppUrl(FILE_APP, APP)).toBe(false);
    expect(isAppUrl('file:///opt/TokenDesk/resources/app/out/renderer/other.html', FILE_APP)).toBe(false);
    expect(isAppUrl('file://evil-host/opt/TokenDesk/resources/app/out/renderer/index.html', FILE_APP)).toBe(false);
  });
  it('Windows: trust does not hang on the install path or its drive-letter case', () => {
    // The old check compared file URLs: launched from c:\…, pathToFileURL gives file:///c:/…, while
    // Chromium reports the page as file:///C:/… — every IPC call was refused. The app page's URL no
    // longer contains a path, and Chromium canonicalises a standard scheme's host to lower case.
    const launched = pathToFileURL(path.win32.join('c:\\', 'Program Files', 'TokenDesk', 'index.html'), { windows: true }).href;
    expect(launched).toBe('file:///c:/Program%20Files/TokenDesk/index.html');
    expect(isAppUrl('file:///C:/Program%20Files/TokenDesk/index.html', launched)).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'app://tokendesk/index.html', parent: null } }, APP)).toBe(true);
    expect(isTrustedSender({ senderFrame: { url: 'APP://TokenDesk/index.html#/x', parent: null } }, APP)).toBe(true);
  });
  it('accepts the dev server origin only', () => {
    expect(isAppUrl('http://localhost:5173/#/x', DEV)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', DEV)).toBe(false);
    expect(isAppUrl('http://localhost.evil.test:5173/', DEV)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', DEV)).toBe(false);
  });
  it('rejects junk', () => {
    expect(isAppUrl('', APP)).toBe(false);
    expect(isAppUrl(undefined, APP)).toBe(false);
    expect(isAppUrl('not a url', APP)).toBe(false);
    expect(isAppUrl('javascript:alert(1)', APP)).toBe(false);
    expect(isAppUrl('data:text/html,hi', APP)).toBe(false);
    expect(isAppUrl('blob:app://tokendesk/uuid', APP)).toBe(false);
  });
});

describe('navigation guard', () => {
  it('prevents navigation away from the app page and reports it', () => {
    const denied: string[] = [];
    const guard = makeNavigationGuard(APP, (u) => denied.push(u));
    const away = { preventDefault: vi.fn() };
    guard(away, 'https://evil.test/phish');
    expect(away.preventDefault).toHaveBeenCalled();
    expect(denied).toEqual(['https://evil.test/phish']);
    const reload = { preventDefault: vi.fn() };
    guard(reload, APP);
    expect(reload.preventDefault).not.toHaveBeenCalled();
  });
});

describe('window open handler', () => {
  it('always denies and hands the URL to the guarded opener only', () => {
    const open = vi.fn();
    const handler = makeWindowOpenHandler(open);
    expect(handler({ url: 'https://github.com/x' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open).toHaveBeenCalledTimes(2); // the opener itself applies the allow-list
  });
});

describe('openExternalSafely', () => {
  const allow = ['github.com', 'supabase.com'];
  it.each([
    ['https://github.com/tokendesk', true],
    ['https://GITHUB.com/x?y=1#z', true],
    ['https://github.com:443/x', true],
    ['http://github.com/', false],
    ['https://github.com.evil.test/', false],
    ['https://evil.test/?https://github.com/', false],
    ['https://user:pass@github.com/', false],
    ['https://github.com:8443/', false],
    ['https://gist.github.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://github.com/share', false],
    ['github.com', false],
    ['', false],
  ])('%s → %s', async (url, ok) => {
    expect(isAllowedExternalUrl(url, allow)).toBe(ok);
    const open = vi.fn();
    expect(await openExternalSafely(url, allow, open)).toBe(ok);
    expect(open).toHaveBeenCalledTimes(ok ? 1 : 0);
  });
  it('rejects non-strings and overlong URLs', () => {
    expect(isAllowedExternalUrl(42, allow)).toBe(false);
    expect(isAllowedExternalUrl(`https://github.com/${'a'.repeat(3000)}`, allow)).toBe(false);
  });
  it('opens the re-serialised URL and survives a failing opener', async () => {
    const open = vi.fn().mockRejectedValue(new Error('no browser'));
    expect(await openExternalSafely('https://github.com/a b', allow, open)).toBe(false);
    expect(open).toHaveBeenCalledWith('https://github.com/a%20b');
  });
  it('has a default allow-list of https hosts only', () => {
    for (const h of EXTERNAL_HOST_ALLOWLIST) expect(isAllowedExternalUrl(`https://${h}/`)).toBe(true);
  });
});

describe('isTrustedSender', () => {
  it('trusts the app page in its top frame only', () => {
    expect(isTrustedSender({ senderFrame: { url: APP, parent: null } }, APP)).toBe(true);
    expect(isTrustedSender({ senderFrame: { url: `${APP}#/x`, parent: null } }, APP)).toBe(true);
    expect(isTrustedSender({ senderFrame: { url: APP, parent: {} } }, APP)).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'https://evil.test/', parent: null } }, APP)).toBe(false);
    expect(isTrustedSender({ senderFrame: null }, APP)).toBe(false);
    expect(isTrustedSender({}, APP)).toBe(false);
  });
});

describe('hardenWebContents', () => {
  it('guards navigation, redirects, frames, webviews and window.open', () => {
    const handlers = new Map<string, (...a: unknown[]) => void>();
    let openHandler: ((d: { url: string }) => unknown) | undefined;
    const contents = {
      on: (name: string, fn: (...a: unknown[]) => void) => handlers.set(name, fn),
      setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
    };
    const open = vi.fn();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    hardenWebContents(contents as never, APP, open);
    expect([...handlers.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    const e = { preventDefault: vi.fn(), url: 'https://evil.test/x?token=secret' };
    handlers.get('will-navigate')!(e, e.url);
    handlers.get('will-redirect')!(e, e.url);
    handlers.get('will-frame-navigate')!(e);
    handlers.get('will-attach-webview')!(e);
    expect(e.preventDefault).toHaveBeenCalledTimes(4);
    // The log names the origin only: a blocked URL may carry a token in its query.
    expect(warn.mock.calls.flat().join(' ')).not.toContain('secret');
    expect(openHandler!({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
    expect(open).toHaveBeenCalledWith('https://github.com/');
    warn.mockRestore();
  });
});

describe('appPaths (the UI is loaded from the app files)', () => {
  it('loads out/renderer/index.html next to out/main, and the CJS preload', async () => {
    const { appPaths } = await import('../../src-main/electron/paths.js');
    const p = appPaths({ packaged: false, appPath: '/app', env: {}, mainUrl: 'file:///app/out/main/index.js' });
    expect(p.appUrl).toBe('file:///app/out/renderer/index.html');
    expect(p.preload).toBe('/app/out/preload/index.cjs');
    expect(p.devUrl).toBeUndefined();
    expect(p.trayIcon).toBe('/app/resources/tray.png');
  });
  it('honours ELECTRON_RENDERER_URL in development only', async () => {
    const { appPaths } = await import('../../src-main/electron/paths.js');
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    expect(appPaths({ packaged: false, appPath: '/app', env, mainUrl: 'file:///app/out/main/index.js' }).appUrl).toBe('http://localhost:5173/');
    expect(appPaths({ packaged: true, appPath: '/app', env, mainUrl: 'file:///app/out/main/index.js' }).appUrl).toBe('file:///app/out/renderer/index.html');
  });
});
