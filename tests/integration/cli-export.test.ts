import { execFile } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliFixture, CliHome, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, onTerminal, root, stderrLines } from '../helpers/cli.js';
import { fileModesMissing, ptyMissing, skipping, thisMachine } from '../helpers/platform-guards.js';

const run = promisify(execFile);
const unreachable = await keychainUnreachable();
// Windows has no mode 600: the mode checks are left out there, the rest of each test runs.
const modes = skipping('the file-mode checks', fileModesMissing(thisMachine())) === undefined;
const { demo: demoServer, newHome, signedIn } = cliFixture({ demo: true });


interface PostmanEnv {
  name: string;
  values: { key: string; value: string; type: string; enabled: boolean }[];
  _postman_variable_scope: string;
}

/** A small collection in Postman's own format, using the exported variable names. */
function collection(items: { name: string; path: string; headers: Record<string, string>; status: number; bodyCheck?: string }[]): unknown {
  return {
    info: { name: 'TokenDesk export check', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: items.map((i) => ({
      name: i.name,
      request: {
        method: 'GET',
        url: `{{url}}${i.path}`,
        header: Object.entries(i.headers).map(([key, value]) => ({ key, value })),
      },
      event: [
        {
          listen: 'test',
          script: {
            exec: [
              `pm.test('status ${i.status}', function () { pm.response.to.have.status(${i.status}); });`,
              ...(i.bodyCheck ? [`pm.test('body', function () { pm.expect(pm.response.text()).to.include(${JSON.stringify(i.bodyCheck)}); });`] : []),
            ],
          },
        },
      ],
    })),
  };
}

interface NewmanReport {
  run: { stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } }; failures: unknown[] };
}

/** Postman's own runner, so the export is proven on the real consumer. */
async function newman(h: CliHome, coll: unknown, envFile: string): Promise<NewmanReport> {
  const collFile = join(h.work, 'collection.json');
  const report = join(h.work, 'newman-report.json');
  writeFileSync(collFile, JSON.stringify(coll));
  await run(join(root, 'node_modules/.bin/newman'), ['run', collFile, '-e', envFile, '--reporters', 'json', '--reporter-json-export', report, '--suppress-exit-code'], {
    timeout: 60_000,
  });
  return JSON.parse(readFileSync(report, 'utf8')) as NewmanReport;
}

const supabaseItems = (status: number) => [
  { name: 'profiles', path: '/rest/v1/profiles', headers: { apikey: '{{anon_key}}', Authorization: 'Bearer {{user_jwt_token}}' }, status, ...(status === 200 && { bodyCheck: 'owner@connectgain.test' }) },
  { name: 'user', path: '/auth/v1/user', headers: { apikey: '{{anon_key}}', Authorization: 'Bearer {{user_jwt_token}}' }, status },
];

