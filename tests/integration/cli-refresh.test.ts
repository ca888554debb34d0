import { afterEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { CliHome, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, stderrLines } from '../helpers/cli.js';

const unreachable = await keychainUnreachable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(opts: Parameters<typeof startDemoServer>[0]): Promise<{ demo: DemoServer; h: CliHome }> {
  const demo = await startDemoServer({ port: 0, ...opts });
  const h = new CliHome();
  cleanups.push(() => demo.close(), () => h.cleanup());
  expect((await h.runInProcess(['demo-setup', '--url', demo.url])).code).toBe(0);
  return { demo, h };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(unreachable !== undefined)('renewal from the CLI', { timeout: 90_000 }, () => {
  it('two CLI processes renewing the same expiring session at once cause exactly one refresh', async () => {
    // 4 s tokens: the margin scales down to 1 s. The latency keeps the refresh in flight long enough
    // for the second process to arrive while the first holds the lock.
    const { demo, h } = await setup({ accessTokenTtlSeconds: 4, latencyMs: 400 });
    const login = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' });
    expect(login.code, login.stderr).toBe(0);
    const first = (await h.runInProcess(['token', '--env', DEMO_SUPABASE])).stdout.trim();
    expect(demo.stats.refreshGrants).toBe(0); // still fresh: no refresh
    await sleep(3300);

    const [a, b] = await Promise.all([h.runInProcess(['token', '--env', DEMO_SUPABASE]), h.runInProcess(['token', '--env', DEMO_SUPABASE])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(demo.stats.refreshGrants).toBe(1);
    expect(a.stdout.trim()).not.toBe(first);
    expect(b.stdout.trim()).toBe(a.stdout.trim()); // the second used the first one's result
    expect(a.stderr + b.stderr).toBe('');

    // The renewed session works against the protected endpoint.
    const curl = await h.sh(`curl -sS -f "${demo.url}/rest/v1/profiles" -H "apikey: ${demo.anonKey}" -H "Authorization: Bearer $(tokendesk token --env '${DEMO_SUPABASE}')"`);
    expect(curl.code, curl.stderr).toBe(0);
    expect(demo.stats.refreshGrants).toBe(1);
  });

  it('session API: a warning on stderr inside the margin, then exit 4 once expired; --remember renews by signing in again', async () => {
    // 12 s tokens: a 3 s margin, wide enough for a slow CLI start on a loaded machine.
    const { demo, h } = await setup({ sessionTtlSeconds: 12 });
    expect((await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'test@test.com'], { input: 'stringstring\n' })).code).toBe(0);
    expect((await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'restricted@test.com', '--remember'], { input: 'stringstring\n' })).code).toBe(0);
    const logins = demo.stats.sessionLogins;
    // Inside the ~3 s margin of a 12 s token. Its lifetime is measured against the server's Date
    // header, which has whole seconds, so locally it is 12–13 s: 10.5 s leaves 1.5–2.5 s either way.
    await sleep(10_500);

    const warned = await h.runInProcess(['token', '--env', DEMO_SESSION, '--email', 'test@test.com']);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(stderrLines(warned)).toHaveLength(1);
    expect(warned.stderr).toMatch(/^tokendesk: warning: .*cannot be renewed without a remembered password; it expires at/);
    expect(warned.stderr).not.toContain(warned.stdout.trim());

    const renewed = await h.runInProcess(['token', '--env', DEMO_SESSION, '--email', 'restricted@test.com']);
    expect(renewed.code, renewed.stderr).toBe(0);
    expect(renewed.stderr).toBe('');
    expect(demo.stats.sessionLogins).toBe(logins + 1);

    await sleep(3000);
    const expired = await h.runInProcess(['token', '--env', DEMO_SESSION, '--email', 'test@test.com']);
    expect(expired.code).toBe(4);
    expect(stderrLines(expired)).toHaveLength(1);
    expect(expired.stderr).toMatch(/^tokendesk: The session of test@test\.com in "Demo session API" expired at .*sign in again/);
    expect(expired.stdout).toBe('');
  });
});
