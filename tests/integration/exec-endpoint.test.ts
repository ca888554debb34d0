/**
 * Issue 23: `tokendesk exec` hands a long-running child the local credential endpoint and a secret
 * scoped to it (TOKENDESK_ENDPOINT, TOKENDESK_ENDPOINT_SECRET), against `tokendesk serve` over real
 * HTTP with the real keychain: the child fetches the same token the CLI gives, for its own
 * environments only, until the secret expires; an altered one is any wrong secret.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accessLogFile, makeScopedSecret, readAccessLog } from '../../src-main/core/endpoint/index.js';
import { cliFixture, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, onTerminal, type CliHome } from '../helpers/cli.js';
import { call } from '../helpers/endpoint-client.js';
import { startServe, type Serving } from '../helpers/serve.js';

const unreachable = await keychainUnreachable();
const { signedIn } = cliFixture({ demo: true });
const serving: Serving[] = [];
afterEach(() => {
  for (const s of serving.splice(0)) s.kill();
});

/** A child that asks the endpoint it was given for a token of `env` (the route's query), then prints what it saw as JSON. */
const FETCHING = (query: string) => [
  'node',
  '-e',
  `(async () => {
    const { TOKENDESK_ENDPOINT: endpoint, TOKENDESK_ENDPOINT_SECRET: secret } = process.env;
    const r = await fetch(endpoint + '/v1/token?' + ${JSON.stringify(query)}, { headers: { Authorization: 'Bearer ' + secret } });
    console.log(JSON.stringify({ status: r.status, body: await r.text(), endpoint, secret }));
  })()`,
];

interface ChildSaw {
  status: number;
  body: string;
  endpoint: string;
  secret: string;
}

async function execFetching(h: CliHome, args: string[], query: string): Promise<{ saw: ChildSaw; stderr: string }> {
  const r = await h.run(['exec', ...args, '--', ...FETCHING(query)]);
  expect(r.code, r.stderr).toBe(0);
  return { saw: JSON.parse(r.stdout) as ChildSaw, stderr: r.stderr };
}

const envQuery = (env: string, extra = '') => `env=${encodeURIComponent(env)}${extra}`;
const UNAUTHORIZED = '{"code":"unauthorized","message":"Unauthorized"}';

