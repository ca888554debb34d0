import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../src-main/core/open.js';
import { DEMO_ANON_KEY, DEMO_API_KEY } from '../../src-main/core/demo-server/users.js';
import { cliFixture, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, onTerminal, type CliHome } from '../helpers/cli.js';
import { startHostileAuthServer, type HostileAuthServer } from '../helpers/hostile-auth-server.js';

const unreachable = await keychainUnreachable();
const { demo, signedIn, newHome, demoHome } = cliFixture({ demo: true });

/** A server that would happily renew any session: the new origin, which must never see a stored secret. */
let other: HostileAuthServer;
beforeAll(async () => {
  other = await startHostileAuthServer();
});
afterAll(async () => {
  await other.close();
});

interface StatusDoc {
  name: string;
  url: string;
  identities: Array<{ email: string; state: string; lastError: string | null }>;
}
async function statusOf(h: CliHome, env: string): Promise<StatusDoc> {
  const r = await h.runInProcess(['status', '--env', env, '--json']);
  return (JSON.parse(r.stdout) as { environments: StatusDoc[] }).environments[0]!;
}

/** The stored secrets of the env's active identity, read as the app would (to look for them at the new server). */
async function storedSecrets(h: CliHome, env: string): Promise<string[]> {
  const core = openCore({ home: h.dir });
  const fresh = await core.sessions.getFreshToken(env);
  const password = await core.secrets.get(`identity/${fresh.identity.id}/password` as never);
  return [fresh.session.accessToken, fresh.session.refreshToken, password].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/**
 * Two hours later (an injected clock, no sleep): every stored session is due for renewal. Asks for a
 * token as `tokendesk token` would; on the old code this POSTed the refresh token (or the remembered
 * password) to whatever URL the environment had by then.
 */
async function renewLater(h: CliHome, env: string): Promise<unknown> {
  const later = Date.now() + 9 * 3600_000;
  const core = openCore({ home: h.dir, now: () => later, retryDeadlineMs: 0 });
  return core.sessions.getFreshToken(env).then(
    () => 'renewed',
    (e: unknown) => e,
  );
}

function sentToOther(secrets: readonly string[]): string[] {
  const seen = JSON.stringify(other.requests);
  return secrets.filter((s) => seen.includes(s));
}

describe.skipIf(unreachable !== undefined)('an environment moved to another server', { timeout: 90_000 }, () => {
  it('env edit --url to another origin signs the identities out, revokes at the old server and never sends a secret to the new one', async () => {
    const h = await signedIn();
    const remember = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'restricted@test.com', '--remember'], { input: 'stringstring\n' });
    expect(remember.code, remember.stderr).toBe(0);
    const secrets = [...(await storedSecrets(h, DEMO_SUPABASE)), ...(await storedSecrets(h, DEMO_SESSION))];
    expect(secrets).toContain('stringstring');
    // A new path on the same server keeps the sessions (and says nothing about servers).
    const samePlace = await h.runInProcess(['env', 'edit', DEMO_SESSION, '--url', `${demo().url}/v2`]);
    expect(samePlace.code, samePlace.stderr).toBe(0);
    expect(samePlace.stderr).toBe('');
    expect((await statusOf(h, DEMO_SESSION)).identities[0]).toMatchObject({ state: 'signed-in', lastError: null });
    // And back (the demo serves no /v2): the same server again, still signed in.
    expect((await h.runInProcess(['env', 'edit', DEMO_SESSION, '--url', demo().url])).stderr).toBe('');
    expect((await statusOf(h, DEMO_SESSION)).identities[0]).toMatchObject({ state: 'signed-in', lastError: null });

    const logouts = demo().stats.logouts;
    other.requests.length = 0;

    for (const env of [DEMO_SUPABASE, DEMO_SESSION]) {
      const r = await h.runInProcess(['env', 'edit', env, '--url', other.url]);
      expect(r.code, r.stderr).toBe(0);
      // Said before it happens, on stderr; what happened on stdout.
      expect(r.stderr).toContain(`Changing the URL of "${env}" from ${demo().url} to ${other.url} moves it to another server`);
      expect(r.stderr).toMatch(/will be signed out .*no token or password is sent to/);
      expect(r.stdout).toMatch(/Signed out \(the environment moved to another server\): (owner@connectgain\.test|restricted@test\.com)/);
    }
    // Each session ended at the server that issued it.
    expect(demo().stats.logouts).toBe(logouts + 2);

    for (const env of [DEMO_SUPABASE, DEMO_SESSION]) {
      const st = await statusOf(h, env);
      expect(st.url).toBe(other.url);
      expect(st.identities[0]).toMatchObject({ state: 'signed-out', lastError: expect.stringContaining(`changed from ${demo().url} to ${other.url}: sign in again`) });
      expect(await renewLater(h, env)).toMatchObject({ code: 'not_signed_in' });
    }
    expect(sentToOther(secrets)).toEqual([]);
    expect(other.requests).toEqual([]);
    expect(h.folderText()).not.toContain('stringstring');

    // Signing in again at the new server works as for any environment.
    const again = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'restricted@test.com'], { input: 'stringstring\n' });
    expect(again.code, again.stderr).toBe(0);
    expect((await statusOf(h, DEMO_SESSION)).identities[0]).toMatchObject({ state: 'signed-in', lastError: null });
  });

  it('the keys given for the old server do not follow it: anon key, API key and secret variables are removed unless the edit gives new ones', async () => {
    const h = await demoHome();
    const dbPass = 'hunter2-of-the-old-server';
    expect((await h.runInProcess(['env', 'edit', DEMO_SUPABASE, '--var', `db_pass=${dbPass}`])).code).toBe(0);
    const old = [DEMO_ANON_KEY, DEMO_API_KEY, dbPass];
    other.requests.length = 0;

    const r = await h.runInProcess(['env', 'edit', DEMO_SUPABASE, '--url', other.url]);
    expect(r.code, r.stderr).toBe(0);
    // Said before it happens, naming each key.
    expect(r.stderr).toContain(`its stored anon key, API key (X-API-Key) and secret variable "db_pass" will be removed (enter them again for ${other.url})`);
    // The next sign-in at the new host has no old anon key to send: it asks for the new one.
    const login = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' });
    expect(login.code).not.toBe(0);
    expect(login.stderr).toContain(`has no anon key stored: enter it with Edit in the app, or tokendesk env edit "${DEMO_SUPABASE}" --anon-key -`);
    // Nothing stored for the old server is handed out for the new one either.
    // (Nobody is signed in there now, so the export exits 4 like `token`, issue 25, and still writes the rest.)
    const exported = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'dotenv']);
    expect(exported.code, exported.stderr).toBe(4);
    expect(exported.stdout).toContain(other.url);
    for (const secret of old) expect(exported.stdout).not.toContain(secret);

    // Given in the same edit, a key stays (the new value); the others are still gone.
    const fresh = await h.runInProcess(['env', 'edit', DEMO_SUPABASE, '--anon-key', other.anonKey]);
    expect(fresh.code, fresh.stderr).toBe(0);
    const again = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' });
    expect(again.code, again.stderr).toBe(0);
    expect(other.requests.map((q) => q.headers.apikey)).toContain(other.anonKey);
    expect(sentToOther(old)).toEqual([]);

    // demo-setup moves it back and gives the demo's keys again: signing in there works.
    const setup = await h.runInProcess(['demo-setup', '--url', demo().url]);
    expect(setup.code, setup.stderr).toBe(0);
    const home = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' });
    expect(home.code, home.stderr).toBe(0);
  });

  it('an old server that cannot be reached does not block the move: the sessions end here, and it says so', async () => {
    const old = await startHostileAuthServer();
    const h = newHome();
    expect((await h.runInProcess(['env', 'add', 'gone', '--provider', 'session', '--url', old.url])).code).toBe(0);
    const login = await h.runInProcess(['login', '--env', 'gone', '--email', 'dev@example.test'], { input: 'pw-that-stays-here\n' });
    expect(login.code, login.stderr).toBe(0);
    await old.close();
    other.requests.length = 0;

    const r = await h.runInProcess(['env', 'edit', 'gone', '--url', other.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`The session of dev@example.test could not be ended at ${old.url}`);
    expect(await statusOf(h, 'gone')).toMatchObject({ url: other.url, identities: [{ state: 'signed-out' }] });
    expect(other.requests).toEqual([]);
  });

  it('a production environment moves only with --yes in a pipe (exit 2 and nothing changed without it)', async () => {
    const h = newHome();
    expect((await h.runInProcess(['env', 'add', 'prod', '--provider', 'session', '--url', demo().url, '--production'])).code).toBe(0);
    expect((await h.runInProcess(['login', '--env', 'prod', '--email', 'restricted@test.com', '--remember'], { input: 'stringstring\n' })).code).toBe(0);
    other.requests.length = 0;

    const refused = await h.run(['env', 'edit', 'prod', '--url', other.url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"prod" is a production environment: confirm with --yes');
    expect(refused.stderr).toContain('nothing was changed');
    expect(await statusOf(h, 'prod')).toMatchObject({ url: demo().url, identities: [{ state: 'signed-in' }] });

    const moved = await h.run(['env', 'edit', 'prod', '--url', other.url, '--yes']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(await statusOf(h, 'prod')).toMatchObject({ url: other.url, identities: [{ state: 'signed-out' }] });
    expect(await renewLater(h, 'prod')).toMatchObject({ code: 'not_signed_in' });
    expect(other.requests).toEqual([]);
  });

  it('an import that changes an existing environment\'s URL names it and asks: refused in a pipe, then with --yes signed out and nothing sent', async () => {
    const h = await signedIn();
    const secrets = await storedSecrets(h, DEMO_SUPABASE);
    const file = join(h.work, 'moved.postman_environment.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: DEMO_SUPABASE,
        values: [
          { key: 'url', value: other.url, enabled: true },
          { key: 'anon_key', value: other.anonKey, type: 'secret', enabled: true },
        ],
      }),
    );
    other.requests.length = 0;

    const refused = await h.runInProcess(['import', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`The file would update the existing environment "${DEMO_SUPABASE}"`);
    expect(refused.stderr).toContain(`from ${demo().url} to ${other.url} moves it to another server: its identity owner@connectgain.test will be signed out`);
    expect(refused.stderr).toContain('confirm with --yes');
    expect(await statusOf(h, DEMO_SUPABASE)).toMatchObject({ url: demo().url, identities: [{ state: 'signed-in' }] });

    // On a terminal it asks; "no" changes nothing.
    const declined = await onTerminal(h.env(), ['import', file], [['Import it and change the URL\\? \\[y/N\\] ', 'n\r']]);
    expect(declined.unanswered).toEqual([]);
    expect(declined.output).toContain(`The file would update the existing environment "${DEMO_SUPABASE}"`);
    expect(declined.output).toContain('Nothing was changed.');
    expect(declined.code).toBe(1);
    expect(await statusOf(h, DEMO_SUPABASE)).toMatchObject({ url: demo().url, identities: [{ state: 'signed-in' }] });

    const logouts = demo().stats.logouts;
    const yes = await h.runInProcess(['import', file, '--yes']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toContain('Signed out (the environment moved to another server): owner@connectgain.test');
    expect(demo().stats.logouts).toBe(logouts + 1);
    expect(await statusOf(h, DEMO_SUPABASE)).toMatchObject({ url: other.url, identities: [{ state: 'signed-out', lastError: expect.stringContaining('changed from') }] });
    expect(await renewLater(h, DEMO_SUPABASE)).toMatchObject({ code: 'not_signed_in' });
    expect(sentToOther(secrets)).toEqual([]);
    expect(other.requests).toEqual([]);
  });
});
