import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core/open.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { createHttpClient } from '../../src-main/core/http/client.js';
import type { HttpClient } from '../../src-main/core/http/types.js';
import { makeHome } from '../helpers/home.js';
import { startHostileAuthServer, type HostileAuthServer, type Reply } from '../helpers/hostile-auth-server.js';

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;

/**
 * SessionManager.checkSessions against the demo server (issue 27): what a refusal ends, when a
 * refresh is tried first, and that a session renewed meanwhile is not ended.
 */
describe('session check: refresh first only when the access token alone was refused', () => {
  let home: ReturnType<typeof makeHome>;
  let servers: DemoServer[];
  let core: Core;
  /** When set, GET /auth/v1/user carries a token whose signature the server cannot verify (GoTrue: 403 bad_jwt). */
  let breakSignature = false;

  const real = createHttpClient();
  const http: HttpClient = {
    request: (req) => {
      if (breakSignature && req.url.endsWith('/auth/v1/user') && req.headers?.Authorization) {
        const token = req.headers.Authorization.slice('Bearer '.length);
        return real.request({ ...req, headers: { ...req.headers, Authorization: `Bearer ${token.slice(0, -4)}AAAA` } });
      }
      return real.request(req);
    },
  };

  async function start(port = 0): Promise<DemoServer> {
    const s = await startDemoServer({ port });
    servers.push(s);
    return s;
  }

  beforeEach(() => {
    home = makeHome();
    servers = [];
    breakSignature = false;
  });
  afterEach(async () => {
    for (const s of servers) await s.close();
    home.cleanup();
  });

  async function signedIn(): Promise<DemoServer> {
    const server = await start();
    core = openCore({ home: home.dir, http, retryDeadlineMs: 1500 });
    await core.envs.add({ name: 'staging', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey });
    await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    return server;
  }

  it('a refused signature with a live session behind it: one refresh, the session renewed and kept', async () => {
    const server = await signedIn();
    const before = await core.sessions.getFreshToken('staging');
    breakSignature = true;
    const [r] = await core.sessions.checkSessions();
    expect(r!.result).toBe('renewed');
    expect(r!.reason).toContain('invalid JWT');
    expect(server.stats.refreshGrants).toBe(1);
    const after = await core.sessions.getFreshToken('staging');
    // The rotated refresh token is stored (the access token may be byte-identical within the same second).
    expect(after.session.refreshToken).not.toBe(before.session.refreshToken);
    expect(after.warning).toBeUndefined();
  });

  it('a refused signature and a refused refresh (the server forgot the session): ended with both reasons', async () => {
    const first = await signedIn();
    await first.close();
    const second = await start(first.port);
    breakSignature = true;
    const [r] = await core.sessions.checkSessions();
    expect(r!.result).toBe('ended');
    expect(r!.reason).toMatch(/bad_jwt.*refresh was refused too/);
    expect(second.stats.refreshGrants).toBe(1);
    await expect(core.sessions.getFreshToken('staging')).rejects.toMatchObject({ code: 'not_signed_in', message: expect.stringContaining('The server ended this session') });
  });

  it('a session the server no longer has (session_not_found): ended without spending the refresh token', async () => {
    const first = await signedIn();
    await first.close();
    const second = await start(first.port);
    const [r] = await core.sessions.checkSessions();
    expect(r!.result).toBe('ended');
    expect(second.stats.refreshGrants).toBe(0);
    const cfg = await core.config.read();
    expect(cfg.identities[0]!.lastError?.message).toContain('session_not_found');
  });

  it('a session signed in again while the refused one was being checked is not ended', async () => {
    const first = await signedIn();
    await first.close();
    await start(first.port);
    // The check's request is answered (refused) only after a new sign-in has replaced the session.
    const slow: HttpClient = {
      request: async (req) => {
        const res = await real.request(req);
        if (req.url.endsWith('/auth/v1/user')) await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
        return res;
      },
    };
    const checking = openCore({ home: home.dir, http: slow });
    const [r] = await checking.sessions.checkSessions();
    expect(r!.result).toBe('unknown');
    expect((await core.sessions.getFreshToken('staging')).session.accessToken).toBeTruthy();
  });
});

/**
 * A proxy, captive portal or firewall between TokenDesk and the server answers 401/403 with its own
 * page, to the check and to the refresh alike (hotel Wi-Fi, a corporate proxy: exactly when the app
 * checks, at start and on wake). That is no answer from the auth server: the session is kept.
 */
