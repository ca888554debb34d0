import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, CliHome, DEMO_SESSION, DEMO_SUPABASE, collect, keychainUnreachable } from '../helpers/cli.js';
import { startDemoServerCli } from '../helpers/demo-server-cli.js';
import { signalsMissing, skipping, thisMachine } from '../helpers/platform-guards.js';

const unreachable = await keychainUnreachable();
const noSignals = skipping('the SIGTERM test', signalsMissing(thisMachine()));
const homes: CliHome[] = [];
afterEach(async () => {
  for (const h of homes.splice(0)) await h.cleanup();
});

describe.skipIf(unreachable !== undefined)('tokendesk demo-server and demo-setup', { timeout: 60_000 }, () => {
  it.skipIf(noSignals !== undefined)('runs in the foreground, prints its URL and the demo credentials, sets up both environments, stops on SIGTERM', async () => {
    const h = new CliHome();
    homes.push(h);
    const { out, child, done } = await startDemoServerCli(h, ['--port', '0', '--token-ttl', '600', '--setup']);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    expect(out).toContain('owner@connectgain.test');
    expect(out).toContain('demo-password');
    expect(out).toContain('test@test.com');
    expect(out).toContain(`Environment "${DEMO_SUPABASE}" (supabase) → ${url}`);

    const login = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' });
    expect(login.code, login.stderr).toBe(0);
    const status = JSON.parse((await h.runInProcess(['status', '--json', '--env', DEMO_SUPABASE])).stdout) as { environments: { identities: { expiresInSeconds: number }[] }[] };
    expect(status.environments[0]!.identities[0]!.expiresInSeconds).toBeLessThanOrEqual(600);
    const s = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'test@test.com'], { input: 'stringstring\n' });
    expect(s.code, s.stderr).toBe(0);

    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(0);
  });

  it('demo-setup re-points existing demo environments instead of duplicating them', async () => {
    const h = new CliHome();
    homes.push(h);
    expect((await h.runInProcess(['demo-setup', '--url', 'http://127.0.0.1:1111'])).code).toBe(0);
    const again = await h.runInProcess(['demo-setup', '--url', 'http://127.0.0.1:2222/']);
    expect(again.code).toBe(0);
    const list = JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout) as { name: string; url: string }[];
    expect(list).toEqual([
      expect.objectContaining({ name: DEMO_SUPABASE, url: 'http://127.0.0.1:2222' }),
      expect.objectContaining({ name: DEMO_SESSION, url: 'http://127.0.0.1:2222' }),
      expect.objectContaining({ name: 'Demo token API', url: 'http://127.0.0.1:2222' }),
      // The OpenID issuer is mounted at /oidc on the same server: its environments move with it.
      expect.objectContaining({ name: 'Demo OpenID Connect', url: 'http://127.0.0.1:2222/oidc' }),
      expect.objectContaining({ name: 'Demo OpenID machine', url: 'http://127.0.0.1:2222/oidc' }),
    ]);
  });

  it('reports a busy port in one line', async () => {
    const h = new CliHome();
    homes.push(h);
    const first = spawn(process.execPath, [CLI, 'demo-server', '--port', '0'], { env: h.env() });
    const firstDone = collect(first, { timeoutMs: 30_000 });
    const port = await new Promise<string>((resolve) => {
      let out = '';
      first.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /:(\d+)\n/.exec(out);
        if (m) resolve(m[1]!);
      });
    });
    const second = await h.run(['demo-server', '--port', port]);
    first.kill('SIGTERM');
    await firstDone;
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toContain(`Port ${port} is already in use`);
  });
});
