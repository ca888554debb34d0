import { describe, expect, it } from 'vitest';
import { startDemoServer } from '../../src-main/core/demo-server/index.js';
import { CliHome, DEMO_SUPABASE, keychainUnreachable } from '../helpers/cli.js';
import { movableClock } from '../helpers/clock.js';
import { mountTmpfs, tmpfsUnavailable } from '../helpers/tmpfs.js';

const unavailable = tmpfsUnavailable() ?? (await keychainUnreachable());

/**
 * A config folder on its own tmpfs, signed in to the demo Supabase (`agoMs` ago: in process, with the
 * core's clock set back, so no test sleeps until a renewal is due), then remounted read-only.
 */
async function signedInOnReadOnlyTmpfs(opts: Parameters<typeof startDemoServer>[0], agoMs?: number) {
  const demo = await startDemoServer({ port: 0, ...opts });
  const h = new CliHome();
  const fs = mountTmpfs(h.dir, 'size=256k,mode=0700');
  expect((await h.run(['demo-setup', '--url', demo.url])).code).toBe(0);
  const args = ['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'];
  const input = 'demo-password\n';
  const login = agoMs === undefined ? await h.run(args, { input }) : await h.runInProcess(args, { input, now: movableClock(-agoMs).now });
  expect(login.code, login.stderr).toBe(0);
  fs.remount('ro');
  return { demo, h, fs };
}

// The red team's case: logout in a read-only folder waited 40 s on a lock that could never be
// created, then blamed "another TokenDesk process". It must say what is wrong, at once.
describe.skipIf(unavailable !== undefined)('a read-only configuration folder', () => {
  it('logout fails at once naming the folder and EROFS; token and status still read; the session is still there once the folder is writable', async () => {
    const { demo, h, fs } = await signedInOnReadOnlyTmpfs({});
    try {
      const started = Date.now();
      const out = await h.run(['logout', '--env', DEMO_SUPABASE]);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain(`The configuration folder ${h.dir} is read-only (EROFS`);
      expect(out.stderr).not.toMatch(/another TokenDesk process/i);
      // Reading needs no write: a valid token and the status still come out of a read-only folder.
      const readOnlyToken = await h.run(['token', '--env', DEMO_SUPABASE]);
      expect(readOnlyToken.code, readOnlyToken.stderr).toBe(0);
      expect(readOnlyToken.stdout).toMatch(/^eyJ/);
      const status = await h.run(['status']);
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toContain('owner@connectgain.test');
      fs.remount('rw');
      const token = await h.run(['token', '--env', DEMO_SUPABASE]);
      expect(token.code, token.stderr).toBe(0);
    } finally {
      fs.unmount();
      await h.cleanup();
      await demo.close();
    }
  }, 60_000);
});

describe.skipIf(unavailable !== undefined)('a renewal due in a read-only configuration folder', () => {
  it('hands out the still-valid token with the reason on stderr instead of failing', async () => {
    // A 10 min token signed in 500 s ago: inside its 120 s margin, about 100 s left.
    const { demo, h, fs } = await signedInOnReadOnlyTmpfs({ accessTokenTtlSeconds: 600 }, 500_000);
    try {
      const token = await h.run(['token', '--env', DEMO_SUPABASE]);
      expect(token.code, token.stderr).toBe(0);
      expect(token.stdout).toMatch(/^eyJ/);
      expect(token.stderr).toMatch(/^tokendesk: warning: Could not renew the session \(The configuration folder .* is read-only \(EROFS/);
      expect(demo.stats.refreshGrants).toBe(0); // nothing was spent that could not be stored
    } finally {
      fs.unmount();
      await h.cleanup();
      await demo.close();
    }
  }, 60_000);
});
