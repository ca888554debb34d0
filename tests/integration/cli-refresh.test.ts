import { afterEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { CliHome, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, stderrLines } from '../helpers/cli.js';
import { movableClock } from '../helpers/clock.js';

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

describe.skipIf(unreachable !== undefined)('renewal from the CLI', { timeout: 90_000 }, () => {
  it('two CLI processes renewing the same expiring session at once cause exactly one refresh', async () => {
    // 10 min tokens: a 120 s margin, reached by moving the CLI's clock 500 s on. The latency keeps the
    // refresh in flight long enough for the second run to arrive while the first holds the lock.
    // The server shares the clock, so the renewed token is signed 500 s later than the first one.
    const clock = movableClock();
    const { demo, h } = await setup({ accessTokenTtlSeconds: 600, latencyMs: 400, now: clock.now });
    const login = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n', now: clock.now });
    expect(login.code, login.stderr).toBe(0);
    const first = (await h.runInProcess(['token', '--env', DEMO_SUPABASE], { now: clock.now })).stdout.trim();
    expect(demo.stats.refreshGrants).toBe(0); // still fresh: no refresh
    clock.advance(500_000);

    const token = () => h.runInProcess(['token', '--env', DEMO_SUPABASE], { now: clock.now });
    const [a, b] = await Promise.all([token(), token()]);
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
    // 10 min sessions: a 120 s margin. The CLI's clock moves instead of the test sleeping, by whole
    // minutes, so the Date header's whole seconds (a lifetime of 600–601 s here) cannot matter.
    const clock = movableClock();
    const { demo, h } = await setup({ sessionTtlSeconds: 600, now: clock.now });
    const run = (args: string[], input?: string) => h.runInProcess(args, { now: clock.now, ...(input !== undefined && { input }) });
    expect((await run(['login', '--env', DEMO_SESSION, '--email', 'test@test.com'], 'stringstring\n')).code).toBe(0);
    expect((await run(['login', '--env', DEMO_SESSION, '--email', 'restricted@test.com', '--remember'], 'stringstring\n')).code).toBe(0);
    const logins = demo.stats.sessionLogins;
    clock.advance(500_000); // about 100 s left: inside the margin

    const warned = await run(['token', '--env', DEMO_SESSION, '--email', 'test@test.com']);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(stderrLines(warned)).toHaveLength(1);
    expect(warned.stderr).toMatch(/^tokendesk: warning: .*cannot be renewed without a remembered password; it expires at/);
    expect(warned.stderr).not.toContain(warned.stdout.trim());

    const renewed = await run(['token', '--env', DEMO_SESSION, '--email', 'restricted@test.com']);
    expect(renewed.code, renewed.stderr).toBe(0);
    expect(renewed.stderr).toBe('');
    expect(demo.stats.sessionLogins).toBe(logins + 1);

    clock.advance(200_000); // 100 s past its end
    const expired = await run(['token', '--env', DEMO_SESSION, '--email', 'test@test.com']);
    expect(expired.code).toBe(4);
    expect(stderrLines(expired)).toHaveLength(1);
    expect(expired.stderr).toMatch(/^tokendesk: The session of test@test\.com in "Demo session API" expired at .*sign in again/);
    expect(expired.stdout).toBe('');
  });
});
