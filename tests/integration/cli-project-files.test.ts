import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, CliHome, cliFixture, collect, DEMO_SESSION, keychainUnreachable, type CliResult } from '../helpers/cli.js';
import { startDemoServer } from '../../src-main/core/demo-server/index.js';
import { movableClock } from '../helpers/clock.js';

const unreachable = await keychainUnreachable();
const { demo, demoHome } = cliFixture({ demo: true });

/** The binary run in `cwd` (the project discovery starts there), as a user in that folder would. */
function runIn(h: CliHome, cwd: string, args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return collect(spawn(process.execPath, [CLI, ...args], { env: h.env(opts.env), cwd }), { input: opts.input ?? '' });
}

/** A git repository (a .git folder is all discovery looks for) with a subfolder, under the home's work folder. */
function repository(h: CliHome): { root: string; sub: string } {
  const root = join(h.work, 'repo');
  const sub = join(root, 'packages', 'web');
  mkdirSync(join(root, '.git'), { recursive: true });
  mkdirSync(sub, { recursive: true });
  return { root, sub };
}

const projectFile = (url: string, extra: Record<string, unknown> = {}) => ({
  version: 1,
  default: 'staging',
  environments: [
    { name: 'staging', provider: 'session', url, color: '#16a34a', variables: { organization_id: '42' }, secretVariables: ['db_pass'], teamNote: 'kept as is' },
    { name: DEMO_SESSION, provider: 'session', url },
    { name: 'supa', provider: 'supabase', url },
  ],
  ...extra,
});

