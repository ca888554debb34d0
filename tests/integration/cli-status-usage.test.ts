import { describe, expect, it } from 'vitest';
import { PROVIDER_KINDS } from '../../src-main/contract/providers.js';
import { cliFixture, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, stderrLines } from '../helpers/cli.js';

// Issue 25 (CLI): status that hid environments, usage errors that printed the whole help, exit
// codes that disagreed, and `token` asking "which environment?" when there was only one answer.
const unreachable = await keychainUnreachable();
const { demoHome, newHome } = cliFixture({ demo: true });

interface StatusDoc {
  environments: Array<{ name: string; default: boolean; identities: Array<{ email: string }> }>;
}

describe.skipIf(unreachable !== undefined)('tokendesk status, usage errors, exit codes, default environment', { timeout: 60_000 }, () => {
  it('status lists every environment after "env use", the default marked; --env narrows it', async () => {
    const h = await demoHome();
    const login = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'test@test.com', '--no-remember'], { input: 'stringstring\n' });
    expect(login.code, login.stderr).toBe(0);
    expect((await h.runInProcess(['env', 'use', DEMO_SUPABASE])).code).toBe(0);

    // The signed-in identity of the other environment stays in sight (it vanished before).
    const all = await h.runInProcess(['status']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain(`${DEMO_SUPABASE}  (supabase,`);
    expect(all.stdout).toMatch(new RegExp(`${DEMO_SUPABASE}  \\(supabase, [^)]*\\)  \\(default\\)`));
    expect(all.stdout).toContain(`${DEMO_SESSION}  (session,`);
    expect(all.stdout).toContain('test@test.com');
    const doc = JSON.parse((await h.runInProcess(['status', '--json'])).stdout) as StatusDoc;
    expect(doc.environments.map((e) => [e.name, e.default])).toEqual([
      [DEMO_SUPABASE, true],
      [DEMO_SESSION, false],
      ['Demo token API', false],
      ['Demo OpenID Connect', false],
      ['Demo OpenID machine', false],
    ]);

    const one = await h.runInProcess(['status', '--env', DEMO_SUPABASE]);
    expect(one.code).toBe(4);
    expect(one.stdout).not.toContain(DEMO_SESSION);
  });

  it('a usage error is two lines: the error, then the suggestion or where --help is; exit 2, nothing on stdout', async () => {
    const h = newHome();
    const typo = await h.runInProcess(['logni']);
    expect(typo.code).toBe(2);
    expect(stderrLines(typo)).toEqual(["tokendesk: unknown command 'logni'", '(Did you mean login?)']);
    const badChoice = await h.runInProcess(['env', 'add', 'bad', '--provider', 'sesion', '--url', 'http://localhost:3000']);
    expect(badChoice.code).toBe(2);
    expect(stderrLines(badChoice)).toEqual([
      `tokendesk: option '-p, --provider <kind>' argument 'sesion' is invalid. Allowed choices are ${PROVIDER_KINDS.join(', ')}.`,
      'Run "tokendesk env add --help" for usage.',
    ]);
    expect(badChoice.stdout).toBe('');
    const unknownOption = await h.runInProcess(['status', '--all']);
    expect(unknownOption.code).toBe(2);
    expect(stderrLines(unknownOption)).toEqual(["tokendesk: unknown option '--all'", 'Run "tokendesk status --help" for usage.']);
    expect((await h.runInProcess(['env', 'list', '--json'])).stdout.trim()).toBe('[]');
  });

  it('every bad argument or value exits 2 with one line in plain words, and stores nothing', async () => {
    const h = newHome();
    const cases: Array<[string[], string]> = [
      [['env', 'add', 'p', '--provider', 'session', '--url', 'http://localhost:3000/api/auth/login'], 'tokendesk: Invalid environment: URL: the URL ends in /api/auth/login'],
      [['env', 'add', 's', '--provider', 'supabase', '--url', 'https://abc.supabase.co'], 'tokendesk: --anon-key is required: a Supabase environment needs its anon key'],
      [['env', 'add', '', '--provider', 'session', '--url', 'http://localhost:3000'], 'tokendesk: a name is required'],
      [['env', 'add', '  ', '--provider', 'session', '--url', 'http://localhost:3000'], 'tokendesk: a name is required'],
      [['env', 'add', 'u', '--provider', 'session', '--url', 'http://me@localhost:3000'], 'tokendesk: --url: the URL contains a user name'],
    ];
    for (const [args, start] of cases) {
      const r = await h.runInProcess(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(stderrLines(r)[0]).toContain(start);
      expect(r.stderr).not.toContain('Too small');
    }
    expect((await h.runInProcess(['env', 'list', '--json'])).stdout.trim()).toBe('[]');

    expect((await h.runInProcess(['env', 'add', 'local', '--provider', 'session', '--url', 'http://localhost:3000'])).code).toBe(0);
    const blank = await h.runInProcess(['env', 'edit', 'local', '--name', '']);
    expect(blank.code).toBe(2);
    expect(stderrLines(blank)).toEqual(['tokendesk: --name: a name is required, e.g. staging or production']);
    const path = await h.runInProcess(['env', 'edit', 'local', '--url', 'http://localhost:3000/api/auth/session']);
    expect(path.code).toBe(2);
    const listed = JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout) as Array<{ name: string; url: string }>;
    expect(listed.map((e) => [e.name, e.url])).toEqual([['local', 'http://localhost:3000']]);
  });

  it('token and header without --env: the only environment, or the only one somebody is signed in to; else exit 2', async () => {
    const h = await demoHome();
    const bare = await h.runInProcess(['token']);
    expect(bare.code).toBe(2); // two environments, nobody signed in: which one?
    expect(stderrLines(bare)).toEqual([expect.stringMatching(/^tokendesk: which environment\? Pass --env NAME/)]);
    expect(bare.stdout).toBe('');

    const login = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'test@test.com', '--no-remember'], { input: 'stringstring\n' });
    expect(login.code, login.stderr).toBe(0);
    const token = await h.runInProcess(['token']);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout).toBe((await h.runInProcess(['token', '--env', DEMO_SESSION])).stdout);
    expect((await h.runInProcess(['header'])).stdout).toContain(`Authorization: Bearer ${token.stdout.trim()}`);

    // The only environment there is, before anybody signed in to it: it is the one meant (exit 4, not "which?").
    const single = newHome();
    expect((await single.runInProcess(['env', 'add', 'local', '--provider', 'session', '--url', 'http://localhost:1'])).code).toBe(0);
    const nobody = await single.runInProcess(['token']);
    expect(nobody.code).toBe(4);
    expect(stderrLines(nobody)).toEqual([expect.stringMatching(/^tokendesk: Nobody is signed in to "local"/)]);
  });
});
