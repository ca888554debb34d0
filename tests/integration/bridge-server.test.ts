import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod } from '../../src-main/contract/api.js';
import type { AppEvent } from '../../src-main/contract/types.js';
import type { AppService } from '../../src-main/core/app/types.js';
import { TokenDeskError } from '../../src-main/core/errors.js';
import { buildCsp } from '../../src-main/shell-common/csp.js';
import { startWebBridge, type WebBridge } from '../../src-main/web-bridge/server.js';

const SECRET = 'integration-secret-0123456789abcdef';

/** A small AppService: canned answers, recorded calls, events pushed by the test. */
function fakeService() {
  const calls: Array<{ method: ApiMethod; input: unknown }> = [];
  const listeners = new Set<(e: AppEvent) => void>();
  const service: AppService = {
    async handle(method, input) {
      calls.push({ method, input });
      switch (method) {
        case 'getState':
          return { environments: [], shell: 'web' } as never;
        case 'copy':
          return { label: 'Authorization header for owner@x', clearsInSeconds: 60, text: 'Authorization: Bearer abc' } as never;
        case 'saveExport':
          return { fileName: 'staging.env', content: 'TOKEN=abc' } as never;
        case 'signIn':
          throw new TokenDeskError('invalid_credentials', 'Wrong email or password');
        case 'removeEnvironment':
          throw new Error('boom with Bearer secret-in-error');
        default:
          return {} as never;
      }
    },
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: async () => undefined,
  };
  return { service, calls, emit: (e: AppEvent) => listeners.forEach((l) => l(e)), listeners };
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP (no URL normalisation, any Host header) against the bridge. */
function raw(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { Host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const call = (port: number, method: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(port, {
    method: 'POST',
    path: `/api/call/${method}`,
    headers: { 'Content-Type': 'application/json', 'X-TokenDesk-Token': SECRET, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('web bridge over real HTTP', () => {
  let base: string;
  let bridge: WebBridge;
  let fake: ReturnType<typeof fakeService>;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'tokendesk-bridge-'));
    const staticDir = join(base, 'renderer');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>TokenDesk</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(base, 'outside.txt'), 'TOP SECRET FILE');
    fake = fakeService();
    bridge = await startWebBridge({ service: fake.service, port: 0, staticDir, secret: SECRET, keepAliveMs: 50 });
  });
  afterAll(async () => {
    await bridge.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 and prints a Jupyter-style URL', () => {
    expect(bridge.port).toBeGreaterThan(0);
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/?token=${SECRET}`);
  });

  it('answers a call with the right secret (copy keeps its text for the page)', async () => {
    const r = await call(bridge.port, 'copy', { envId: 'e1', item: { kind: 'authorization-header' } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { label: 'Authorization header for owner@x', clearsInSeconds: 60, text: 'Authorization: Bearer abc' } });
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const s = await call(bridge.port, 'saveExport', { envId: 'e1', format: 'dotenv', includeSecrets: true });
    expect(JSON.parse(s.body)).toEqual({ ok: true, value: { fileName: 'staging.env', content: 'TOKEN=abc' } });
  });

  it('accepts localhost:PORT with its own Origin', async () => {
    const r = await call(bridge.port, 'getState', {}, { Host: `localhost:${bridge.port}`, Origin: `http://localhost:${bridge.port}` });
    expect(r.status).toBe(200);
  });

  it('refuses a wrong or missing secret with 401 and no effect', async () => {
    const before = fake.calls.length;
    const wrong = await call(bridge.port, 'getState', {}, { 'X-TokenDesk-Token': 'guess' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const missing = await raw(bridge.port, { method: 'POST', path: '/api/call/getState', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(401);
    // The secret in the query is for the event stream only.
    const inQuery = await raw(bridge.port, { method: 'POST', path: `/api/call/getState?token=${SECRET}`, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(inQuery.status).toBe(401);
    expect(fake.calls.length).toBe(before);
  });

  it('refuses a foreign Host (DNS rebinding) with 403, even with the secret', async () => {
    const r = await call(bridge.port, 'getState', {}, { Host: `evil.test:${bridge.port}` });
    expect(r.status).toBe(403);
    const page = await raw(bridge.port, { path: '/', headers: { Host: 'evil.test' } });
    expect(page.status).toBe(403);
  });

  it('refuses a foreign Origin and cross-site fetches with 403', async () => {
    expect((await call(bridge.port, 'getState', {}, { Origin: 'https://evil.test' })).status).toBe(403);
    expect((await call(bridge.port, 'getState', {}, { Origin: 'null' })).status).toBe(403);
    expect((await call(bridge.port, 'getState', {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
  });

  it('refuses a text/plain or form POST (what another site could send without a preflight)', async () => {
    const before = fake.calls.length;
    expect((await call(bridge.port, 'getState', '{}', { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await call(bridge.port, 'getState', 'a=1', { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await raw(bridge.port, { method: 'GET', path: '/api/call/getState', headers: { 'X-TokenDesk-Token': SECRET } })).status).toBe(405);
    expect((await raw(bridge.port, { method: 'OPTIONS', path: '/api/call/getState' })).status).toBe(405);
    expect(fake.calls.length).toBe(before);
  });

  it('refuses malformed calls with 400/404 and a clear message', async () => {
    const bad = await call(bridge.port, 'getState', '{not json');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toMatch(/not valid JSON/);
    const unknown = await call(bridge.port, '__proto__', {});
    expect(unknown.status).toBe(404);
    const invalid = await call(bridge.port, 'removeEnvironment', { id: 'e1', extra: 1 });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/Invalid request to removeEnvironment/) });
  });

  it('refuses an oversized body with 413', async () => {
    const big = JSON.stringify({ fileName: 'a', text: 'x'.repeat(13 * 1024 * 1024) });
    const r = await call(bridge.port, 'importPostman', big);
    expect(r.status).toBe(413);
  });

  it('returns core errors as envelopes, never foreign error text', async () => {
    const r = await call(bridge.port, 'signIn', { envId: 'e1', email: 'a@b.c', password: 'pw' });
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'invalid_credentials', message: 'Wrong email or password' } });
    const g = await call(bridge.port, 'removeEnvironment', { id: 'e1' });
    expect(g.status).toBe(200);
    expect(g.body).not.toContain('secret-in-error');
    expect(JSON.parse(g.body).error.code).toBe('internal');
  });

  it('streams events over SSE with keep-alive comments, only with the secret', async () => {
    const denied = await raw(bridge.port, { path: '/api/events?token=nope' });
    expect(denied.status).toBe(401);

    const text = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: bridge.port, path: `/api/events?token=${encodeURIComponent(SECRET)}` }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        let buf = '';
        res.on('data', (c: Buffer) => {
          buf += c.toString('utf8');
          if (buf.includes('data: ') && buf.includes(': keep-alive')) {
            req.destroy();
            resolve(buf);
          }
        });
        // Once connected, push an event.
        setTimeout(() => fake.emit({ type: 'session-refreshed', identityId: 'i1', envId: 'e1', expiresAt: 123 }), 20);
      });
      req.on('error', (e) => (e.message.includes('aborted') ? undefined : reject(e)));
      req.end();
    });
    expect(text).toContain(`data: ${JSON.stringify({ type: 'session-refreshed', identityId: 'i1', envId: 'e1', expiresAt: 123 })}\n\n`);
    expect(text).toContain(': keep-alive\n\n');
  });

  it('serves index.html with the CSP and no-referrer (the URL carries the secret)', async () => {
    const r = await raw(bridge.port, { path: `/?token=${SECRET}` });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>TokenDesk</title>');
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers['content-security-policy']).toBe(buildCsp());
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
    const js = await raw(bridge.port, { path: '/assets/app.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it.each(['/../outside.txt', '/assets/../../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt', '/assets/..%2f..%2foutside.txt', '/%2e%2e%5coutside.txt', '/nope.html'])(
    'refuses path traversal and unknown files: %s',
    async (path) => {
      const r = await raw(bridge.port, { path });
      expect(r.status).toBe(404);
      expect(r.body).not.toContain('TOP SECRET');
    },
  );

  it('refuses absolute-form request targets and unknown API paths', async () => {
    expect((await raw(bridge.port, { path: 'http://evil.test/index.html' })).status).toBe(400);
    expect((await raw(bridge.port, { path: '/api/other' })).status).toBe(404);
  });

  it('closes cleanly with an open event stream and unsubscribes from the service', async () => {
    const { service, listeners } = fakeService();
    const b = await startWebBridge({ service, staticDir: base });
    expect(b.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const token = new URL(b.url).searchParams.get('token')!;
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: b.port, path: `/api/events?token=${token}` }, () => resolve());
      req.on('error', () => undefined);
      req.end();
    });
    expect(listeners.size).toBe(1);
    await b.close();
    expect(listeners.size).toBe(0);
  });

  it('refuses to start with a short secret', async () => {
    await expect(startWebBridge({ service: fakeService().service, staticDir: base, secret: 'short' })).rejects.toThrow(/16/);
  });
});