describe.skipIf(unreachable !== undefined)('project files (tokendesk.json) and tokendesk request', { timeout: 90_000 }, () => {
  it('from a subfolder of the repository: the file\'s default is used, its environments are told apart from the user\'s own, sessions and keys stay in the vault', async () => {
    const h = await demoHome();
    const { root, sub } = repository(h);
    const text = `${JSON.stringify(projectFile(demo().url), null, 2)}\n`;
    writeFileSync(join(root, 'tokendesk.json'), text);

    // Signed in with no --env: the project's default ("staging"), not one of the user's three.
    const login = await runIn(h, sub, ['login', '--email', 'restricted@test.com', '--no-remember'], { input: 'stringstring\n' });
    expect(login.code, login.stderr).toBe(0);
    const status = await runIn(h, sub, ['status', '--json']);
    const doc = JSON.parse(status.stdout) as { environments: { name: string; project: string | null; default: boolean; identities: { email: string | null }[] }[]; project: { file: string; defaultChosen: boolean } };
    const staging = doc.environments.find((e) => e.name === 'staging')!;
    expect(staging.project).toBe(join(root, 'tokendesk.json'));
    expect(staging.default).toBe(true);
    expect(staging.identities.map((i) => i.email)).toEqual(['restricted@test.com']);
    expect(doc.project).toEqual({ file: join(root, 'tokendesk.json'), defaultChosen: true });
    // The same name twice (own and project): two environments, each listed with where it comes from.
    expect(doc.environments.filter((e) => e.name === DEMO_SESSION).map((e) => e.project)).toEqual([null, join(root, 'tokendesk.json')]);
    const human = await runIn(h, sub, ['status']);
    expect(human.stdout).toContain(`Project file: ${join(root, 'tokendesk.json')} (its default "staging" is used without --env)`);
    expect(human.stdout).toContain(`[project ${join(root, 'tokendesk.json')}]`);

    // A name both sides use is refused, never guessed; own:/project: pick one.
    const ambiguous = await runIn(h, sub, ['token', '--env', DEMO_SESSION]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(`--env own:${DEMO_SESSION} or --env project:${DEMO_SESSION}`);
    const projectSide = await runIn(h, sub, ['token', '--env', `project:${DEMO_SESSION}`]);
    expect(projectSide.code).toBe(4); // nobody signed in to the project's one: the own one's session is not shared
    const ownLogin = await runIn(h, sub, ['login', '--env', `own:${DEMO_SESSION}`, '--email', 'test@test.com', '--no-remember'], { input: 'stringstring\n' });
    expect(ownLogin.code, ownLogin.stderr).toBe(0);
    expect((await runIn(h, sub, ['token', '--env', `project:${DEMO_SESSION}`])).code).toBe(4);

    // The token of the default: the fast path steps aside under a project file and the full CLI prints the same.
    const traced = await runIn(h, sub, ['token'], { env: { TOKENDESK_TRACE_STARTUP: '1' } });
    expect(traced.code, traced.stderr).toBe(0);
    expect(traced.stderr).toContain('fast path: fallback (project file)');
    const full = await runIn(h, sub, ['token'], { env: { TOKENDESK_FAST_PATH: '0' } });
    expect(full.stdout).toBe(traced.stdout);
    expect(traced.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    // TOKENDESK_ENV wins over the file's default.
    const byVariable = await runIn(h, sub, ['token'], { env: { TOKENDESK_ENV: `own:${DEMO_SESSION}` } });
    expect(byVariable.code, byVariable.stderr).toBe(0);
    expect(byVariable.stdout).not.toBe(traced.stdout);

    // Outside the repository the project's environments are not offered, and the fast path serves the user's own.
    const outside = await h.run(['token', '--env', 'staging']);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('No environment named "staging"');
    const ownFast = await h.run(['token', '--env', DEMO_SESSION], { env: { TOKENDESK_TRACE_STARTUP: '1' } });
    expect(ownFast.code, ownFast.stderr).toBe(0);
    expect(ownFast.stderr).toContain('token printed');
    expect(ownFast.stdout).toBe(byVariable.stdout);

    // The user's key for the project's Supabase environment goes to the vault: not to the file, not to config.json.
    const list = JSON.parse((await runIn(h, sub, ['env', 'list', '--json'])).stdout) as { name: string; id: string; project: string | null }[];
    const supa = list.find((e) => e.name === 'supa' && e.project !== null)!;
    expect(supa.id).toMatch(/^p-[0-9a-f]{32}$/);
    const anon = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIn0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const edit = await runIn(h, sub, ['env', 'edit', supa.id, '--anon-key', '-'], { input: `${anon}\n` });
    expect(edit.code, edit.stderr).toBe(0);
    expect(readFileSync(join(root, 'tokendesk.json'), 'utf8')).toBe(text);
    expect(h.folderText()).not.toContain(anon);
    expect(h.folderText()).not.toContain(traced.stdout.trim());
    const again = JSON.parse((await runIn(h, sub, ['status', '--json'])).stdout) as { environments: { name: string; project: string | null; secretSettings: string[] }[] };
    expect(again.environments.find((e) => e.name === 'supa' && e.project !== null)!.secretSettings).toEqual(['anonKey']);
  });

  it('a file with a secret in it is not used, and says which field', async () => {
    const h = await demoHome();
    const { root, sub } = repository(h);
    const withSecret = projectFile(demo().url);
    (withSecret.environments[0] as { variables: Record<string, string> }).variables.db_pass = 'correct horse battery';
    writeFileSync(join(root, 'tokendesk.json'), JSON.stringify(withSecret));
    const r = await runIn(h, sub, ['env', 'list']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('environments[0].variables.db_pass');
    expect(r.stderr).not.toContain('correct horse battery');
    expect(r.stdout).not.toContain('project:');

    const jwt = projectFile(demo().url);
    (jwt.environments[1] as Record<string, unknown>).settings = { loginPath: '/x', note: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnopqrstuv' };
    writeFileSync(join(root, 'tokendesk.json'), JSON.stringify(jwt));
    const s = await runIn(h, sub, ['status']);
    expect(s.stderr).toContain('environments[1].settings.note');
    expect(s.stderr).not.toContain('eyJ');

    const secretSetting = projectFile(demo().url);
    (secretSetting.environments[2] as Record<string, unknown>).settings = { anonKey: 'short' };
    writeFileSync(join(root, 'tokendesk.json'), JSON.stringify(secretSetting));
    const t = await runIn(h, sub, ['status']);
    expect(t.stderr).toContain('environments[2] ("supa"): settings.anonKey');
    expect(t.stderr).toContain('secret setting');
  });

  it('env edit of a project environment refuses the file\'s fields, naming the file, and still takes the user\'s own keys and secret variables', async () => {
    const h = await demoHome();
    const { root, sub } = repository(h);
    const file = join(root, 'tokendesk.json');
    const text = `${JSON.stringify(projectFile(demo().url), null, 4)}\n`;
    writeFileSync(file, text);
    for (const args of [['--url', 'https://other.example.com'], ['--var', 'organization_id=43'], ['--production'], ['--name', 'renamed'], ['--login-path', '/x']]) {
      const r = await runIn(h, sub, ['env', 'edit', 'staging', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(`"staging" comes from the project file ${file}`);
      expect(r.stderr).toContain('Change them in that file');
      expect(r.stderr).toContain('--var db_pass=…');
      expect(r.stderr).toContain('Nothing was changed');
    }
    const refused = await runIn(h, sub, ['env', 'edit', 'staging', '--url', 'https://other.example.com', '--var', 'organization_id=43']);
    expect(refused.stderr).toContain('its URL and variable organization_id are set there');
    expect(readFileSync(file, 'utf8')).toBe(text);
    const listed = JSON.parse((await runIn(h, sub, ['env', 'list', '--json'])).stdout) as { name: string; url: string; project: string | null }[];
    expect(listed.find((e) => e.name === 'staging')!.url).toBe(demo().url);

    // The file names db_pass as secret: its value goes to the vault, even one that does not look like a secret.
    const secretVar = await runIn(h, sub, ['env', 'edit', 'staging', '--var', 'db_pass=pw-1234']);
    expect(secretVar.code, secretVar.stderr).toBe(0);
    expect(h.folderText()).not.toContain('pw-1234');
    const shown = await runIn(h, sub, ['env', 'show', 'staging']);
    expect(shown.stdout).toMatch(/db_pass=•+ \(in the keychain\)/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('a Postman import named like a project environment is one of the user\'s own: the project one and its file are untouched', async () => {
    const h = await demoHome();
    const { root, sub } = repository(h);
    const file = join(root, 'tokendesk.json');
    const text = `${JSON.stringify(projectFile(demo().url), null, 4)}\n`;
    writeFileSync(file, text);
    const postman = join(sub, 'staging.postman_environment.json');
    writeFileSync(postman, JSON.stringify({ name: 'staging', values: [{ key: 'url', value: 'https://elsewhere.example.com' }, { key: 'organization_id', value: '99' }] }));
    expect((await runIn(h, sub, ['env', 'list'])).code).toBe(0); // the file read (synced) once, as any command in the repository does
    const r = await runIn(h, sub, ['import', postman, '--provider', 'session']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain(`"staging" of ${file} is changed in that file`);
    const listed = JSON.parse((await runIn(h, sub, ['env', 'list', '--json'])).stdout) as { name: string; url: string; project: string | null }[];
    const stagings = listed.filter((e) => e.name === 'staging');
    expect(stagings.map((e) => [e.url, e.project === null])).toEqual(expect.arrayContaining([[demo().url, false], ['https://elsewhere.example.com', true]]));
    expect(stagings).toHaveLength(2);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('env edit with an empty NAME (an unset shell variable) names no environment: the default is not edited', async () => {
    const h = await demoHome();
    const before = (await h.runInProcess(['env', 'list', '--json'])).stdout;
    const r = await h.runInProcess(['env', 'edit', '', '--label', 'oops']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('NAME is empty');
    expect((await h.runInProcess(['env', 'list', '--json'])).stdout).toBe(before);
  });

  it('a file above the repository root does not apply to it', async () => {
    const h = await demoHome();
    const { sub } = repository(h);
    writeFileSync(join(h.work, 'tokendesk.json'), JSON.stringify(projectFile(demo().url)));
    const r = await runIn(h, sub, ['env', 'list', '--json']);
    expect((JSON.parse(r.stdout) as { project: string | null }[]).every((e) => e.project === null)).toBe(true);
  });

  it('project export writes names of secrets, never values, and refuses to overwrite', async () => {
    const h = await demoHome();
    const { root } = repository(h);
    const add = await h.runInProcess(['env', 'add', 'team', '--provider', 'session', '--url', demo().url, '--var', 'organization_id=42', '--var', 'db_pass=hunter2hunter2']);
    expect(add.code, add.stderr).toBe(0);
    const r = await runIn(h, root, ['project', 'export', 'team', 'Demo Supabase', '--default', 'team']);
    expect(r.code, r.stderr).toBe(0);
    const written = readFileSync(join(root, 'tokendesk.json'), 'utf8');
    expect(written).not.toContain('hunter2');
    const file = JSON.parse(written) as { version: number; default: string; environments: { name: string; secretVariables?: string[]; settings?: Record<string, string> }[] };
    expect(file.version).toBe(1);
    expect(file.default).toBe('team');
    expect(file.environments.map((e) => e.name)).toEqual(['team', 'Demo Supabase']);
    expect(file.environments[0]!.secretVariables).toEqual(['db_pass']);
    // The demo's anon key is a secret setting: not in the file.
    expect(JSON.stringify(file.environments[1])).not.toContain('anonKey');
    const again = await runIn(h, root, ['project', 'export', 'team']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists: pass --force');
  });

  it('request: the base URL, auth headers and account applied for each kind; a 404 and a 401 exit 1 with the status on stderr', async () => {
    const h = await demoHome();
    const supa = await h.runInProcess(['login', '--env', 'Demo Supabase', '--email', 'owner@connectgain.test'], { input: 'demo-password\n' });
    expect(supa.code, supa.stderr).toBe(0);
    const profiles = await h.runInProcess(['request', '--env', 'Demo Supabase', '/rest/v1/profiles']);
    expect(profiles.code, profiles.stderr).toBe(0);
    expect(profiles.stdout).toMatch(/^\[\n {2}\{\n {4}"id": /);
    expect((JSON.parse(profiles.stdout) as { email: string }[])[0]!.email).toBe('owner@connectgain.test');

    const session = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'restricted@test.com', '--no-remember'], { input: 'stringstring\n' });
    expect(session.code, session.stderr).toBe(0);
    const me = await h.runInProcess(['request', '--env', DEMO_SESSION, '-i', '/api/auth/session']);
    expect(me.code, me.stderr).toBe(0);
    expect(me.stdout).toMatch(/^HTTP 200 OK\n/);
    expect(me.stdout).toMatch(/content-type: application\/json/i);
    expect(me.stdout).toContain('"restricted@test.com"');

    const bearer = await h.runInProcess(['login', '--env', 'Demo token API'], { input: 'tdpat_demo_3f9c1e7a5b2d4860aa71\n' });
    expect(bearer.code, bearer.stderr).toBe(0);
    const pat = await h.runInProcess(['request', '--env', 'Demo token API', '/pat/v1/me']);
    expect(pat.code, pat.stderr).toBe(0);
    expect(JSON.parse(pat.stdout)).toEqual({ id: 'u-1001', login: 'dana', email: 'dana@pat.test' });

    const missing = await h.runInProcess(['request', '--env', DEMO_SESSION, '/api/nothing-here']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('tokendesk: HTTP 404 Not Found (GET /api/nothing-here)');
    expect(JSON.parse(missing.stdout)).toEqual({ message: 'Cannot GET /api/nothing-here' });

    // -H replaces a header TokenDesk sets: a token the server does not know is refused with 401.
    const refused = await h.runInProcess(['request', '--env', 'Demo Supabase', '/rest/v1/profiles', '-H', 'Authorization: Bearer not-a-jwt']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('tokendesk: HTTP 401 Unauthorized (GET /rest/v1/profiles)');
    expect((JSON.parse(refused.stdout) as { code: string }).code).toBe('PGRST301');

    // Another server never gets the token.
    const elsewhere = await h.runInProcess(['request', '--env', DEMO_SESSION, 'http://127.0.0.2:9/x']);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('is not this environment\'s server');
  });

  it('request renews a token that is due before sending it', async () => {
    // 10 min tokens and a 120 s margin: the CLI's clock (shared with the server) moved 500 s on makes it due.
    const clock = movableClock();
    const server = await startDemoServer({ port: 0, accessTokenTtlSeconds: 600, now: clock.now });
    try {
      const h = await demoHome(server.url);
      const login = await h.runInProcess(['login', '--env', 'Demo Supabase', '--email', 'owner@connectgain.test'], { input: 'demo-password\n', now: clock.now });
      expect(login.code, login.stderr).toBe(0);
      clock.advance(500_000);
      const before = server.stats.refreshGrants;
      const r = await h.runInProcess(['request', '--env', 'Demo Supabase', '/rest/v1/profiles'], { now: clock.now });
      expect(r.code, r.stderr).toBe(0);
      expect(server.stats.refreshGrants).toBe(before + 1);
      expect((JSON.parse(r.stdout) as { email: string }[])[0]!.email).toBe('owner@connectgain.test');
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(unreachable !== undefined)('project files keep what the user decided on this machine', { timeout: 90_000 }, () => {
  it('the endpoint\'s production allow of a project environment survives the next sync (any command in the repository)', async () => {
    const h = await demoHome();
    const { root, sub } = repository(h);
    const file = { version: 1, environments: [{ name: 'prod-api', provider: 'session', url: demo().url, production: true }] };
    writeFileSync(join(root, 'tokendesk.json'), `${JSON.stringify(file, null, 2)}\n`);
    expect((await runIn(h, sub, ['env', 'list'])).code).toBe(0); // the first sync lists it
    const allow = await runIn(h, sub, ['endpoint', 'allow', 'prod-api']);
    expect(allow.code, allow.stderr).toBe(0);
    // Each command in the folder syncs the file into the configuration: the allow is the user's, not the file's.
    expect((await runIn(h, sub, ['env', 'list'])).code).toBe(0);
    const cfg = JSON.parse(readFileSync(join(h.dir, 'config.json'), 'utf8')) as { environments: { name: string; endpointAllowed?: boolean }[] };
    expect(cfg.environments.find((e) => e.name === 'prod-api')?.endpointAllowed).toBe(true);
  });
});
