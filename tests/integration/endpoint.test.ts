import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { openCore } from '../../src-main/core/open.js';
import { accessLogFile, ensureEndpointSecret, readAccessLog, startEndpoint, type Endpoint } from '../../src-main/core/endpoint/index.js';
import type { EndpointProductionAsk } from '../../src-main/contract/endpoint.js';
import { CliHome, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable } from '../helpers/cli.js';
import { movableClock, type MovableClock } from '../helpers/clock.js';
import { call } from '../helpers/endpoint-client.js';
import { startServe } from '../helpers/serve.js';

const unreachable = await keychainUnreachable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Rig {
  demo: DemoServer;
  h: CliHome;
  clock: MovableClock;
  endpoint: Endpoint;
  secret: string;
  asks: EndpointProductionAsk[];
  get(path: string, opts?: Parameters<typeof call>[2]): ReturnType<typeof call>;
}

/**
 * A demo server (10-minute Supabase tokens, 10-minute session-API sessions) and an endpoint in this
 * process on a random port, sharing one movable clock: a test reaches the renewal margin (120 s) or
 * the end of a session by moving the clock, not by waiting.
 */
async function rig(demoOpts: Parameters<typeof startDemoServer>[0] = {}): Promise<Rig> {
  const clock = movableClock();
  const demo = await startDemoServer({ port: 0, accessTokenTtlSeconds: 600, sessionTtlSeconds: 600, now: clock.now, ...demoOpts });
  const h = new CliHome();
  cleanups.push(() => demo.close(), () => h.cleanup());
  const run = (args: string[], input?: string) => h.runInProcess(args, { now: clock.now, ...(input !== undefined && { input }) });
  expect((await run(['demo-setup', '--url', demo.url])).code).toBe(0);
  expect((await run(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], 'demo-password\n')).code).toBe(0);
  expect((await run(['login', '--env', DEMO_SESSION, '--email', 'restricted@test.com'], 'stringstring\n')).code).toBe(0);
  const core = openCore({ home: h.dir, now: clock.now });
  const secret = await ensureEndpointSecret(core.secrets, core.lock);
  const asks: EndpointProductionAsk[] = [];
  const endpoint = await startEndpoint({ core, port: 0, servedBy: 'serve', now: clock.now, onProductionAsked: (a) => asks.push(a) });
  cleanups.push(() => endpoint.close());
  return { demo, h, clock, endpoint, secret, asks, get: (path, opts = {}) => call(endpoint.port, path, { secret, ...opts }) };
}

const tokenPath = (env: string, extra = '') => `/v1/token?env=${encodeURIComponent(env)}${extra}`;

/** What the demo's Supabase REST answers for a token: 200 only for a token it accepts. */
async function demoAccepts(demo: DemoServer, token: string): Promise<number> {
  const res = await fetch(`${demo.url}/rest/v1/profiles`, { headers: { apikey: demo.anonKey, Authorization: `Bearer ${token}` } });
  return res.status;
}