describe('session check: an answer that did not come from the auth server ends nothing', () => {
  let server: HostileAuthServer;
  let home: ReturnType<typeof makeHome>;
  let core: Core;
  const PROXY_PAGE: Reply = {
    status: 403,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    raw: '<!DOCTYPE html><html><body><h1>Access denied</h1><p>This site is blocked by your network policy.</p></body></html>',
  };
  // GoTrue's 2024-01-01 error shape (../shared/docs/supabase-auth-api.md §4): the code is read when the version is echoed.
  const goTrue = (status: number, code: string, message: string): Reply => ({
    status,
    headers: { 'X-Supabase-Api-Version': '2024-01-01', 'x-sb-error-code': code },
    body: { code, message },
  });

  beforeAll(async () => {
    server = await startHostileAuthServer();
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    home = makeHome();
  });
  afterEach(() => {
    server.reset();
    home.cleanup();
  });

  async function signedIn(provider: 'supabase' | 'session'): Promise<string> {
    core = openCore({ home: home.dir, retryDeadlineMs: 300 });
    await core.envs.add(provider === 'supabase' ? { name: 'env', provider, baseUrl: server.url, anonKey: server.anonKey } : { name: 'env', provider, baseUrl: server.url });
    await core.sessions.signIn('env', { email: 'dev@example.test', password: 'correct horse battery staple' });
    return (await core.sessions.getFreshToken('env')).session.accessToken;
  }

  const refreshes = (): number => server.requests.filter((r) => r.route === 'supabase-refresh').length;

  it('Supabase: a proxy page (403 text/html) to the check and to a refresh keeps the session, "could not check"', async () => {
    const token = await signedIn('supabase');
    const before = refreshes();
    server.answer('supabase-user', () => PROXY_PAGE);
    server.answer('supabase-refresh', () => PROXY_PAGE);
    const [r] = await core.sessions.checkSessions();
    expect(r!.result).toBe('unknown');
    expect(r!.reason).toContain('HTML page');
    // Nobody refused the token, so the single-use refresh token is not spent on the proxy.
    expect(refreshes()).toBe(before);
    const after = await core.sessions.getFreshToken('env');
    expect(after.session.accessToken).toBe(token);
    expect((await core.config.read()).identities[0]!.lastError).toBeUndefined();
  });

  it('Supabase: GoTrue refuses the access token but the refresh only reaches the proxy: the session is kept', async () => {
    const token = await signedIn('supabase');
    const before = refreshes();
    server.answer('supabase-user', () => goTrue(403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature, token signature is invalid'));
    server.answer('supabase-refresh', () => PROXY_PAGE);
    const [r] = await core.sessions.checkSessions();
    expect(r!.result).toBe('unknown');
    expect(r!.reason).toMatch(/refresh got no answer: .*HTML page/);
    expect(refreshes()).toBe(before + 1);
    expect((await core.sessions.getFreshToken('env')).session.accessToken).toBe(token);
  });

  it('session API: a proxy page (403 text/html) to the session check keeps the session, "could not check"', async () => {
    const token = await signedIn('session');
    server.answer('session-session', () => PROXY_PAGE);
    const [r] = await core.sessions.checkSessions();
    expect(r!.result).toBe('unknown');
    expect(r!.reason).toContain('HTML page');
    expect((await core.sessions.getFreshToken('env')).session.accessToken).toBe(token);
  });

  it("the servers' own refusals still end the session: GoTrue's old 401 {code, msg} then a refused refresh; the API's 401 JSON", async () => {
    await signedIn('supabase');
    // Before v2.145 (§3.1 history), then the refresh refused in today's shape.
    server.answer('supabase-user', () => ({ status: 401, body: { code: 401, msg: 'invalid JWT: token has invalid claims: token is expired' } }));
    server.answer('supabase-refresh', () => goTrue(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found'));
    const [supa] = await core.sessions.checkSessions();
    expect(supa!.result).toBe('ended');
    expect(supa!.reason).toMatch(/invalid JWT.*refresh was refused too/);
    await expect(core.sessions.getFreshToken('env')).rejects.toMatchObject({ code: 'not_signed_in' });

    home.cleanup();
    home = makeHome();
    await signedIn('session');
    server.answer('session-session', () => ({ status: 401, body: { message: 'Session expired' } }));
    const [sess] = await core.sessions.checkSessions();
    expect(sess!.result).toBe('ended');
    expect(sess!.reason).toBe('The server ended this session: Session expired (401)');
    await expect(core.sessions.getFreshToken('env')).rejects.toMatchObject({ code: 'not_signed_in' });
  });
});
