import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { CLI, CliHome, collect, DEMO_SUPABASE, keychainUnreachable, type CliResult } from '../helpers/cli.js';

/**
 * kill -9 in the middle of a renewal, against a GoTrue whose REFRESH_TOKEN_REUSE_INTERVAL is 0 (the
 * code default when the platform's 10 s is not configured): a refresh token sent a second time while
 * its successor is in use revokes the whole session there. Whatever is killed and when, the session
 * must survive, no live process may wait out a dead one's lock, and no family may be revoked.
 */
const unreachable = await keychainUnreachable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ITERATIONS = Number(process.env.TOKENDESK_KILL9_ITERATIONS ?? 12);

describe.skipIf(unreachable !== undefined)('kill -9 during a renewal, reuse interval 0', { timeout: 240_000 }, () => {
  it('the session survives every kill, no family is revoked and survivors do not stall on the dead lock', async () => {
    // 3 s tokens (0.75 s margin); the answer leaves 400 ms after the token was rotated, so a kill can
    // land after the server spent the token and before the client saw its replacement.
    const demo: DemoServer = await startDemoServer({ port: 0, accessTokenTtlSeconds: 3, answerDelayMs: 400, refreshReuseIntervalSeconds: 0 });
    const h = new CliHome();
    cleanups.push(() => demo.close(), () => h.cleanup());
    expect((await h.run(['demo-setup', '--url', demo.url])).code).toBe(0);
    const login = await h.run(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' });
    expect(login.code, login.stderr).toBe(0);

    let killed = 0;
    let inFlightKills = 0;
    let slowest = 0;
    const failures: string[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      // Kept: the binaries run on the real clock, so only real time makes the renewal due for each of them.
      await sleep(2400); // inside the margin: every call below wants a renewal
      const before = demo.stats.requests;
      const victim = spawn(process.execPath, [CLI, 'token', '--env', DEMO_SUPABASE], { env: h.env(), stdio: 'ignore' });
      const victimDone = new Promise((r) => victim.once('close', r));
      const inFlight = i % 2 === 0;
      if (inFlight) {
        // Even iterations: killed while its refresh is at the server, which rotates the token after
        // the victim is gone (the worst case: the server spent it, nobody has the replacement).
        const until = Date.now() + 10_000;
        while (demo.stats.requests === before && Date.now() < until) await sleep(5);
      } else {
        // Odd ones: staggered so the kill falls while starting, reading the keychain or holding the lock.
        await sleep(40 + ((i * 97) % 400));
      }
      const started = Date.now();
      const survivors: Promise<CliResult>[] = [0, 1].map(() => collect(spawn(process.execPath, [CLI, 'token', '--env', DEMO_SUPABASE], { env: h.env() }), { timeoutMs: 60_000 }));
      await sleep(inFlight ? 60 : (i * 53) % 250);
      if (victim.kill('SIGKILL')) {
        killed++;
        if (inFlight && demo.stats.requests > before) inFlightKills++;
      }
      await victimDone;
      for (const r of await Promise.all(survivors)) {
        if (r.code !== 0) failures.push(`iteration ${i}: exit ${r.code}: ${r.stderr.trim()}`);
      }
      slowest = Math.max(slowest, Date.now() - started);
    }
    const last = await h.run(['token', '--env', DEMO_SUPABASE]);
    expect(failures).toEqual([]);
    expect(last.code, last.stderr).toBe(0);
    const curl = await h.sh(`curl -sS -f "${demo.url}/auth/v1/user" -H "apikey: ${demo.anonKey}" -H "Authorization: Bearer $(tokendesk token --env '${DEMO_SUPABASE}')"`);
    expect(curl.code, curl.stderr).toBe(0);
    expect(demo.stats.familyRevocations).toBe(0);
    // The in-flight kills really happened, and their spent tokens were recovered, not lost.
    expect(inFlightKills).toBeGreaterThanOrEqual(Math.floor(ITERATIONS / 2) - 1);
    expect(demo.stats.refreshReplays).toBeGreaterThan(0);
    // A dead holder's lock is taken over at once (its pid is gone), not after the 30 s stale timeout.
    expect(slowest).toBeLessThan(15_000);
    console.log(
      `kill -9 x${killed} (${inFlightKills} with the refresh at the server): ${demo.stats.refreshGrants} refresh grants, ${demo.stats.refreshReplays} replays recovered, ${demo.stats.familyRevocations} families revoked, slowest survivor ${slowest} ms`,
    );
  });
});
