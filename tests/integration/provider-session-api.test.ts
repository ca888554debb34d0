import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { createHttpClient } from '../../src-main/core/http/client.js';
import { sessionApiProvider } from '../../src-main/core/providers/session-api/provider.js';
import type { ProviderContext } from '../../src-main/core/providers/types.js';
import { rejection } from '../helpers/rejection.js';

const provider = sessionApiProvider;
const http = createHttpClient({ timeoutMs: 5000 });
const admin = DEMO_CREDENTIALS.session.find((c) => c.email === 'test@test.com')!;
const restricted = DEMO_CREDENTIALS.session.find((c) => c.email === 'restricted@test.com')!;

let serverOffset = 0;
let demo: DemoServer;
let ctx: ProviderContext;

beforeAll(async () => {
  demo = await startDemoServer({ port: 0, now: () => Date.now() + serverOffset });
  ctx = { baseUrl: demo.url, http, now: Date.now };
});
afterAll(async () => demo.close());

describe('session API provider against the demo server', () => {
  it('signs in as the seed super admin', async () => {
    const s = await provider.signIn(ctx, admin);
    expect(s.provider).toBe('session');
    expect(s.accessToken).toMatch(/^[0-9a-f]{64}$/);
    expect(s.refreshToken).toBeUndefined();
    expect(Math.abs(s.expiresAt - s.obtainedAt - 8 * 3600_000)).toBeLessThan(2000);
    expect(s.profile).toEqual({
      userId: '1',
      email: 'test@test.com',
      accounts: [{ id: '2311', name: 'Account 1', primary: true, internalUser: true }],
      primaryAccountId: '2311',
      roles: ['superAdmin'],
      permissions: ['readApplications', 'writeApplications', 'miscPermission', 'anotherPermission'],
      permissionsFromRoles: ['readApplications', 'writeApplications'],
    });
  });

  it('maps several accounts with one primary', async () => {
    const s = await provider.signIn(ctx, restricted);
    expect(s.profile.accounts).toEqual([
      { id: '4100', name: 'Acme Corp', primary: true, internalUser: false },
      { id: '4200', name: 'Globex', primary: false, internalUser: false },
    ]);
    expect(s.profile.primaryAccountId).toBe('4100');
  });

  it('uses the server message for a wrong password', async () => {
    expect(await rejection(provider.signIn(ctx, { ...admin, password: 'nope' }))).toMatchObject({
      code: 'invalid_credentials',
      message: 'Invalid email or password',
      status: 401,
    });
  });

  it('re-reads the profile, then reports session_expired after sign-out', async () => {
    const s = await provider.signIn(ctx, admin);
    await expect(provider.fetchProfile(ctx, s)).resolves.toMatchObject({ userId: '1', roles: ['superAdmin'] });
    await provider.signOut(ctx, s);
    expect(await rejection(provider.fetchProfile(ctx, s))).toMatchObject({ code: 'session_expired', status: 401 });
    // A second sign-out of a dead token is not an error.
    await expect(provider.signOut(ctx, s)).resolves.toBeUndefined();
  });

  it('reports session_expired once the server says the token expired', async () => {
    const s = await provider.signIn(ctx, admin);
    serverOffset += 9 * 3600_000;
    try {
      expect(await rejection(provider.fetchProfile(ctx, s))).toMatchObject({ code: 'session_expired' });
    } finally {
      serverOffset -= 9 * 3600_000;
    }
  });

  it('corrects for a server clock that is hours off', async () => {
    for (const skew of [-5 * 3600, 3 * 3600]) {
      const skewed = await startDemoServer({ port: 0, clockSkewSeconds: skew, sessionTtlSeconds: 3600 });
      try {
        const s = await provider.signIn({ ...ctx, baseUrl: skewed.url }, admin);
        // Date header has second resolution, so allow ~1 s either way.
        expect(Math.abs(s.expiresAt - s.obtainedAt - 3600_000)).toBeLessThan(1500);
      } finally {
        await skewed.close();
      }
    }
  });

  it('has no refresh or sign-up', async () => {
    const s = await provider.signIn(ctx, admin);
    expect(await rejection(provider.refresh(ctx, s))).toMatchObject({ code: 'unsupported' });
    expect(await rejection(provider.signUp(ctx, admin))).toMatchObject({ code: 'unsupported' });
  });
});

const hostile: Server[] = [];
afterEach(async () => {
  for (const s of hostile.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

async function hostileServer(answer: (url: string, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(req.url ?? '', res));
  });
  hostile.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('session API provider against hostile servers', () => {
  it('HTML error page → bad_response', async () => {
    const url = await hostileServer((_u, res) => res.writeHead(503, { 'Content-Type': 'text/html' }).end('<html>Service Unavailable</html>'));
    expect(await rejection(provider.signIn({ ...ctx, baseUrl: url }, admin))).toMatchObject({
      code: 'bad_response',
      message: 'The server answered 503 with an HTML page instead of JSON',
      retryable: true,
    });
  });

  it('wrong types → bad_response', async () => {
    const url = await hostileServer((_u, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: 1, email: 'x', accounts: [], flatRolesList: 'admin' })),
    );
    expect(await rejection(provider.signIn({ ...ctx, baseUrl: url }, admin))).toMatchObject({ code: 'bad_response' });
  });

  it('a server without a logout endpoint: sign-out still succeeds', async () => {
    const url = await hostileServer((_u, res) => res.writeHead(404, { 'Content-Type': 'text/html' }).end('<pre>Cannot POST /api/auth/logout</pre>'));
    const s = await provider.signIn(ctx, admin);
    await expect(provider.signOut({ ...ctx, baseUrl: url }, s)).resolves.toBeUndefined();
  });
});