describe.skipIf(unreachable !== undefined)('tokendesk export', { timeout: 120_000 }, () => {
  it('newman runs a collection against the demo server with the exported Postman environments', async () => {
    const h = await signedIn();
    const sbFile = join(h.work, 'sb.postman_environment.json');
    const ex = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'postman', '-o', sbFile]);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stdout).toBe('');
    if (modes) expect(statSync(sbFile).mode & 0o777).toBe(0o600);
    const env = JSON.parse(readFileSync(sbFile, 'utf8')) as PostmanEnv;
    expect(env._postman_variable_scope).toBe('environment');
    expect(env.values.map((v) => [v.key, v.type])).toEqual([
      ['url', 'default'],
      ['anon_key', 'secret'],
      ['api_key', 'secret'],
      ['user_jwt_token', 'secret'],
      ['refresh_token', 'secret'],
      ['organization_id', 'default'],
    ]);
    const report = await newman(h, collection([
      ...supabaseItems(200),
      { name: 'contacts', path: '/functions/v1/contacts/search?q=', headers: { 'X-API-Key': '{{api_key}}' }, status: 200 },
    ]), sbFile);
    expect(report.run.failures).toEqual([]);
    expect(report.run.stats.requests).toMatchObject({ total: 3, failed: 0 });
    expect(report.run.stats.assertions).toMatchObject({ total: 4, failed: 0 });

    const sessFile = join(h.work, 'session.postman_environment.json');
    expect((await h.runInProcess(['export', '--env', DEMO_SESSION, '--format', 'postman', '-o', sessFile])).code).toBe(0);
    const sess = JSON.parse(readFileSync(sessFile, 'utf8')) as PostmanEnv;
    expect(sess.values.map((v) => v.key)).toEqual(['url', 'token', 'account_id']);
    const r2 = await newman(h, collection([
      { name: 'applications', path: '/api/applications', headers: { Authorization: 'Bearer {{token}}', 'X-Account-Id': '{{account_id}}' }, status: 200, bodyCheck: '4100' },
      { name: 'session', path: '/api/auth/session', headers: { Authorization: 'Bearer {{token}}' }, status: 200, bodyCheck: 'restricted@test.com' },
    ]), sessFile);
    expect(r2.run.failures).toEqual([]);
    expect(r2.run.stats.assertions).toMatchObject({ total: 4, failed: 0 });

    // The same collection with a --no-secrets export is refused by the server: the secrets made it pass.
    const blankFile = join(h.work, 'blank.postman_environment.json');
    expect((await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'postman', '--no-secrets', '-o', blankFile])).code).toBe(0);
    const r3 = await newman(h, collection(supabaseItems(401)), blankFile);
    expect(r3.run.stats.assertions).toMatchObject({ total: 2, failed: 0 });
  });

  it('--no-secrets blanks every secret and keeps the keys, in every format', async () => {
    const h = await signedIn();
    const token = (await h.runInProcess(['token', '--env', DEMO_SUPABASE])).stdout.trim();
    const secrets = [token, demoServer().anonKey, demoServer().apiKey];
    const postman = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'postman', '--no-secrets']);
    expect(postman.code).toBe(0);
    const env = JSON.parse(postman.stdout) as PostmanEnv;
    const secretValues = env.values.filter((v) => v.type === 'secret');
    expect(secretValues.map((v) => v.key)).toEqual(['anon_key', 'api_key', 'user_jwt_token', 'refresh_token']);
    expect(secretValues.every((v) => v.value === '')).toBe(true);
    const json = JSON.parse((await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'json', '--no-secrets'])).stdout) as { variables: Record<string, string> };
    expect(json.variables).toMatchObject({ url: demoServer().url, anon_key: '', api_key: '', user_jwt_token: '', refresh_token: '', organization_id: '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d' });
    for (const format of ['postman', 'json', 'dotenv', 'curl']) {
      const r = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', format, '--no-secrets']);
      expect(r.code, `${format}: ${r.stderr}`).toBe(0);
      for (const s of secrets) expect(r.stdout, format).not.toContain(s);
    }
    // With secrets, the values are there.
    const full = JSON.parse((await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'json'])).stdout) as { variables: Record<string, string> };
    expect(full.variables).toMatchObject({ anon_key: demoServer().anonKey, api_key: demoServer().apiKey, user_jwt_token: token });
    // Except the refresh token, which is single-use: only with --refresh-token, and stderr says why.
    expect(full.variables.refresh_token).toBe('');
    const withRefresh = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'json', '--refresh-token']);
    expect((JSON.parse(withRefresh.stdout) as { variables: Record<string, string> }).variables.refresh_token).not.toBe('');
    const plain = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'dotenv']);
    expect(stderrLines(plain)).toEqual([expect.stringMatching(/^The refresh token was left out: Supabase refresh tokens are single-use.*add --refresh-token to include it\.$/)]);
    const dotenv = (await h.runInProcess(['export', '--env', DEMO_SESSION, '--format', 'dotenv'])).stdout;
    expect(dotenv).toMatch(/^TOKEN=[0-9a-f]{64}$/m);
    expect(dotenv).toMatch(/^ACCOUNT_ID=4100$/m);
  });

  it('-o writes mode 600, even over an existing wider file (--force); production secrets need --yes', async () => {
    const h = await signedIn();
    const file = join(h.work, 'out.env');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o644);
    const r = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'dotenv', '-o', file, '--force']);
    expect(r.code, r.stderr).toBe(0);
    if (modes) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('USER_JWT_TOKEN=');

    expect((await h.runInProcess(['env', 'edit', DEMO_SUPABASE, '--production'])).code).toBe(0);
    const refused = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'postman', '-o', join(h.work, 'prod.json')]);
    expect(refused.code).toBe(1);
    expect(stderrLines(refused)).toEqual([
      'tokendesk: "Demo Supabase" is a production environment: exporting its secrets needs --yes (or use --no-secrets for a shareable file)',
    ]);
    expect(() => statSync(join(h.work, 'prod.json'))).toThrow();
    expect((await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'postman', '--no-secrets'])).code).toBe(0);
    expect((await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'postman', '--yes', '-o', join(h.work, 'prod.json')])).code).toBe(0);
    // token and header are what the user asked for: allowed for production too.
    expect((await h.runInProcess(['token', '--env', DEMO_SUPABASE])).code).toBe(0);

    const bad = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Allowed choices are postman, curl, dotenv, json');
  });

  it('exporting the secrets where nobody is signed in exits 4 like token; the keys and variables are still exported', async () => {
    const h = newHome();
    expect((await h.runInProcess(['demo-setup', '--url', demoServer().url])).code).toBe(0);
    const r = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'json']);
    expect(r.code).toBe(4);
    expect(stderrLines(r)).toEqual(['tokendesk: nobody is signed in to "Demo Supabase": the token variables are empty; sign in with: tokendesk login --env "Demo Supabase"']);
    expect(JSON.parse(r.stdout)).toMatchObject({ identity: null, variables: { anon_key: demoServer().anonKey, user_jwt_token: '' } });
    // A shareable file asks for no token: nothing is missing, exit 0.
    const shareable = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'json', '--no-secrets']);
    expect(shareable.code, shareable.stderr).toBe(0);
    expect(JSON.parse(shareable.stdout)).toMatchObject({ identity: null, variables: { url: demoServer().url, user_jwt_token: '' } });
  });

  it('--no-secrets still names the signed-in identity (and the session API its account)', async () => {
    const h = await signedIn();
    const json = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'json', '--no-secrets']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ identity: 'owner@connectgain.test' });
    const dotenv = await h.runInProcess(['export', '--env', DEMO_SESSION, '--format', 'dotenv', '--no-secrets']);
    expect(dotenv.stdout).toMatch(/^# Identity: restricted@test\.com$/m);
    expect(dotenv.stdout).toMatch(/^ACCOUNT_ID=\d+$/m);
  });

  it('the refresh-token note: never for curl, once on a terminal, and .env has no empty REFRESH_TOKEN= line', async () => {
    const h = await signedIn();
    const curl = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'curl']);
    expect(curl.code, curl.stderr).toBe(0);
    expect(curl.stderr).toBe('');
    const dotenv = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'dotenv']);
    expect(dotenv.stdout).not.toMatch(/^REFRESH_TOKEN=/m);
    expect(dotenv.stdout).toMatch(/^USER_JWT_TOKEN=\S+$/m);
    // On a terminal the .env body (with its # note) and stderr meet on one screen: the note once.
    // (Python's pty is Unix-only: platform-guards.ts.)
    if (!ptyMissing(thisMachine())) {
      const tty = await onTerminal(h.env(), ['export', '--env', DEMO_SUPABASE, '--format', 'dotenv'], []);
      expect(tty.code, tty.output).toBe(0);
      expect(tty.output.match(/The refresh token was left out/g)).toHaveLength(1);
    }
    // Postman's file has no room for the note: stderr says it, once.
    const postman = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'postman']);
    expect(postman.stderr.match(/The refresh token was left out/g)).toHaveLength(1);
  });
});
