import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFixture, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, stderrLines } from '../helpers/cli.js';
import { fileModesMissing, skipping, thisMachine } from '../helpers/platform-guards.js';

const unreachable = await keychainUnreachable();
const modes = skipping('the 0600 checks', fileModesMissing(thisMachine())) === undefined;
const { demo, demoHome, signedIn } = cliFixture({ demo: true });

/** Prints the child's view of the variables the test names, one NAME=value per line. */
const SHOW = (names: string[]) => ['node', '-e', `for (const n of ${JSON.stringify(names)}) console.log(n + '=' + (process.env[n] ?? '<unset>'))`];

describe.skipIf(unreachable !== undefined)('tokendesk:// references: exec --envfile and inject', { timeout: 90_000 }, () => {
  it('exec --envfile gives the command the user\'s own names, resolved to fresh values, plain values as they are', async () => {
    const h = await signedIn();
    const token = (await h.runInProcess(['token', '--env', DEMO_SUPABASE])).stdout.trim();
    const sessionToken = (await h.runInProcess(['token', '--env', DEMO_SESSION])).stdout.trim();
    writeFileSync(
      join(h.work, 'app.env'),
      [
        '# the app reads its own names',
        `API_TOKEN=tokendesk://${DEMO_SUPABASE}/token`,
        `export AUTH_VALUE="tokendesk://${DEMO_SUPABASE}/header"`,
        `SUPABASE_ANON='tokendesk://${DEMO_SUPABASE}/anon_key'   # a variable, by its exported name`,
        `BASE=tokendesk://${DEMO_SUPABASE}/URL`,
        `OTHER=tokendesk://${DEMO_SESSION}/token?email=restricted@test.com`,
        'PLAIN="two words # not a comment"',
        '',
      ].join('\n'),
    );
    const r = await h.run(['exec', '--envfile', 'app.env', '--', ...SHOW(['API_TOKEN', 'AUTH_VALUE', 'SUPABASE_ANON', 'BASE', 'OTHER', 'PLAIN', 'TOKENDESK_TOKEN'])]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        `API_TOKEN=${token}`,
        `AUTH_VALUE=Bearer ${token}`,
        `SUPABASE_ANON=${demo().anonKey}`,
        `BASE=${demo().url}`,
        `OTHER=${sessionToken}`,
        'PLAIN=two words # not a comment',
        // No --env and no default: only the file's variables.
        'TOKENDESK_TOKEN=<unset>',
        '',
      ].join('\n'),
    );

    // The child's token works against the server (the Supabase gateway wants the anon key too).
    const curl = await h.run(['exec', '--envfile', 'app.env', '--', 'sh', '-c', 'curl -sS -f -H "apikey: $SUPABASE_ANON" -H "Authorization: $AUTH_VALUE" "$BASE/auth/v1/user"']);
    expect(curl.code, curl.stderr).toBe(0);
    expect(JSON.parse(curl.stdout)).toMatchObject({ email: 'owner@connectgain.test' });

    // With --env, TOKENDESK_* come too, and the file's names win over them.
    writeFileSync(join(h.work, 'mine.env'), `TOKENDESK_URL=mine\nX=tokendesk://${DEMO_SUPABASE}/token\n`);
    const both = await h.run(['exec', '--env', DEMO_SUPABASE, '--envfile', 'mine.env', '--', ...SHOW(['TOKENDESK_TOKEN', 'TOKENDESK_URL', 'X'])]);
    expect(both.stdout).toBe(`TOKENDESK_TOKEN=${token}\nTOKENDESK_URL=mine\nX=${token}\n`);
  });

  it('a bad reference or line stops exec with its file and line, and the command never runs', async () => {
    const h = await signedIn();
    const marker = join(h.work, 'ran');
    const cases: Array<[string, RegExp, number]> = [
      [`A=1\nB=tokendesk://${DEMO_SUPABASE}/nope\n`, /^tokendesk: bad\.env, line 2 \(B\): tokendesk:\/\/Demo Supabase\/nope: "Demo Supabase" has no field "nope" \(known: token, header, headers, refresh_token, url, anon_key, api_key, user_jwt_token, organization_id\)/, 1],
      ['A=1\n\nB=tokendesk://Nowhere/token\n', /^tokendesk: bad\.env, line 3 \(B\): tokendesk:\/\/Nowhere\/token: No environment named "Nowhere"/, 1],
      ['A=tokendesk://justonepart\n', /^tokendesk: bad\.env, line 1: A: tokendesk:\/\/justonepart: write tokendesk:\/\/ENVIRONMENT\/FIELD.*Nothing was run\n$/, 1],
      [`A="tokendesk://${DEMO_SUPABASE}/token\n`, /^tokendesk: bad\.env, line 1: the value's double quote is not closed/, 1],
      ['# fine\nnot a variable line\n', /^tokendesk: bad\.env, line 2: expected NAME=value\. Nothing was run\n$/, 1],
      [`A=tokendesk://${DEMO_SUPABASE}/token?who=me\n`, /^tokendesk: bad\.env, line 1: A: .*unknown option "who" \(use \?identity=ID or \?email=EMAIL\)/, 1],
      [`A=tokendesk://${DEMO_SUPABASE}/token?email=nobody@x.test\n`, /^tokendesk: bad\.env, line 1 \(A\): .*No identity nobody@x\.test in "Demo Supabase"/, 4],
    ];
    for (const [text, message, code] of cases) {
      writeFileSync(join(h.work, 'bad.env'), text);
      const r = await h.run(['exec', '--envfile', 'bad.env', '--', 'sh', '-c', `touch ${JSON.stringify(marker)}`]);
      expect(r.code, text).toBe(code);
      expect(stderrLines(r), text).toHaveLength(1);
      expect(r.stderr, text).toMatch(message);
      expect(existsSync(marker), text).toBe(false);
    }
    const missing = await h.run(['exec', '--envfile', 'absent.env', '--', 'true']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('tokendesk: Cannot read the env file absent.env (no such file)\n');

    // op's spelling, --env-file, is read by node itself wherever it stands (nodejs/node#54232): when node
    // lets it through (the file exists), TokenDesk says which flag to use and runs nothing.
    writeFileSync(join(h.work, 'ok.env'), 'A=1\n');
    const nodes = await h.run(['exec', '--env-file', 'ok.env', '--', 'sh', '-c', `touch ${JSON.stringify(marker)}`]);
    expect(nodes.code).toBe(2);
    expect(nodes.stderr).toMatch(/^tokendesk: use --envfile FILE \(node reads --env-file itself, before TokenDesk runs\)\n/);
    expect(existsSync(marker)).toBe(false);
  });

  it('a signed-out environment is exit 4 naming the line; refresh_token is handed out only when named, with a warning', async () => {
    const h = await demoHome();
    writeFileSync(join(h.work, 'a.env'), `URL_ONLY=tokendesk://${DEMO_SUPABASE}/url\nT=tokendesk://${DEMO_SUPABASE}/token\n`);
    const out = await h.run(['exec', '--envfile', 'a.env', '--', 'true']);
    expect(out.code).toBe(4);
    expect(out.stderr).toMatch(/^tokendesk: a\.env, line 2 \(T\): .*Nobody is signed in to "Demo Supabase"/);

    // No session needed for a variable that is not a token.
    writeFileSync(join(h.work, 'u.env'), `URL_ONLY=tokendesk://${DEMO_SUPABASE}/url\n`);
    const u = await h.run(['exec', '--envfile', 'u.env', '--', ...SHOW(['URL_ONLY'])]);
    expect(u.stdout).toBe(`URL_ONLY=${demo().url}\n`);

    expect((await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' })).code).toBe(0);
    writeFileSync(join(h.work, 'r.env'), `RT=tokendesk://${DEMO_SUPABASE}/refresh_token\n`);
    const rt = await h.run(['exec', '--envfile', 'r.env', '--', ...SHOW(['RT'])]);
    expect(rt.code, rt.stderr).toBe(0);
    expect(rt.stdout).toMatch(/^RT=[A-Za-z0-9_-]{8,}\n$/);
    expect(rt.stderr).toMatch(/^tokendesk: warning: r\.env, line 1 \(RT\) hands out the refresh token of "Demo Supabase": it is single-use/);
  });

  it('inject renders {{ tokendesk://… }} into a 0600 file, leaves other braces alone, and refuses to overwrite without --force', async () => {
    const h = await signedIn();
    const token = (await h.runInProcess(['token', '--env', DEMO_SUPABASE])).stdout.trim();
    writeFileSync(
      join(h.work, 'req.tpl'),
      `GET {{tokendesk://${DEMO_SUPABASE}/url}}/auth/v1/user\n{{ tokendesk://${DEMO_SUPABASE}/headers }}\nX-Postman: {{user_jwt_token}}\n`,
    );
    const r = await h.run(['inject', '-i', 'req.tpl', '-o', 'req.txt']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('Wrote req.txt (2 references filled in; readable by you only)\n');
    const out = join(h.work, 'req.txt');
    expect(readFileSync(out, 'utf8')).toBe(`GET ${demo().url}/auth/v1/user\napikey: ${demo().anonKey}\nAuthorization: Bearer ${token}\nX-API-Key: ${demo().apiKey}\nX-Postman: {{user_jwt_token}}\n`);
    if (modes) expect(statSync(out).mode & 0o777).toBe(0o600);

    const again = await h.run(['inject', '-i', 'req.tpl', '-o', 'req.txt']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('tokendesk: req.txt already exists: nothing was written (pass --force to replace it)\n');

    // --force replaces a file that was readable by others with a new 0600 one.
    writeFileSync(out, 'old');
    chmodSync(out, 0o644);
    const forced = await h.run(['inject', '-i', 'req.tpl', '-o', 'req.txt', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(token);
    if (modes) expect(statSync(out).mode & 0o777).toBe(0o600);

    // Standard input to standard output.
    const piped = await h.run(['inject'], { input: `token={{ tokendesk://${DEMO_SUPABASE}/token }}` });
    expect(piped.stdout).toBe(`token=${token}`);

    // Production: its secrets go into a file only with --yes (as export asks); its URL and stdout need none.
    expect((await h.runInProcess(['env', 'edit', DEMO_SUPABASE, '--production'])).code).toBe(0);
    const prod = await h.run(['inject', '-i', 'req.tpl', '-o', 'prod.txt']);
    expect(prod.code).toBe(1);
    expect(prod.stderr).toBe('tokendesk: req.tpl, line 2: tokendesk://Demo Supabase/headers: "Demo Supabase" is a production environment: writing its secrets to a file needs --yes\n');
    expect(existsSync(join(h.work, 'prod.txt'))).toBe(false);
    writeFileSync(join(h.work, 'url.tpl'), `{{ tokendesk://${DEMO_SUPABASE}/url }}`);
    expect((await h.run(['inject', '-i', 'url.tpl', '-o', 'url.txt'])).code).toBe(0);
    expect((await h.run(['inject', '-i', 'req.tpl', '-o', 'prod.txt', '--yes'])).code).toBe(0);
    expect((await h.run(['inject', '-i', 'req.tpl'])).stdout).toContain(token);

    // A bad reference: its line, nothing written.
    writeFileSync(join(h.work, 'bad.tpl'), `ok\n\n{{ tokendesk://${DEMO_SUPABASE}/tokn }}\n`);
    const bad = await h.run(['inject', '-i', 'bad.tpl', '-o', 'bad.txt']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^tokendesk: bad\.tpl, line 3: tokendesk:\/\/Demo Supabase\/tokn: "Demo Supabase" has no field "tokn"/);
    expect(existsSync(join(h.work, 'bad.txt'))).toBe(false);
  });
});
