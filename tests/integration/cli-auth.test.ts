import { describe, expect, it } from 'vitest';
import { cliFixture, CliHome, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, stderrLines } from '../helpers/cli.js';

const unreachable = await keychainUnreachable();
const { demo: demoServer, demoHome, newHome } = cliFixture({ demo: true });


async function login(h: CliHome, env: string, email: string, password: string, extra: string[] = []) {
  return h.runInProcess(['login', '--env', env, '--email', email, ...extra], { input: `${password}\n` });
}

describe.skipIf(unreachable !== undefined)('tokendesk sign-in commands', { timeout: 60_000 }, () => {
  it('Supabase: login, token, header, status, switch, logout', async () => {
    const h = await demoHome();
    const a = await login(h, DEMO_SUPABASE, 'owner@connectgain.test', 'demo-password');
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^Signed in to "Demo Supabase" as owner@connectgain\.test \(Olive Owner\); token valid until /);
    expect(a.stderr).toBe('');
    const b = await login(h, DEMO_SUPABASE, 'agent@connectgain.test', 'demo-password');
    expect(b.code, b.stderr).toBe(0);

    // The last sign-in is active; token prints only the token.
    const token = await h.runInProcess(['token', '--env', DEMO_SUPABASE]);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(token.stderr).toBe('');
    const claims = JSON.parse(Buffer.from(token.stdout.split('.')[1]!, 'base64url').toString()) as { email: string };
    expect(claims.email).toBe('agent@connectgain.test');
    const ownerToken = (await h.runInProcess(['token', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'])).stdout.trim();
    expect(ownerToken).not.toBe(token.stdout.trim());

    const header = await h.runInProcess(['header', '--env', DEMO_SUPABASE]);
    expect(header.stdout.split('\n').filter(Boolean)).toEqual([
      `apikey: ${demoServer().anonKey}`,
      `Authorization: Bearer ${token.stdout.trim()}`,
      `X-API-Key: ${demoServer().apiKey}`,
    ]);

    const sw = await h.runInProcess(['switch', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test']);
    expect(sw.code).toBe(0);
    expect((await h.runInProcess(['token', '--env', DEMO_SUPABASE])).stdout.trim()).toBe(ownerToken);
    // TOKENDESK_ENV stands in for --env.
    expect((await h.run(['token'], { env: { TOKENDESK_ENV: DEMO_SUPABASE } })).stdout.trim()).toBe(ownerToken);

    const status = await h.runInProcess(['status', '--json']);
    expect(status.code).toBe(0);
    const doc = JSON.parse(status.stdout) as { environments: { name: string; identities: Record<string, unknown>[] }[] };
    const sb = doc.environments.find((e) => e.name === DEMO_SUPABASE)!;
    expect(sb.identities).toEqual([
      expect.objectContaining({ email: 'owner@connectgain.test', displayName: 'Olive Owner', active: true, signedIn: true, renewal: 'refresh-token' }),
      expect.objectContaining({ email: 'agent@connectgain.test', active: false, signedIn: true }),
    ]);
    expect(sb.identities[0]!.expiresInSeconds).toBeGreaterThan(3000);
    const human = await h.runInProcess(['status']);
    expect(human.stdout).toContain('* owner@connectgain.test (Olive Owner)  signed in');
    // status never prints a secret, in either form.
    for (const out of [status.stdout, human.stdout]) {
      expect(out).not.toContain(ownerToken);
      expect(out).not.toContain(token.stdout.trim());
      expect(out).not.toContain(demoServer().anonKey);
      expect(out).not.toContain(demoServer().apiKey);
      expect(out).not.toMatch(/eyJ[\w-]{10,}/);
    }
    // Nor does the config folder hold one.
    expect(h.folderText()).not.toContain(ownerToken);
    expect(h.folderText()).not.toContain('demo-password');

    const before = demoServer().stats.logouts;
    const out = await h.runInProcess(['logout', '--env', DEMO_SUPABASE]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('Signed out owner@connectgain.test');
    expect(demoServer().stats.logouts).toBe(before + 1);
    const gone = await h.runInProcess(['token', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test']);
    expect(gone.code).toBe(4);
    expect(stderrLines(gone)).toEqual(['tokendesk: owner@connectgain.test is not signed in to "Demo Supabase"']);
    // The identity stays listed until --forget.
    const forget = await h.runInProcess(['logout', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test', '--forget']);
    expect(forget.code, forget.stderr).toBe(0);
    const after = JSON.parse((await h.runInProcess(['status', '--json', '--env', DEMO_SUPABASE])).stdout) as typeof doc;
    expect(after.environments[0]!.identities.map((i) => i.email)).toEqual(['agent@connectgain.test']);
  });

  it('session API: login --remember, accounts, roles and permissions, account switch', async () => {
    const h = await demoHome();
    const r = await login(h, DEMO_SESSION, 'restricted@test.com', 'stringstring', ['--remember']);
    expect(r.code, r.stderr).toBe(0);
    const token = (await h.runInProcess(['token', '--env', DEMO_SESSION])).stdout.trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    // The demo session environment sends the active account in X-Account-Id (the primary one until chosen).
    expect((await h.runInProcess(['header', '--env', DEMO_SESSION])).stdout).toBe(`Authorization: Bearer ${token}\nX-Account-Id: 4100\n`);

    const accounts = await h.runInProcess(['account', '--env', DEMO_SESSION, '--json']);
    expect(JSON.parse(accounts.stdout)).toEqual([
      { id: '4100', name: 'Acme Corp', primary: true, active: true },
      { id: '4200', name: 'Globex', primary: false, active: false },
    ]);
    const set = await h.runInProcess(['account', '--env', DEMO_SESSION, 'globex']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('4200 (Globex)');
    const bad = await h.runInProcess(['account', '--env', DEMO_SESSION, '9999']);
    expect(bad.code).toBe(1);
    expect(stderrLines(bad)).toEqual(['tokendesk: restricted@test.com has no account 9999; accounts: 4100 (Acme Corp), 4200 (Globex)']);

    const status = JSON.parse((await h.runInProcess(['status', '--json', '--env', DEMO_SESSION])).stdout) as {
      environments: { identities: Record<string, unknown>[] }[];
    };
    expect(status.environments[0]!.identities[0]).toMatchObject({
      email: 'restricted@test.com',
      renewal: 'remembered-password',
      roles: ['viewer'],
      permissions: ['readApplications', 'exportReports'],
      permissionsFromRoles: ['readApplications'],
      accounts: [
        { id: '4100', name: 'Acme Corp', primary: true, active: false },
        { id: '4200', name: 'Globex', primary: false, active: true },
      ],
    });
    // The remembered password stays in the keychain.
    expect(h.folderText()).not.toContain('stringstring');
    expect(h.folderText()).not.toContain(token);
    const human = (await h.runInProcess(['status', '--env', DEMO_SESSION])).stdout;
    expect(human).toContain('accounts:    4100 Acme Corp (primary), *4200 Globex');
    expect(human).not.toContain(token);

    // Signup is Supabase-only.
    const su = await h.runInProcess(['signup', '--env', DEMO_SESSION, '--email', 'new@test.com'], { input: 'pw-123456\n' });
    expect(su.code).toBe(1);
    expect(stderrLines(su)).toEqual(['tokendesk: Sign-up is not available for session environments']);
  });

  it('signs up on Supabase and signs in at once', async () => {
    const h = await demoHome();
    const r = await h.runInProcess(['signup', '--env', DEMO_SUPABASE, '--email', 'fresh@example.com'], { input: 'a-long-password-1\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Signed in to "Demo Supabase" as fresh@example.com');
    expect((await h.runInProcess(['token', '--env', DEMO_SUPABASE])).code).toBe(0);
  });

  it('wrong password, unconfirmed email, empty stdin: exit 1 and one clear line, nothing stored', async () => {
    const h = await demoHome();
    const wrong = await login(h, DEMO_SUPABASE, 'owner@connectgain.test', 'not-the-password');
    expect(wrong.code).toBe(1);
    expect(stderrLines(wrong)).toEqual(['tokendesk: Invalid login credentials']);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).not.toContain('not-the-password');
    const wrongSession = await login(h, DEMO_SESSION, 'test@test.com', 'nope');
    expect(wrongSession.code).toBe(1);
    expect(stderrLines(wrongSession)).toHaveLength(1);

    const unconfirmed = await login(h, DEMO_SUPABASE, 'unconfirmed@connectgain.test', 'demo-password');
    expect(unconfirmed.code).toBe(1);
    expect(stderrLines(unconfirmed)[0]).toMatch(/^tokendesk: Email not confirmed/);

    const empty = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: '' });
    expect(empty.code).toBe(1);
    expect(stderrLines(empty)).toEqual([expect.stringMatching(/^tokendesk: No password: standard input is empty and not a terminal; /)]);

    const nobody = await h.runInProcess(['token', '--env', DEMO_SUPABASE]);
    expect(nobody.code).toBe(4);
    expect(stderrLines(nobody)).toEqual(['tokendesk: Nobody is signed in to "Demo Supabase": sign in first']);
    const status = JSON.parse((await h.runInProcess(['status', '--json'])).stdout) as { environments: { identities: unknown[] }[] };
    expect(status.environments.every((e) => e.identities.length === 0)).toBe(true);
  });

  it('the password is never taken from an argument', async () => {
    const h = await demoHome();
    const r = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test', '--password', 'demo-password']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--password'");
  });

  it('server unreachable: one clear line', async () => {
    const h = newHome();
    await h.runInProcess(['env', 'add', 'down', '--provider', 'session', '--url', 'http://127.0.0.1:9']);
    const r = await login(h, 'down', 'test@test.com', 'stringstring');
    expect(r.code).toBe(1);
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(/^tokendesk: .*(refused|reach|connect)/i);
  });
});