describe.skipIf(unreachable !== undefined)('the local credential endpoint, over real HTTP with the demo server behind it', { timeout: 60_000 }, () => {
  it('a missing or wrong secret is the same 401 body; a rebound Host and a preflight are refused; no CORS header anywhere', async () => {
    const r = await rig();
    const missing = await r.get(tokenPath(DEMO_SUPABASE), { secret: undefined as unknown as string, authorization: '' });
    const wrong = await r.get(tokenPath(DEMO_SUPABASE), { secret: `${r.secret}x` });
    const unknownEnv = await r.get(tokenPath('no such environment'), { secret: 'wrong' });
    const basic = await r.get(tokenPath(DEMO_SUPABASE), { authorization: `Basic ${Buffer.from(`x:${r.secret}`).toString('base64')}` });
    for (const a of [missing, wrong, unknownEnv, basic]) {
      expect(a.status).toBe(401);
      // Nothing tells a caller without the secret what exists.
      expect(a.body).toBe(missing.body);
    }
    expect(JSON.parse(missing.body)).toEqual({ code: 'unauthorized', message: 'Unauthorized' });

    const rebound = await r.get(tokenPath(DEMO_SUPABASE), { host: `evil.test:${r.endpoint.port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toMatch(/eyJ/);
    const otherPort = await r.get(tokenPath(DEMO_SUPABASE), { host: `127.0.0.1:${r.endpoint.port + 1}` });
    expect(otherPort.status).toBe(403);
    expect((await r.get(tokenPath(DEMO_SUPABASE), { host: `localhost:${r.endpoint.port}` })).status).toBe(200);

    const preflight = await r.get(tokenPath(DEMO_SUPABASE), { method: 'OPTIONS' });
    expect(preflight.status).toBe(405);
    const ok = await r.get(tokenPath(DEMO_SUPABASE));
    for (const a of [missing, preflight, ok]) expect(Object.keys(a.headers).filter((k) => k.startsWith('access-control-'))).toEqual([]);
    expect(JSON.parse((await r.get('/v1/nothing')).body)).toMatchObject({ code: 'not_found' });
    expect(JSON.parse((await r.get('/v1/token')).body)).toMatchObject({ code: 'invalid_input' });
  });

  it('/v1/token is a token the demo API accepts; /v1/headers and /v1/postman carry it, never the refresh token', async () => {
    const r = await rig();
    const t = await r.get(tokenPath(DEMO_SUPABASE), { userAgent: 'PostmanRuntime/7.39.0' });
    expect(t.status).toBe(200);
    expect(t.headers['content-type']).toMatch(/^text\/plain/);
    expect(t.headers['cache-control']).toBe('no-store');
    expect(await demoAccepts(r.demo, t.body)).toBe(200);
    expect(await demoAccepts(r.demo, `${t.body}x`)).toBe(401); // the check itself can fail

    const headers = JSON.parse((await r.get(`/v1/headers?env=${encodeURIComponent(DEMO_SUPABASE)}`)).body) as { lines: string[]; expiresAt: number };
    expect(headers.lines).toContain(`Authorization: Bearer ${t.body}`);
    expect(headers.lines).toContain(`apikey: ${r.demo.anonKey}`);
    expect(headers.expiresAt).toBeGreaterThan(r.clock.now());

    const postman = JSON.parse((await r.get(`/v1/postman?env=${encodeURIComponent(DEMO_SUPABASE)}`)).body) as { variables: Record<string, string>; secret: string[] };
    expect(postman.variables.user_jwt_token).toBe(t.body);
    expect(postman.variables.anon_key).toBe(r.demo.anonKey);
    expect(postman.variables).not.toHaveProperty('refresh_token');
    expect(postman.secret).toContain('user_jwt_token');

    // By identity id, as status --json lists it.
    const status = JSON.parse((await r.h.runInProcess(['status', '--json'])).stdout) as { environments: Array<{ name: string; identities: Array<{ id: string }> }> };
    const id = status.environments.find((e) => e.name === DEMO_SESSION)!.identities[0]!.id;
    const bySession = await r.get(tokenPath(DEMO_SESSION, `&identity=${id}`));
    expect(bySession.status).toBe(200);
    expect(bySession.body).toMatch(/^[0-9a-f]{64}$/);
    expect(r.demo.stats.refreshGrants).toBe(0); // all fresh: nothing renewed
  });

  it('min-valid renews first when less is left; without it the token is served as is', async () => {
    const r = await rig();
    const first = (await r.get(tokenPath(DEMO_SUPABASE))).body;
    r.clock.advance(100_000); // 500 s left, outside the 120 s margin
    expect((await r.get(tokenPath(DEMO_SUPABASE))).body).toBe(first);
    expect(r.demo.stats.refreshGrants).toBe(0);
    const renewed = await r.get(tokenPath(DEMO_SUPABASE, '&min-valid=550'));
    expect(renewed.status).toBe(200);
    expect(r.demo.stats.refreshGrants).toBe(1);
    expect(renewed.body).not.toBe(first);
    expect(await demoAccepts(r.demo, renewed.body)).toBe(200);
    // More than any token lives: refused with the reason, never a token that would not last.
    const tooLong = await r.get(tokenPath(DEMO_SUPABASE, '&min-valid=3600'));
    expect(tooLong.status).toBe(409);
    expect(JSON.parse(tooLong.body).message).toMatch(/less than the 3600 s asked/);
    // …and without spending a refresh token on it: a renewal gives no longer token (a tool polling
    // with such a min-valid would otherwise rotate the session on every call).
    expect(r.demo.stats.refreshGrants).toBe(1);
  });

  it('50 concurrent callers on a token inside its margin cause exactly one renewal, and all get the renewed token', async () => {
    const r = await rig({ latencyMs: 150 });
    const first = (await r.get(tokenPath(DEMO_SUPABASE))).body;
    r.clock.advance(500_000); // 100 s left: inside the 120 s margin
    const answers = await Promise.all(Array.from({ length: 50 }, () => r.get(tokenPath(DEMO_SUPABASE))));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(r.demo.stats.refreshGrants).toBe(1);
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set([answers[0]!.body]));
    expect(answers[0]!.body).not.toBe(first);
    expect(await demoAccepts(r.demo, answers[0]!.body)).toBe(200);
  });

  it('an ended session answers 409 with the reason, never the dead token', async () => {
    const r = await rig();
    const live = (await r.get(tokenPath(DEMO_SESSION))).body;
    r.clock.advance(700_000); // past the session's end; no remembered password to sign in again
    const ended = await r.get(tokenPath(DEMO_SESSION));
    expect(ended.status).toBe(409);
    const body = JSON.parse(ended.body) as { code: string; message: string };
    expect(body.code).toBe('session_expired');
    expect(body.message).toMatch(/restricted@test\.com.*expired at .*sign in again/);
    expect(ended.body).not.toContain(live);
  });

  it('a production environment is refused (and the app asked) until allowed, then served', async () => {
    const r = await rig();
    expect((await r.h.runInProcess(['env', 'edit', DEMO_SUPABASE, '--production'])).code).toBe(0);
    const refused = await r.get(tokenPath(DEMO_SUPABASE), { userAgent: 'newman/6' });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'production_not_allowed' });
    expect(JSON.parse(refused.body).message).toContain('tokendesk endpoint allow "Demo Supabase"');
    expect(r.asks).toEqual([expect.objectContaining({ name: DEMO_SUPABASE, userAgent: 'newman/6' })]);
    expect((await r.get(`/v1/postman?env=${encodeURIComponent(DEMO_SUPABASE)}`)).status).toBe(403);

    const allow = await r.h.runInProcess(['endpoint', 'allow', DEMO_SUPABASE]);
    expect(allow.code, allow.stderr).toBe(0);
    const served = await r.get(tokenPath(DEMO_SUPABASE));
    expect(served.status).toBe(200);
    expect(await demoAccepts(r.demo, served.body)).toBe(200);
    expect(JSON.parse((await r.h.runInProcess(['endpoint', '--json'])).stdout).allowedProduction).toEqual([DEMO_SUPABASE]);
  });

  it('an allowed production environment moved to another server is refused again until allowed again', async () => {
    const r = await rig();
    expect((await r.h.runInProcess(['env', 'edit', DEMO_SUPABASE, '--production'])).code).toBe(0);
    expect((await r.h.runInProcess(['endpoint', 'allow', DEMO_SUPABASE])).code).toBe(0);
    expect((await r.get(tokenPath(DEMO_SUPABASE))).status).toBe(200);
    // The same demo on another origin (localhost): the allow was given for 127.0.0.1's tokens.
    const moved = await r.h.runInProcess(['env', 'edit', DEMO_SUPABASE, '--url', r.demo.url.replace('127.0.0.1', 'localhost'), '--yes']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toContain(`The local endpoint no longer serves "${DEMO_SUPABASE}"`);
    const refused = await r.get(tokenPath(DEMO_SUPABASE));
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'production_not_allowed' });
    expect(JSON.parse((await r.h.runInProcess(['endpoint', '--json'])).stdout).allowedProduction).toEqual([]);
    // A change on the same server keeps the allow.
    expect((await r.h.runInProcess(['endpoint', 'allow', DEMO_SUPABASE])).code).toBe(0);
    expect((await r.h.runInProcess(['env', 'edit', DEMO_SUPABASE, '--label', 'eu'])).code).toBe(0);
    expect(JSON.parse((await r.h.runInProcess(['endpoint', '--json'])).stdout).allowedProduction).toEqual([DEMO_SUPABASE]);
  });

  it('the access log has one line per call (time, User-Agent, environment, identity, status) and never a token or the secret', async () => {
    const r = await rig();
    const tokens: string[] = [];
    tokens.push((await r.get(tokenPath(DEMO_SUPABASE), { userAgent: 'curl/8.5.0' })).body);
    tokens.push(...(JSON.parse((await r.get(`/v1/headers?env=${encodeURIComponent(DEMO_SESSION)}`, { userAgent: 'my-script' })).body) as { lines: string[] }).lines);
    await r.get(tokenPath(DEMO_SUPABASE), { secret: 'wrong', userAgent: 'intruder' });
    await r.get(tokenPath('nope'), { userAgent: 'typo' });
    await r.endpoint.flush();
    const text = readFileSync(accessLogFile(r.h.dir), 'utf8');
    expect(text.trim().split('\n')).toHaveLength(4);
    for (const t of tokens) expect(text).not.toContain(t.replace(/^.*: (Bearer )?/, ''));
    expect(text).not.toContain(r.secret);
    const entries = await readAccessLog(r.h.dir);
    expect(entries.map((e) => [e.status, e.userAgent, e.env, e.identity])).toEqual([
      [404, 'typo', 'nope', undefined],
      [401, 'intruder', undefined, undefined],
      [200, 'my-script', DEMO_SESSION, 'restricted@test.com'],
      [200, 'curl/8.5.0', DEMO_SUPABASE, 'owner@connectgain.test'],
    ]);
    const cli = await r.h.runInProcess(['endpoint', 'log']);
    expect(cli.code).toBe(0);
    expect(cli.stdout.trim().split('\n')).toHaveLength(4);
    expect(cli.stdout).toMatch(/200 {2}\/v1\/token {2}Demo Supabase {2}owner@connectgain\.test {2}"curl\/8\.5\.0"\n/);
    expect(cli.stdout).toMatch(/401 {2}\/v1\/token {2}- {2}- {2}"intruder" {2}unauthorized\n/);
    for (const t of tokens) expect(cli.stdout).not.toContain(t.replace(/^.*: (Bearer )?/, ''));
  });
});

describe.skipIf(unreachable !== undefined)('tokendesk serve', { timeout: 60_000 }, () => {
  it('prints one line with its URL, serves a token, says it is running, and stops cleanly on SIGTERM', async () => {
    const demo = await startDemoServer({ port: 0 });
    const h = new CliHome();
    cleanups.push(() => demo.close(), () => h.cleanup());
    expect((await h.runInProcess(['demo-setup', '--url', demo.url])).code).toBe(0);
    expect((await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' })).code).toBe(0);
    const serve = await startServe(h);
    cleanups.push(async () => serve.kill());
    const { port } = serve;
    expect(serve.stdout().trim().split('\n')).toHaveLength(1);
    expect(serve.stdout()).toContain(`http://127.0.0.1:${port}`);

    const shown = JSON.parse((await h.runInProcess(['endpoint', '--json', '--show-secret'])).stdout) as { secret: string; running: boolean };
    expect(shown.running).toBe(true);
    const t = await call(port, tokenPath(DEMO_SUPABASE), { secret: shown.secret });
    expect(t.status).toBe(200);
    expect(await demoAccepts(demo, t.body)).toBe(200);
    const plain = await h.runInProcess(['endpoint']);
    expect(plain.stdout).not.toContain(shown.secret);

    expect(await serve.stop()).toBe(0);
    expect(JSON.parse((await h.runInProcess(['endpoint', '--json'])).stdout)).toMatchObject({ running: false, port });
    await expect(call(port, tokenPath(DEMO_SUPABASE), { secret: shown.secret })).rejects.toThrow(/ECONNREFUSED/);
  });
});
