import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWebSettings, DEFAULT_WEB_PORT } from '../../src-main/web-bridge/config.js';
import {
  checkBodySize,
  checkCallRequest,
  checkFetchSite,
  checkHost,
  checkOrigin,
  checkSecret,
  firstFailure,
  MAX_CALL_BODY_BYTES,
} from '../../src-main/web-bridge/guards.js';
import { contentTypeFor, resolveStaticPath } from '../../src-main/web-bridge/static.js';

const SECRET = 'k1Yk3wV0kq5yqKp8s3cR3t-0123456789abcdef';

describe('checkSecret', () => {
  it('accepts the exact secret only', () => {
    expect(checkSecret(SECRET, SECRET)).toEqual({ ok: true });
    expect(checkSecret(`${SECRET}x`, SECRET)).toMatchObject({ ok: false, status: 401 });
    expect(checkSecret(SECRET.slice(0, -1), SECRET)).toMatchObject({ ok: false, status: 401 });
    expect(checkSecret(SECRET.toUpperCase(), SECRET)).toMatchObject({ ok: false, status: 401 });
    expect(checkSecret('', SECRET)).toMatchObject({ ok: false, status: 401, message: 'Missing token' });
    expect(checkSecret(undefined, SECRET)).toMatchObject({ ok: false, status: 401 });
    expect(checkSecret(null, SECRET)).toMatchObject({ ok: false, status: 401 });
  });
});

describe('checkHost (DNS rebinding)', () => {
  it.each([
    ['127.0.0.1:5179', true],
    ['localhost:5179', true],
    ['LOCALHOST:5179', true],
    ['127.0.0.1', false],
    ['127.0.0.1:80', false],
    ['evil.test:5179', false],
    ['localhost.evil.test:5179', false],
    ['[::1]:5179', false],
    ['0.0.0.0:5179', false],
    [undefined, false],
  ])('%s → %s', (host, ok) => {
    const r = checkHost(host, 5179);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.status).toBe(403);
  });
});

describe('checkOrigin', () => {
  it('allows no Origin or our own origin only', () => {
    expect(checkOrigin(undefined, '127.0.0.1:5179')).toEqual({ ok: true });
    expect(checkOrigin('http://127.0.0.1:5179', '127.0.0.1:5179')).toEqual({ ok: true });
    expect(checkOrigin('http://localhost:5179', 'localhost:5179')).toEqual({ ok: true });
    for (const o of ['https://evil.test', 'null', 'http://127.0.0.1:5180', 'http://localhost:5179', 'https://127.0.0.1:5179', '']) {
      expect(checkOrigin(o, '127.0.0.1:5179')).toMatchObject({ ok: false, status: 403 });
    }
  });
});

describe('checkFetchSite', () => {
  it('refuses cross-site and same-site requests', () => {
    expect(checkFetchSite(undefined).ok).toBe(true);
    expect(checkFetchSite('same-origin').ok).toBe(true);
    expect(checkFetchSite('none').ok).toBe(true);
    expect(checkFetchSite('cross-site')).toMatchObject({ ok: false, status: 403 });
    expect(checkFetchSite('same-site')).toMatchObject({ ok: false, status: 403 });
  });
});

describe('checkCallRequest', () => {
  it('accepts POST application/json only (a form post from another site cannot send it)', () => {
    expect(checkCallRequest('POST', 'application/json')).toEqual({ ok: true });
    expect(checkCallRequest('POST', 'Application/JSON; charset=utf-8')).toEqual({ ok: true });
    expect(checkCallRequest('GET', 'application/json')).toMatchObject({ ok: false, status: 405 });
    expect(checkCallRequest('PUT', 'application/json')).toMatchObject({ ok: false, status: 405 });
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-seq', 'text/plain; application/json', undefined]) {
      expect(checkCallRequest('POST', ct)).toMatchObject({ ok: false, status: 415 });
    }
  });
});

describe('checkBodySize', () => {
  it('refuses bodies over the limit', () => {
    expect(checkBodySize(undefined).ok).toBe(true);
    expect(checkBodySize('100').ok).toBe(true);
    expect(checkBodySize(String(MAX_CALL_BODY_BYTES + 1))).toMatchObject({ ok: false, status: 413 });
    expect(checkBodySize('-1')).toMatchObject({ ok: false, status: 400 });
    expect(checkBodySize('abc')).toMatchObject({ ok: false, status: 400 });
    expect(checkBodySize('11', 10)).toMatchObject({ ok: false, status: 413 });
  });
  it('leaves room for a 5 MB import', () => {
    expect(MAX_CALL_BODY_BYTES).toBeGreaterThan(5 * 1024 * 1024 * 2);
  });
});

describe('firstFailure', () => {
  it('returns the first refusal in order', () => {
    expect(firstFailure({ ok: true }, { ok: false, status: 403, message: 'a' }, { ok: false, status: 401, message: 'b' })).toMatchObject({ message: 'a' });
    expect(firstFailure({ ok: true })).toEqual({ ok: true });
  });
});

describe('resolveStaticPath', () => {
  const base = mkdtempSync(join(tmpdir(), 'tokendesk-static-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<html></html>');
  writeFileSync(join(root, 'assets', 'app.js'), '1');
  writeFileSync(join(base, 'secret.txt'), 'outside');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves files inside the folder, / as index.html', () => {
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveStaticPath(root, '/index.html')).toBe(join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveStaticPath(root, '/assets/%61pp.js')).toBe(join(root, 'assets', 'app.js'));
  });
  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..\\secret.txt',
    '/%5c..%5csecret.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
    '/assets/link.txt',
    '/assets',
    '/missing.js',
    'index.html',
  ])('refuses %s', (p) => {
    expect(resolveStaticPath(root, p)).toBeNull();
  });
  it('refuses everything when the folder is missing', () => {
    expect(resolveStaticPath(join(base, 'nope'), '/')).toBeNull();
  });
  it('knows the usual content types', () => {
    expect(contentTypeFor('a/index.html')).toMatch(/^text\/html/);
    expect(contentTypeFor('a.JS')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('a.bin')).toBe('application/octet-stream');
  });
});

describe('readWebSettings', () => {
  it('defaults to 5179 with a random secret', () => {
    expect(readWebSettings({})).toEqual({ port: DEFAULT_WEB_PORT, explicitPort: false, secret: undefined });
  });
  it('takes an explicit port and secret', () => {
    expect(readWebSettings({ TOKENDESK_WEB_PORT: '0', TOKENDESK_WEB_SECRET: 'a'.repeat(16) })).toEqual({ port: 0, explicitPort: true, secret: 'a'.repeat(16) });
  });
  it('refuses a bad port or a short secret', () => {
    expect(() => readWebSettings({ TOKENDESK_WEB_PORT: '80a' })).toThrow(/port number/);
    expect(() => readWebSettings({ TOKENDESK_WEB_PORT: '70000' })).toThrow(/port number/);
    expect(() => readWebSettings({ TOKENDESK_WEB_SECRET: 'short' })).toThrow(/16/);
  });
});
