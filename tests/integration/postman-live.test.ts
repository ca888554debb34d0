import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { readAccessLog } from '../../src-main/core/endpoint/index.js';
import { openCore } from '../../src-main/core/open.js';
import { CLI, CliHome, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, root } from '../helpers/cli.js';
import { call } from '../helpers/endpoint-client.js';
import { freePort } from '../helpers/free-port.js';

const run = promisify(execFile);
const unreachable = await keychainUnreachable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A collection whose pre-request script is the exported one, and whose requests check the demo API's answer. */
function collection(script: string, requests: number): unknown {
  return {
    info: { name: 'TokenDesk live check', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: script.split('\n') } }],
    item: Array.from({ length: requests }, (_, i) => ({
      name: `profiles ${i + 1}`,
      request: {
        method: 'GET',
        url: '{{url}}/rest/v1/profiles',
        header: [
          { key: 'apikey', value: '{{anon_key}}' },
          { key: 'Authorization', value: 'Bearer {{user_jwt_token}}' },
        ],
      },
      event: [{ listen: 'test', script: { exec: [`pm.test('status 200', function () { pm.response.to.have.status(200); });`] } }],
    })),
  };
}

interface NewmanReport {
  run: {
    stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
    failures: { error: { message: string } }[];
  };
}

async function newman(h: CliHome, coll: unknown, envFile: string, delayMs: number): Promise<NewmanReport> {
  const collFile = join(h.work, 'live-collection.json');
  const report = join(h.work, 'live-report.json');
  writeFileSync(collFile, JSON.stringify(coll));
  await run(
    process.execPath,
    [join(root, 'node_modules/newman/bin/newman.js'), 'run', collFile, '-e', envFile, '--delay-request', String(delayMs), '--reporters', 'json', '--reporter-json-export', report, '--suppress-exit-code'],
    { timeout: 60_000 },
  ).catch((e: { stdout?: string; stderr?: string }) => {
    throw new Error(`newman failed: ${e.stderr ?? ''} ${e.stdout ?? ''}`);
  });
  return JSON.parse(readFileSync(report, 'utf8')) as NewmanReport;
}

interface Rig {
  demo: DemoServer;
  h: CliHome;
  script: string;
  envFile: string;
}

/**
 * Real time throughout (newman and `tokendesk serve` are their own processes): 6-second demo tokens
 * and a 2-second margin, so a run of a few seconds spans a renewal.
 */
async function rig(): Promise<Rig> {
  const demo = await startDemoServer({ port: 0, accessTokenTtlSeconds: 6 });
  const h = new CliHome();
  cleanups.push(() => demo.close(), () => h.cleanup());
  expect((await h.runInProcess(['demo-setup', '--url', demo.url])).code).toBe(0);
  expect((await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' })).code).toBe(0);
  await openCore({ home: h.dir }).config.update((cfg) => ({ ...cfg, settings: { ...cfg.settings, marginSeconds: 2 } }));
  const port = await freePort();
  expect((await h.runInProcess(['endpoint', 'port', String(port)])).code).toBe(0);

  const script = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'postman-script']);
  expect(script.code, script.stderr).toBe(0);
  const envFile = join(h.work, 'live.postman_environment.json');
  const live = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'postman', '--live', '-o', envFile]);
  expect(live.code, live.stderr).toBe(0);
  return { demo, h, script: script.stdout, envFile };
}

async function serve(h: CliHome): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, [CLI, 'serve'], { env: h.env(), cwd: h.work });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  for (let i = 0; i < 100 && !stdout.includes('\n'); i++) await new Promise((res) => setTimeout(res, 50));
  expect(stdout).toContain('http://127.0.0.1:');
  // A clean stop writes out the access log.
  return async () => {
    child.kill('SIGTERM');
    await exited;
  };
}