describe.skipIf(unreachable !== undefined)('exec hands its child the endpoint and a scoped secret', { timeout: 90_000 }, () => {
  it('the child fetches the same token the CLI gives, for its environment only; altered or after expiry it is a wrong secret', async () => {
    const h = await signedIn();
    const serve = await startServe(h);
    serving.push(serve);
    const before = Date.now();
    const { saw, stderr } = await execFetching(h, ['--env', DEMO_SUPABASE, '--endpoint-lifetime', '2h'], envQuery(DEMO_SUPABASE));
    const after = Date.now();
    expect(stderr).toBe('');
    expect(saw.endpoint).toBe(`http://127.0.0.1:${serve.port}`);
    expect(saw.status).toBe(200);
    expect(saw.body).toBe((await h.runInProcess(['token', '--env', DEMO_SUPABASE])).stdout.trim());
    const install = (JSON.parse((await h.runInProcess(['endpoint', '--json', '--show-secret'])).stdout) as { secret: string }).secret;
    expect(saw.secret).not.toBe(install);
    expect(saw.secret).not.toContain(install);

    // Another environment, existing or not: the same 403, no hint of what exists.
    const other = await call(serve.port, `/v1/token?${envQuery(DEMO_SESSION)}`, { secret: saw.secret });
    const absent = await call(serve.port, `/v1/token?${envQuery('no such environment')}`, { secret: saw.secret });
    expect(other.status).toBe(403);
    expect(JSON.parse(other.body)).toMatchObject({ code: 'out_of_scope' });
    expect(absent.status).toBe(403);
    expect(absent.body).toBe(other.body);
    // The install secret still serves it.
    expect((await call(serve.port, `/v1/token?${envQuery(DEMO_SESSION)}`, { secret: install })).status).toBe(200);

    // Altered: a wider scope in the payload, or one character of the MAC.
    const [prefix, payload, mac] = saw.secret.split('.') as [string, string, string];
    const widened = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { scope: Array<{ env: string }> };
    widened.scope.push({ env: 'any-other-environment' });
    for (const tampered of [`${prefix}.${Buffer.from(JSON.stringify(widened)).toString('base64url')}.${mac}`, `${prefix}.${payload}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`]) {
      const r = await call(serve.port, `/v1/token?${envQuery(DEMO_SUPABASE)}`, { secret: tampered });
      expect(r.status).toBe(401);
      expect(r.body).toBe(UNAUTHORIZED);
    }

    // It lives as long as --endpoint-lifetime says; once expired, it is the same 401 as a wrong secret
    // (made here already expired: a clock the spawned endpoint shares with the test would need a sleep).
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { exp: number }).exp;
    expect(exp).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
    expect(exp).toBeLessThanOrEqual(after + 2 * 3_600_000);
    const envId = (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { scope: Array<{ env: string }> }).scope[0]!.env;
    const expiredSecret = makeScopedSecret(install, { entries: [{ env: envId }], expiresAt: Date.now() - 1000, madeFor: 'exec node' });
    const expired = await call(serve.port, `/v1/token?${envQuery(DEMO_SUPABASE)}`, { secret: expiredSecret });
    expect(expired.status).toBe(401);
    expect(expired.body).toBe(UNAUTHORIZED);
    const fresh = makeScopedSecret(install, { entries: [{ env: envId }], expiresAt: Date.now() + 60_000, madeFor: 'exec node' });
    expect((await call(serve.port, `/v1/token?${envQuery(DEMO_SUPABASE)}`, { secret: fresh })).status).toBe(200); // the same, unexpired, is served

    // The access log says which calls came with a scoped secret, and never holds it.
    expect(await serve.stop()).toBe(0);
    const log = await readAccessLog(h.dir);
    expect(log.filter((e) => e.scoped === 'exec node').map((e) => [e.status, e.code ?? null])).toEqual([
      [200, null],
      [403, 'out_of_scope'],
      [403, 'out_of_scope'],
      [200, null],
    ]);
    // (exec and endpoint --json look at /v1/status with a probe's own secret: scoped-secret.ts makeProbeSecret.)
    expect(log.filter((e) => e.scoped === undefined && e.route === '/v1/token').map((e) => e.status)).toEqual([401, 401, 401, 200]);
    expect(readFileSync(accessLogFile(h.dir), 'utf8')).not.toContain(saw.secret.split('.')[2]);
    const printed = await h.runInProcess(['endpoint', 'log']);
    expect(printed.stdout).toMatch(/200 {2}\/v1\/token {2}Demo Supabase {2}owner@connectgain\.test {2}"node" {2}scoped secret \(exec node\)/);
  });

  it('an identity exec chose is the one served, and no other; --envfile references are in scope too', async () => {
    const h = await signedIn();
    // A second identity, signed in last: now the active one of the environment.
    expect((await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'agent@connectgain.test'], { input: 'demo-password\n' })).code).toBe(0);
    const serve = await startServe(h);
    serving.push(serve);
    const ownerToken = (await h.runInProcess(['token', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'])).stdout.trim();
    const { saw } = await execFetching(h, ['--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], envQuery(DEMO_SUPABASE));
    expect(saw.status).toBe(200);
    expect(saw.body).toBe(ownerToken);
    const agent = await call(serve.port, `/v1/token?${envQuery(DEMO_SUPABASE, '&identity=agent%40connectgain.test')}`, { secret: saw.secret });
    expect(agent.status).toBe(403);
    expect(JSON.parse(agent.body)).toMatchObject({ code: 'out_of_scope' });

    // Without --env: the environments the file's references name, nothing else.
    writeFileSync(join(h.work, 'app.env'), `SESSION_TOKEN=tokendesk://${DEMO_SESSION}/token\n`);
    const viaFile = await execFetching(h, ['--envfile', 'app.env'], envQuery(DEMO_SESSION));
    expect(viaFile.saw.status).toBe(200);
    expect(viaFile.saw.body).toBe((await h.runInProcess(['token', '--env', DEMO_SESSION])).stdout.trim());
    expect((await call(serve.port, `/v1/token?${envQuery(DEMO_SUPABASE)}`, { secret: viaFile.saw.secret })).status).toBe(403);

    // A production environment still needs the user's allow, scoped secret or not.
    expect((await h.runInProcess(['env', 'edit', DEMO_SESSION, '--production'])).code).toBe(0);
    expect(JSON.parse((await call(serve.port, `/v1/token?${envQuery(DEMO_SESSION)}`, { secret: viaFile.saw.secret })).body)).toMatchObject({ code: 'production_not_allowed' });
  });

  it('with the endpoint stopped both are still passed, with one note at a terminal (none into a script\'s stderr); --no-endpoint passes neither, not even inherited ones', async () => {
    const h = await signedIn();
    const SHOW = ['node', '-e', "for (const n of ['TOKENDESK_ENDPOINT', 'TOKENDESK_ENDPOINT_SECRET']) console.log(n + '=' + (process.env[n] ?? '<unset>'))"];
    const piped = await h.run(['exec', '--env', DEMO_SUPABASE, '--', ...SHOW]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toMatch(/^TOKENDESK_ENDPOINT=http:\/\/127\.0\.0\.1:\d+\nTOKENDESK_ENDPOINT_SECRET=tdx1\.\S+\n$/);
    expect(piped.stderr).toBe('');
    const noted = await onTerminal(h.env(), ['exec', '--env', DEMO_SUPABASE, '--', ...SHOW], []);
    expect(noted.code, noted.output).toBe(0);
    expect(noted.output.match(/not running.*tokendesk serve, or the app/g)).toHaveLength(1);
    expect(noted.output).toMatch(/TOKENDESK_ENDPOINT_SECRET=tdx1\./);

    const off = await h.run(['exec', '--env', DEMO_SUPABASE, '--no-endpoint', '--', ...SHOW], { env: { TOKENDESK_ENDPOINT: 'http://127.0.0.1:1', TOKENDESK_ENDPOINT_SECRET: 'tdx1.outer' } });
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toBe('TOKENDESK_ENDPOINT=<unset>\nTOKENDESK_ENDPOINT_SECRET=<unset>\n');
    expect(off.stderr).toBe('');
  });

  it('a program squatting the endpoint port is never sent the install secret, and is not taken for the endpoint', async () => {
    const h = await signedIn();
    // Another user's program on the port while the endpoint is stopped: it keeps what it is sent and answers like the endpoint.
    const seen: string[] = [];
    const squatter = createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ok: true, servedBy: 'app', pid: 1 }));
    });
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (squatter.address() as AddressInfo).port;
      expect((await h.runInProcess(['endpoint', 'port', String(port)])).code).toBe(0);
      const ran = await h.run(['exec', '--env', DEMO_SUPABASE, '--', 'node', '-e', '']);
      expect(ran.code, ran.stderr).toBe(0);
      const shown = JSON.parse((await h.runInProcess(['endpoint', '--json', '--show-secret'])).stdout) as { secret: string; running: boolean; portTakenByOther?: boolean };
      expect(shown).toMatchObject({ running: false, portTakenByOther: true });
      expect(seen.length).toBeGreaterThanOrEqual(2);
      for (const auth of seen) expect(auth).not.toContain(shown.secret);
      // What it did get serves nothing, even at the real endpoint.
      const serve = await startServe(h);
      serving.push(serve);
      const kept = seen[0]!.replace(/^Bearer /, '');
      expect((await call(serve.port, `/v1/token?${envQuery(DEMO_SUPABASE)}`, { secret: kept })).status).toBeGreaterThanOrEqual(401);
      expect((await call(serve.port, `/v1/token?${envQuery(DEMO_SUPABASE)}`, { secret: kept })).status).not.toBe(200);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });
});
