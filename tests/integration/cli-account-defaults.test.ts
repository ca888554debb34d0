import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFixture, CliHome, DEMO_SESSION, keychainUnreachable, stderrLines } from '../helpers/cli.js';

const unreachable = await keychainUnreachable();
const { demo: demoServer, demoHome, newHome } = cliFixture({ demo: true });

type App = { name: string; accountId: string };

/** restricted@test.com signed in to the demo session API, with Globex (4200) chosen over Acme (4100, primary). */
async function globexHome(): Promise<CliHome> {
  return globexSignIn(await demoHome());
}

async function globexSignIn(h: CliHome): Promise<CliHome> {
  const login = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'restricted@test.com', '--no-remember'], { input: 'stringstring\n' });
  expect(login.code, login.stderr).toBe(0);
  const pick = await h.runInProcess(['account', '--env', DEMO_SESSION, 'Globex']);
  expect(pick.code, pick.stderr).toBe(0);
  return h;
}

/** The demo server's protected endpoint, with header lines as a copy or `tokendesk header` gives them. */
async function applications(lines: string, url = `${demoServer().url}/api/applications`): Promise<App[]> {
  const headers = Object.fromEntries(lines.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
  const r = await fetch(url, { headers });
  expect(r.status).toBe(200);
  return (await r.json()) as App[];
}

describe.skipIf(unreachable !== undefined)('the chosen account travels, and the CLI finds its environment', { timeout: 60_000 }, () => {
  it('header, curl and exec all carry Globex: the protected endpoint answers with Globex, not Acme', async () => {
    const h = await globexHome();

    const header = await h.runInProcess(['header', '--env', DEMO_SESSION]);
    expect(header.stdout).toMatch(/\nX-Account-Id: 4200\n$/);
    expect((await applications(header.stdout)).map((a) => a.name)).toEqual(['Globex Payroll', 'Globex Intranet']);

    // The curl line, run as a user would paste it.
    const curl = await h.runInProcess(['export', '--env', DEMO_SESSION, '--format', 'curl', '--path', '/api/applications']);
    expect(curl.stdout).toContain(`-H 'X-Account-Id: 4200'`);
    const ran = await h.sh(`${curl.stdout.trim()} --silent --fail`);
    expect(ran.code, ran.stderr).toBe(0);
    expect((JSON.parse(ran.stdout) as App[]).every((a) => a.accountId === '4200')).toBe(true);

    // exec: the child gets every header line, the account included.
    const script = `fetch(process.env.TOKENDESK_URL + '/api/applications', { headers: Object.fromEntries(process.env.TOKENDESK_HEADERS.split('\\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()])) }).then((r) => r.json()).then((a) => console.log(JSON.stringify({ apps: a, account: process.env.TOKENDESK_ACCOUNT_HEADER })))`;
    const exec = await h.run(['exec', '--env', DEMO_SESSION, '--', process.execPath, '-e', script]);
    expect(exec.code, exec.stderr).toBe(0);
    const got = JSON.parse(exec.stdout) as { apps: App[]; account: string };
    expect(got.account).toBe('X-Account-Id: 4200');
    expect(got.apps.map((a) => a.accountId)).toEqual(['4200', '4200']);

    // Switching back is just as effective.
    await h.runInProcess(['account', '--env', DEMO_SESSION, '4100']);
    expect((await applications((await h.runInProcess(['header', '--env', DEMO_SESSION])).stdout)).map((a) => a.name)).toEqual(['Acme CRM']);
  });

  it('as a query parameter when the environment says so (env edit --account-query)', async () => {
    const h = await globexHome();
    const edit = await h.runInProcess(['env', 'edit', DEMO_SESSION, '--account-query', 'accountId']);
    expect(edit.code, edit.stderr).toBe(0);
    expect(edit.stdout).toContain('The active account is query parameter accountId');
    const header = await h.runInProcess(['header', '--env', DEMO_SESSION]);
    expect(header.stdout).not.toContain('X-Account-Id');
    const curl = await h.runInProcess(['export', '--env', DEMO_SESSION, '--format', 'curl', '--path', '/api/applications']);
    expect(curl.stdout).toContain('/api/applications?accountId=4200');
    const ran = await h.sh(`${curl.stdout.trim()} --silent --fail`);
    expect((JSON.parse(ran.stdout) as App[]).map((a) => a.accountId)).toEqual(['4200', '4200']);
    const shown = JSON.parse((await h.runInProcess(['env', 'show', DEMO_SESSION, '--json'])).stdout) as { accountTransport: unknown };
    expect(shown.accountTransport).toEqual({ kind: 'query', name: 'accountId' });
  });

  it('env use sets the default, so token works bare; without one, a single line names the fix (exit 2)', async () => {
    const h = await demoHome();
    const bare = await h.runInProcess(['token']);
    expect(bare.code).toBe(2);
    expect(stderrLines(bare)).toEqual([
      'tokendesk: which environment? Pass --env NAME, or set a default with "tokendesk env use NAME" (known: Demo Supabase, Demo session API, Demo token API, Demo OpenID Connect, Demo OpenID machine)',
    ]);
    await globexSignIn(h);
    const use = await h.runInProcess(['env', 'use', DEMO_SESSION]);
    expect(use.code, use.stderr).toBe(0);
    const token = await h.runInProcess(['token']);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect((await h.runInProcess(['env', 'use'])).stdout).toContain(`Default environment: "${DEMO_SESSION}"`);
    // --env still wins, and removing the environment clears the default.
    expect((await h.runInProcess(['token', '--env', 'Demo Supabase'])).code).toBe(4);
    // The only environment left is the default without being set (issue 25): nobody is signed in there.
    await h.runInProcess(['env', 'remove', DEMO_SESSION]);
    for (const other of ['Demo token API', 'Demo OpenID Connect', 'Demo OpenID machine']) await h.runInProcess(['env', 'remove', other]);
    const only = await h.runInProcess(['token']);
    expect(only.code).toBe(4);
    expect(stderrLines(only)[0]).toMatch(/^tokendesk: Nobody is signed in to "Demo Supabase"/);
  });

  it('status: exit 4 when the environment shown has nobody signed in; ✓ ✗ and colour only on request; long lists summarised', async () => {
    const h = await demoHome();
    const none = await h.runInProcess(['status', '--env', DEMO_SESSION]);
    expect(none.code).toBe(4);
    expect(none.stdout).toContain('nobody signed in');
    expect(stderrLines(none)).toEqual([`tokendesk: nobody is signed in to "${DEMO_SESSION}": sign in with: tokendesk login --env "${DEMO_SESSION}"`]);

    await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'many@test.com', '--no-remember'], { input: 'stringstring\n' });
    const piped = await h.runInProcess(['status', '--env', DEMO_SESSION]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).not.toContain('\u001b[');
    expect(piped.stdout).not.toMatch(/[✓✗]/);
    expect(piped.stdout).toMatch(/permissions: readApplications, benchPermission0002, .* … \(12 of 5,000 — see --json\)/);
    const forced = await h.runInProcess(['status', '--env', DEMO_SESSION], { env: { CLICOLOR_FORCE: '1' } });
    expect(forced.stdout).toContain('✓');
    expect(forced.stdout).toContain('\u001b[32msigned in\u001b[0m');
    const noColor = await h.runInProcess(['status', '--env', DEMO_SESSION], { env: { CLICOLOR_FORCE: '1', NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
    expect(noColor.stdout).not.toContain('✓');
  });

  it('login without --email in a pipe fails in one line instead of hanging', async () => {
    const h = await demoHome();
    const r = await h.runInProcess(['login', '--env', DEMO_SESSION], { input: 'stringstring\n', timeoutMs: 10_000 });
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toEqual(['tokendesk: login needs --email EMAIL (nothing is asked when standard input is not a terminal)']);
  });
});

describe.skipIf(unreachable !== undefined)('env URL rules, imports and help', { timeout: 60_000 }, () => {
  it('refuses a URL with a password (a secret) and a path the provider adds itself, storing nothing', async () => {
    const h = await newHome();
    const userinfo = await h.runInProcess(['env', 'add', 'x', '--provider', 'session', '--url', 'https://me:hunter2@api.example.com']);
    expect(userinfo.code).toBe(2);
    expect(userinfo.stderr).toMatch(/user name or password.*That is a secret/);
    expect(userinfo.stderr).not.toContain('hunter2');
    const rest = await h.runInProcess(['env', 'add', 'y', '--provider', 'supabase', '--url', 'https://abc.supabase.co/rest/v1', '--anon-key', 'sb_publishable_abc']);
    expect(rest.code).toBe(2); // a bad value, like the password above (issue 25)
    expect(stderrLines(rest)).toEqual([
      'tokendesk: Invalid environment: URL: the URL ends in /rest/v1: give the project URL: TokenDesk adds /auth/v1 (and requests add /rest/v1) itself, e.g. https://abc.supabase.co',
    ]);
    const badKey = await h.runInProcess(['env', 'add', 'z', '--provider', 'supabase', '--url', 'https://abc.supabase.co', '--anon-key', 'not-a-key']);
    expect(stderrLines(badKey)[0]).toMatch(/anon key: an anon key is a JWT/);
    expect(JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout)).toEqual([]);
    expect(h.folderText()).not.toContain('hunter2');
  });

  it('import keeps accountId, says the empty secrets once and quietly, and re-importing the export updates instead of duplicating', async () => {
    const h = await newHome();
    const file = join(h.work, 'local.postman_environment.json');
    writeFileSync(file, JSON.stringify({
      id: '0f6a3c7e-1111-4222-8333-944455556666',
      name: 'local',
      values: [
        { key: 'url', value: 'http://localhost:3000', type: 'default', enabled: true },
        { key: 'token', value: '', type: 'secret', enabled: true },
        { key: 'accountId', value: '4200', type: 'default', enabled: true },
        { key: 'api_key', value: '', type: 'secret', enabled: true },
        { key: 'client_secret', value: '', type: 'secret', enabled: true },
      ],
      _postman_variable_scope: 'environment',
    }));
    const r = await h.runInProcess(['import', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(stderrLines(r)).toEqual(['Secrets without a value, skipped: "api_key", "client_secret" (Postman exports only initial values)']);
    expect(r.stdout).toContain('Its account id 4200 was kept as the variable accountId');
    const exported = JSON.parse((await h.runInProcess(['export', '--env', 'local', '--format', 'postman', '--no-secrets'])).stdout) as { id: string; values: { key: string; value: string }[] };
    expect(exported.id).toBe('0f6a3c7e-1111-4222-8333-944455556666');
    expect(exported.values).toContainEqual(expect.objectContaining({ key: 'accountId', value: '4200' }));
    // Renamed meanwhile: the same file still updates it (matched by id), it does not add a copy.
    await h.runInProcess(['env', 'edit', 'local', '--name', 'laptop']);
    const again = await h.runInProcess(['import', file]);
    expect(again.stdout).toMatch(/^Updated environment "laptop"/);
    expect(JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout)).toHaveLength(1);
  });

  it('help text: signup shows a signup example, demo-server prints its default once', async () => {
    const h = await newHome();
    const signup = await h.runInProcess(['signup', '--help']);
    expect(signup.stdout).toContain('| tokendesk signup --env staging --email me@example.com');
    expect(signup.stdout).not.toContain('tokendesk login --env');
    const demo = await h.run(['demo-server', '--help']);
    expect(demo.stdout.match(/54329/g)).toHaveLength(1);
  });
});
