import { afterEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { openCore } from '../../src-main/core/open.js';
import { cliFixture, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, type CliHome } from '../helpers/cli.js';
import { startHostileAuthServer } from '../helpers/hostile-auth-server.js';

/**
 * Issue 27: a session the server no longer accepts is not "valid". Each test has its own demo server,
 * so it can be restarted (a new instance on the same port forgets every session, as the real demo
 * server does) or stopped (connection refused).
 */

const unreachable = await keychainUnreachable();
const { demoHome, newHome } = cliFixture();
const servers: DemoServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function server(port = 0): Promise<DemoServer> {
  const s = await startDemoServer({ port });
  servers.push(s);
  return s;
}

async function signedInAt(url: string): Promise<CliHome> {
  const h = await demoHome(url);
  const a = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' });
  expect(a.code, a.stderr).toBe(0);
  const b = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'restricted@test.com'], { input: 'stringstring\n' });
  expect(b.code, b.stderr).toBe(0);
  return h;
}

/** `token` from the fast path (as is) and from the full CLI (TOKENDESK_FAST_PATH=0). */
async function tokenBothWays(h: CliHome, env: string) {
  const fast = await h.run(['token', '--env', env]);
  const full = await h.run(['token', '--env', env], { env: { TOKENDESK_FAST_PATH: '0' } });
  return { fast, full };
}

describe.skipIf(unreachable !== undefined)('status --check asks each server whether it still accepts the session', { timeout: 90_000 }, () => {
  it('after a server restart both sessions are reported ended with its reason (exit 4); token, header and exec then exit 4', async () => {
    const first = await server();
    const h = await signedInAt(first.url);
    // Before the check the stored sessions look valid, and token hands them out from either path.
    const before = await tokenBothWays(h, DEMO_SUPABASE);
    expect([before.fast.code, before.full.code]).toEqual([0, 0]);
    const ok = await h.runInProcess(['status', '--check']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.match(/accepted by the server/g)).toHaveLength(2);

    // The demo server restarts: same port, no sessions.
    await first.close();
    await server(first.port);

    const r = await h.runInProcess(['status', '--check']);
    expect(r.code, r.stdout).toBe(4);
    // GoTrue's words for a session it no longer has, and the session API's 401.
    expect(r.stdout).toContain('Session from session_id claim in JWT does not exist (session_not_found)');
    expect(r.stdout).toContain('The server ended this session: Unauthorized (401)');
    expect(r.stdout.match(/ended by the server/g)).toHaveLength(2);
    expect(r.stderr).toContain('a server ended 2 of the sessions checked');

    for (const env of [DEMO_SUPABASE, DEMO_SESSION]) {
      const t = await tokenBothWays(h, env);
      expect([t.fast.code, t.full.code], t.fast.stderr).toEqual([4, 4]);
      expect(t.fast.stdout).toBe('');
      expect(t.fast.stderr).toContain('The server ended this session');
      const hd = await h.runInProcess(['header', '--env', env]);
      expect(hd.code).toBe(4);
      const ex = await h.run(['exec', '--env', env, '--', 'true']);
      expect(ex.code).toBe(4);
    }

    // --json carries the same, and the sessions stay ended (a second check has nothing to ask).
    const j = await h.runInProcess(['status', '--check', '--json']);
    const doc = JSON.parse(j.stdout) as { environments: Array<{ identities: Array<{ state: string; lastError: string | null; check: { result: string } }> }> };
    const ids = doc.environments.flatMap((e) => e.identities);
    expect(ids.map((i) => [i.state, i.check.result])).toEqual([
      ['signed-out', 'skipped'],
      ['signed-out', 'skipped'],
    ]);
    expect(ids[0]!.lastError).toContain('session_not_found');
  });

  it('a stopped server (connection refused) is "could not check": exit 0, the sessions kept and still handed out', async () => {
    const s = await server();
    const h = await signedInAt(s.url);
    await s.close();

    const r = await h.runInProcess(['status', '--check', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { environments: Array<{ identities: Array<{ state: string; check: { result: string; reason: string } }> }> };
    for (const i of doc.environments.flatMap((e) => e.identities)) {
      expect(i.state).toBe('signed-in');
      expect(i.check.result).toBe('unknown');
      expect(i.check.reason).toMatch(/refused|connect/i);
    }
    const text = await h.runInProcess(['status', '--check']);
    expect(text.code).toBe(0);
    expect(text.stdout.match(/could not check/g)).toHaveLength(2);

    const t = await tokenBothWays(h, DEMO_SUPABASE);
    expect([t.fast.code, t.full.code]).toEqual([0, 0]);
    expect(t.fast.stdout.trim()).not.toBe('');
  });

  it('a proxy answering 403 with its own HTML page to the checks and the refresh is "could not check": exit 0, both sessions kept', async () => {
    const proxy = await startHostileAuthServer();
    try {
      const h = newHome();
      const core = openCore({ home: h.dir });
      await core.envs.add({ name: 'supa', provider: 'supabase', baseUrl: proxy.url, anonKey: proxy.anonKey });
      await core.envs.add({ name: 'sess', provider: 'session', baseUrl: proxy.url });
      for (const env of ['supa', 'sess']) await core.sessions.signIn(env, { email: 'dev@example.test', password: 'correct horse battery staple' });
      const page = { status: 403, headers: { 'Content-Type': 'text/html' }, raw: '<html><body><h1>Access denied by your network policy</h1></body></html>' };
      for (const route of ['supabase-user', 'supabase-refresh', 'session-session'] as const) proxy.answer(route, () => page);

      const r = await h.runInProcess(['status', '--check']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout.match(/could not check/g)).toHaveLength(2);
      expect(r.stdout).not.toMatch(/ended by the server/);
      for (const env of ['supa', 'sess']) {
        const t = await h.run(['token', '--env', env]);
        expect(t.code, t.stderr).toBe(0);
        expect(t.stdout.trim()).not.toBe('');
      }
    } finally {
      await proxy.close();
    }
  });
});
