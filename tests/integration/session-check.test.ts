import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core/open.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { createHttpClient } from '../../src-main/core/http/client.js';
import type { HttpClient } from '../../src-main/core/http/types.js';
import { makeHome } from '../helpers/home.js';

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