describe.skipIf(unreachable !== undefined)('Postman live export: the pre-request script and the endpoint', { timeout: 90_000 }, () => {
  it('the live environment holds the endpoint URL and a secret for this environment only (typed secret), and no token', async () => {
    const r = await rig();
    const env = JSON.parse(readFileSync(r.envFile, 'utf8')) as { values: { key: string; value: string; type: string }[] };
    const shown = JSON.parse((await r.h.runInProcess(['endpoint', '--json', '--show-secret'])).stdout) as { url: string; secret: string };
    expect(env.values).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'tokendesk_endpoint', value: shown.url, type: 'default' }),
        expect.objectContaining({ key: 'tokendesk_secret', value: expect.stringMatching(/^tdx1\./), type: 'secret' }),
      ]),
    );
    // Not the install secret, which serves every environment: Postman may sync the file to its cloud.
    const inFile = env.values.find((v) => v.key === 'tokendesk_secret')!.value;
    expect(inFile).not.toContain(shown.secret);
    const stop = await serve(r.h);
    try {
      const port = new URL(shown.url).port;
      expect((await call(Number(port), `/v1/postman?env=${encodeURIComponent(DEMO_SUPABASE)}`, { secret: inFile })).status).toBe(200);
      const other = await call(Number(port), `/v1/postman?env=${encodeURIComponent(DEMO_SESSION)}`, { secret: inFile });
      expect(JSON.parse(other.body)).toMatchObject({ code: 'out_of_scope' });
    } finally {
      await stop();
    }
    const token = (await r.h.runInProcess(['token', '--env', DEMO_SUPABASE])).stdout.trim();
    expect(token).toMatch(/^eyJ/);
    expect(readFileSync(r.envFile, 'utf8')).not.toContain(token);
    // No JWT besides the secret (whose payload is base64url JSON too, so it starts with eyJ as well).
    expect(readFileSync(r.envFile, 'utf8').replace(inFile, '')).not.toMatch(/eyJ/);
    const shared = await r.h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'postman', '--live', '--no-secrets']);
    expect(shared.stdout).toContain(shown.url);
    expect(shared.stdout).not.toContain(shown.secret);
    expect((await r.h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'json', '--live'])).stderr).toContain('--live goes with --format postman');
    expect(r.script).toContain('pm.sendRequest');
    expect(r.script).not.toContain(shown.secret);
  });

  it('newman runs requests spanning a token rotation: every one passes, and the endpoint is asked once per token, not per request', async () => {
    const r = await rig();
    const stop = await serve(r.h);
    const grantsBefore = r.demo.stats.refreshGrants;
    // 6 requests 1.5 s apart: about 8 s, past the first token's 6 s life.
    const report = await newman(r.h, collection(r.script, 6), r.envFile, 1500);
    await stop();
    expect(report.run.failures.map((f) => f.error.message)).toEqual([]);
    expect(report.run.stats.assertions).toMatchObject({ total: 6, failed: 0 });
    // The token was renewed during the run, so a stale one would have been refused by the demo API.
    expect(r.demo.stats.refreshGrants).toBeGreaterThan(grantsBefore);
    const calls = (await readAccessLog(r.h.dir)).filter((e) => e.route === '/v1/postman');
    expect(calls.every((e) => e.status === 200)).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(2); // the first token, then its renewal
    expect(calls.length).toBeLessThan(6);
    // newman counts the script's own requests too: the 6 to the demo API, then one per endpoint call.
    expect(report.run.stats.requests).toMatchObject({ total: 6 + calls.length, failed: 0 });
  });

  it('a wrong secret fails the requests with the endpoint\'s reason, and nothing reaches the demo API with a token', async () => {
    const r = await rig();
    const stop = await serve(r.h);
    const requestsBefore = r.demo.stats.requests;
    const env = JSON.parse(readFileSync(r.envFile, 'utf8')) as { values: { key: string; value: string }[] };
    for (const v of env.values) if (v.key === 'tokendesk_secret') v.value = 'wrong';
    writeFileSync(r.envFile, JSON.stringify(env));
    const report = await newman(r.h, collection(r.script, 2), r.envFile, 1);
    await stop();
    const messages = report.run.failures.map((f) => f.error.message);
    expect(messages).toEqual(Array(2).fill(`TokenDesk: the endpoint answered 401 for "${DEMO_SUPABASE}": Unauthorized`));
    // Skipped, not sent with an empty token: the only requests newman made were to the endpoint.
    expect(report.run.stats.requests.total).toBe(2);
    expect(r.demo.stats.requests).toBe(requestsBefore);
  });
});
