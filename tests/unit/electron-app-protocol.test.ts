// The renderer's app:// scheme: what Electron is told before ready, and what protocol.handle serves.
// Electron cannot run here; the handler is the real function, fed WHATWG Requests the way
// protocol.handle hands them over (https://www.electronjs.org/docs/latest/api/protocol#protocolhandlescheme-handler).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  APP_SCHEME_PRIVILEGES,
  APP_URL,
  createAppProtocolHandler,
  isAppOrigin,
  rendererDir,
  resolveAppFile,
} from '../../src-main/electron/app-protocol.js';
import { buildCsp } from '../../src-main/shell-common/csp.js';

describe('the app scheme', () => {
  it('is app://tokendesk, registered standard + secure + fetch, without CSP bypass or CORS', () => {
    expect(APP_ORIGIN).toBe('app://tokendesk');
    expect(APP_URL).toBe('app://tokendesk/index.html');
    // Exactly these: bypassCSP would switch the page's CSP off, corsEnabled would open it to others.
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });
  it('recognises its origin, host case-insensitively (Chromium lower-cases a standard host)', () => {
    expect(isAppOrigin(new URL('app://tokendesk/index.html'))).toBe(true);
    expect(isAppOrigin(new URL('APP://TokenDesk/assets/x.js'))).toBe(true);
    expect(isAppOrigin(new URL('app://evil/index.html'))).toBe(false);
    expect(isAppOrigin(new URL('app://tokendesk:1/index.html'))).toBe(false);
    expect(isAppOrigin(new URL('app://u:p@tokendesk/index.html'))).toBe(false);
    expect(isAppOrigin(new URL('https://tokendesk/index.html'))).toBe(false);
  });
  it('serves <appPath>/out/renderer: the asar when packaged, on any platform', () => {
    expect(rendererDir('/opt/TokenDesk/resources/app.asar')).toBe(join('/opt/TokenDesk/resources/app.asar', 'out', 'renderer'));
  });
});

describe('resolveAppFile', () => {
  const winRoot = 'C:\\Program Files\\TokenDesk\\resources\\app.asar\\out\\renderer';
  it.each([
    ['/', `${winRoot}\\index.html`],
    ['/index.html', `${winRoot}\\index.html`],
    ['/assets/index-Kr8KNFJN.js', `${winRoot}\\assets\\index-Kr8KNFJN.js`],
    ['/assets/a%20b.css', `${winRoot}\\assets\\a b.css`],
  ])('Windows (path.win32): %s → %s', (p, file) => {
    expect(resolveAppFile(winRoot, p, path.win32)).toBe(file);
  });
  it.each([
    '/C:/Windows/win.ini', // a drive letter
    '/c:%5cWindows%5cwin.ini',
    '/%5c..%5c..%5csecret.txt', // encoded backslashes
    '/..%2f..%2fsecret.txt', // encoded slashes around ..
    '/assets/..%2f..%2f..%2fsecret.txt',
    '/index.html::$DATA', // an NTFS alternate data stream
    '//server/share/x', // a UNC-looking path
    '/%00index.html',
    '/%E0%A4%A', // undecodable
    'index.html', // not absolute
  ])('Windows (path.win32): refuses %s', (p) => {
    expect(resolveAppFile(winRoot, p, path.win32)).toBeNull();
  });
  it('POSIX: stays inside the root', () => {
    const root = '/opt/TokenDesk/resources/app.asar/out/renderer';
    expect(resolveAppFile(root, '/assets/x.js', path.posix)).toBe(`${root}/assets/x.js`);
    expect(resolveAppFile(root, '/..%2F..%2Fetc/passwd', path.posix)).toBeNull();
    expect(resolveAppFile(root, '/%2e%2e/etc/passwd', path.posix)).toBeNull();
    expect(resolveAppFile(root, '/./index.html', path.posix)).toBeNull();
  });
});

describe('createAppProtocolHandler (real files)', () => {
  let dir: string;
  let root: string;
  let handler: ReturnType<typeof createAppProtocolHandler>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tokendesk-proto-'));
    root = join(dir, 'out', 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>TokenDesk</title>');
    writeFileSync(join(root, 'assets', 'index.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'index.css'), 'body{}');
    writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
    writeFileSync(join(root, 'assets', 'font.woff2'), 'wOF2');
    writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET');
    symlinkSync(join(dir, 'secret.txt'), join(root, 'assets', 'link.txt'));
    handler = createAppProtocolHandler(root);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  it('serves the page with its MIME type and the one CSP header', async () => {
    const r = await get(APP_URL);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toBe(buildCsp());
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await r.text()).toContain('<title>TokenDesk</title>');
    // The CSP the page runs under has what the old <meta> lacked.
    for (const d of ["object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-src 'none'", "frame-ancestors 'none'"]) {
      expect(r.headers.get('content-security-policy')).toContain(d);
    }
  });

  it.each([
    ['app://tokendesk/', 'text/html; charset=utf-8'],
    ['app://tokendesk/assets/index.js', 'text/javascript; charset=utf-8'],
    ['app://tokendesk/assets/index.css', 'text/css; charset=utf-8'],
    ['app://tokendesk/assets/logo.svg', 'image/svg+xml'],
    ['app://tokendesk/assets/font.woff2', 'font/woff2'],
  ])('%s is %s (module scripts need a JavaScript MIME type)', async (url, type) => {
    const r = await get(url);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(type);
    expect(r.headers.get('content-security-policy')).toBe(buildCsp());
  });

  it('answers HEAD without a body', async () => {
    const r = await get(APP_URL, 'HEAD');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('');
  });

  it.each([
    'app://tokendesk/%2e%2e/%2e%2e/secret.txt',
    'app://tokendesk/..%2f..%2fsecret.txt',
    'app://tokendesk/assets/link.txt', // a symlink out of the root
    'app://tokendesk/assets', // a folder
    'app://tokendesk/missing.js',
    'app://other-host/index.html',
    'app://tokendesk:99/index.html',
  ])('refuses %s with a 404 that still carries the CSP, never the file', async (url) => {
    const r = await get(url);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-security-policy')).toBe(buildCsp());
    expect(await r.text()).not.toContain('TOP SECRET');
  });

  it('refuses other methods', async () => {
    const r = await get(APP_URL, 'POST');
    expect(r.status).toBe(405);
    expect(r.headers.get('content-security-policy')).toBe(buildCsp());
  });
});

describe('one CSP', () => {
  it('index.html has no <meta> CSP: the header built by buildCsp() is the only policy', async () => {
    const { readFileSync } = await import('node:fs');
    const html = readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8');
    expect(html).not.toMatch(/http-equiv\s*=\s*["']?content-security-policy/i);
  });
});
