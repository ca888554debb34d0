import { afterEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { movableClock } from '../helpers/clock.js';
import { CliHome, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, stderrLines } from '../helpers/cli.js';

const unreachable = await keychainUnreachable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(now?: () => number): Promise<{ demo: DemoServer; h: CliHome }> {
  const demo = await startDemoServer({ port: 0, ...(now && { now }) });
  const h = new CliHome();
  cleanups.push(() => demo.close().catch(() => undefined), () => h.cleanup());
  expect((await h.runInProcess(['demo-setup', '--url', demo.url])).code).toBe(0);
  expect((await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n', ...(now && { now }) })).code).toBe(0);
  return { demo, h };
}

describe.skipIf(unreachable !== undefined)('tokendesk refresh: a renewal now', { timeout: 90_000 }, () => {
  it('renews a token that still has most of its life, once per call, and the new one is handed out after', async () => {
    // JWTs carry whole seconds: the clock moves 5 s between renewals, so each new token differs.
    const clock = movableClock();
    const { demo, h } = await setup(clock.now);
    const run = (args: string[]) => h.runInProcess(args, { now: clock.now });
    const before = (await run(['token', '--env', DEMO_SUPABASE])).stdout.trim();
    clock.advance(5000);
    const r = await run(['refresh', '--env', DEMO_SUPABASE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Renewed the session of owner@connectgain\.test in "Demo Supabase": the new token is valid until .* \(in (1 h|59 min|60 min)\)\n$/);
    expect(demo.stats.refreshGrants).toBe(1);
    const after = (await run(['token', '--env', DEMO_SUPABASE])).stdout.trim();
    expect(after).not.toBe(before);
    // Renewing again renews again (the rotated refresh token is the one stored).
    clock.advance(5000);
    expect((await run(['refresh', '--env', DEMO_SUPABASE])).code).toBe(0);
    expect(demo.stats.refreshGrants).toBe(2);
    expect((await run(['token', '--env', DEMO_SUPABASE])).stdout.trim()).not.toBe(after);
  });

  it('fails with the reason, and keeps the session, when the server cannot be reached or the session cannot renew itself', async () => {
    const { demo, h } = await setup();
    const token = (await h.runInProcess(['token', '--env', DEMO_SUPABASE])).stdout.trim();

    // A session API identity without a remembered password cannot renew itself: said, exit 1.
    expect((await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'test@test.com'], { input: 'stringstring\n' })).code).toBe(0);
    const cannot = await h.runInProcess(['refresh', '--env', DEMO_SESSION]);
    expect(cannot.code).toBe(1);
    expect(stderrLines(cannot)).toHaveLength(1);
    expect(cannot.stderr).toMatch(/^tokendesk: The session of test@test\.com cannot be renewed without a remembered password; it expires at /);

    await demo.close();
    const down = await h.runInProcess(['refresh', '--env', DEMO_SUPABASE]);
    expect(down.code).toBe(1);
    expect(stderrLines(down)).toHaveLength(1);
    expect(down.stderr).toMatch(/^tokendesk: Could not renew the session of owner@connectgain\.test in "Demo Supabase": .*(refused|reach|connect)/i);
    expect(down.stdout).toBe('');
    // The session is kept: its still-valid token is handed out as before.
    const still = await h.runInProcess(['token', '--env', DEMO_SUPABASE]);
    expect(still.code).toBe(0);
    expect(still.stdout.trim()).toBe(token);

    // Nobody signed in: exit 4, like token.
    const h2 = new CliHome();
    cleanups.push(() => h2.cleanup());
    expect((await h2.runInProcess(['demo-setup', '--url', 'http://127.0.0.1:9'])).code).toBe(0);
    const none = await h2.runInProcess(['refresh', '--env', DEMO_SUPABASE]);
    expect(none.code).toBe(4);
  });
});
