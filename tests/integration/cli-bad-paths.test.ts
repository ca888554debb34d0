import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startDemoServer } from '../../src-main/core/demo-server/index.js';
import { CLI, cliFixture, CliHome, collect, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, stderrLines } from '../helpers/cli.js';
import { movableClock } from '../helpers/clock.js';
import { skipping, thisMachine, unixFilesMissing } from '../helpers/platform-guards.js';

/** The walk-through of a new user's mistakes: each one a clear line, the right status, nothing stored. */
const unreachable = await keychainUnreachable();
const noDevZero = skipping('the /dev/zero standard-input test', unixFilesMissing(thisMachine()));
const { demo: demoServer, demoHome: home } = cliFixture({ demo: true });

async function envNames(h: CliHome): Promise<string[]> {
  const r = await h.runInProcess(['env', 'list', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { name: string }[]).map((e) => e.name);
}


describe.skipIf(unreachable !== undefined)('tokendesk bad paths', { timeout: 60_000 }, () => {
  it('"help COMMAND" is a success; a bare group ("env") is a usage error', async () => {
    const h = await home();
    const help = await h.runInProcess(['help', 'token']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tokendesk token');
    const bare = await h.runInProcess(['env']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: tokendesk env');
  });

  it('a bad --url or --color is a usage error (exit 2, usage shown) and adds nothing', async () => {
    const h = await home();
    const before = await envNames(h);
    for (const url of ['notaurl', 'ftp://x.test', 'http://']) {
      const r = await h.runInProcess(['env', 'add', 'bad', '--provider', 'session', '--url', url]);
      expect(r.code, url).toBe(2);
      expect(r.stderr).toMatch(/^tokendesk: option '--url <url>' argument '.*' is invalid\. must be an http:\/\/ or https:\/\/ URL/);
      expect(stderrLines(r)[1]).toBe('Run "tokendesk env add --help" for usage.');
      expect(r.stdout).toBe('');
    }
    const color = await h.runInProcess(['env', 'add', 'bad', '--provider', 'session', '--url', 'http://x.test', '--color', 'red']);
    expect(color.code).toBe(2);
    expect(color.stderr).toContain('must be a colour written #rrggbb');
    expect(color.stderr).not.toContain('/^#'); // no regular expression thrown at the user
    const edit = await h.runInProcess(['env', 'edit', DEMO_SESSION, '--url', 'notaurl']);
    expect(edit.code).toBe(2);
    expect(await envNames(h)).toEqual(before);
    const show = JSON.parse((await h.runInProcess(['env', 'show', DEMO_SESSION, '--json'])).stdout) as { url: string };
    expect(show.url).toBe(demoServer().url);
  });

  it('a missing password or key on standard input names what is missing and why', async () => {
    const h = await home();
    const empty = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: '' });
    expect(empty.code).toBe(1);
    expect(stderrLines(empty)).toEqual([expect.stringMatching(/^tokendesk: No password: standard input is empty and not a terminal; /)]);
    const blank = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: '\n' });
    expect(blank.stderr).toMatch(/^tokendesk: No password: the first line of standard input is empty/);
    const key = await h.runInProcess(['env', 'add', 'k', '--provider', 'session', '--url', 'http://x.test', '--api-key', '-'], { input: '' });
    expect(key.code).toBe(1);
    expect(key.stderr).toMatch(/^tokendesk: No API key: /);
    expect(await envNames(h)).not.toContain('k');
  });

  it.skipIf(noDevZero !== undefined)('a password or key on standard input is bounded: /dev/zero or a 64 KiB+ line fails at once, nothing is stored', async () => {
    const h = await home();
    const login = ['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'];
    const run = async (args: string[]) => {
      const zero = openSync('/dev/zero', 'r');
      onTestFinished(() => closeSync(zero));
      const t0 = Date.now();
      const r = await collect(spawn(process.execPath, [CLI, ...args], { env: h.env(), cwd: h.work, stdio: [zero, 'pipe', 'pipe'] }), { timeoutMs: 10_000 });
      return { ...r, ms: Date.now() - t0 };
    };
    const zero = await run(login);
    expect(zero.code).toBe(1);
    expect(zero.ms).toBeLessThan(3000); // it used to read on without end (517 MB after 20 s)
    expect(stderrLines(zero)).toEqual([expect.stringMatching(/^tokendesk: The password on standard input contains a NUL byte: give only the password, on the first line/)]);
    const key = await run(['env', 'add', 'zero', '--provider', 'session', '--url', 'http://x.test', '--api-key', '-']);
    expect(key.code).toBe(1);
    expect(key.stderr).toMatch(/^tokendesk: The API key on standard input contains a NUL byte/);
    expect(await envNames(h)).not.toContain('zero');

    /** The CLI stops reading before the input ends: our side of the pipe then gets EPIPE, which is expected. */
    const piped = (args: string[], input: string) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: h.env(), cwd: h.work });
      child.stdin.on('error', () => undefined);
      return collect(child, { input });
    };
    const long = await piped(login, `${'a'.repeat(64 * 1024 + 1)}\n`);
    expect(long.code).toBe(1);
    expect(stderrLines(long)).toEqual([expect.stringMatching(/^tokendesk: The password on standard input is longer than 64 KiB: /)]);
    // Long with no newline at all: stops at the limit rather than waiting for the end.
    const endless = await piped(login, 'b'.repeat(1024 * 1024));
    expect(endless.stderr).toMatch(/longer than 64 KiB/);
    // Exactly the limit is still a password (a wrong one here).
    const limit = await h.run(login, { input: `${'c'.repeat(64 * 1024)}\n` });
    expect(limit.code).toBe(1);
    expect(stderrLines(limit)).toEqual(['tokendesk: Invalid login credentials']);
  });

  it('two secrets given as - are read from two lines of standard input, in order', async () => {
    const h = await home();
    const add = await h.runInProcess(['env', 'add', 'two', '--provider', 'supabase', '--url', demoServer().url, '--anon-key', '-', '--api-key', '-'], {
      input: `${demoServer().anonKey}\nthe-api-key-value\n`,
    });
    expect(add.code, add.stderr).toBe(0);
    expect((await h.runInProcess(['login', '--env', 'two', '--email', 'owner@connectgain.test'], { input: 'demo-password\n' })).code).toBe(0);
    const header = await h.runInProcess(['header', '--env', 'two']);
    expect(header.stdout).toContain(`apikey: ${demoServer().anonKey}\n`);
    expect(header.stdout).toContain('X-API-Key: the-api-key-value\n');
  });

  it('keys stay out of the process list: env edit --anon-key - / --api-key - read stdin; the help says why', async () => {
    const h = await home();
    const edit = await h.runInProcess(['env', 'edit', DEMO_SUPABASE, '--anon-key', '-', '--api-key', '-'], { input: `${demoServer().anonKey}\nedited-api-key\n` });
    expect(edit.code, edit.stderr).toBe(0);
    expect((await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' })).code).toBe(0);
    const header = await h.runInProcess(['header', '--env', DEMO_SUPABASE]);
    expect(header.stdout).toContain(`apikey: ${demoServer().anonKey}\n`);
    expect(header.stdout).toContain('X-API-Key: edited-api-key\n');
    for (const cmd of ['add', 'edit']) {
      const help = (await h.runInProcess(['env', cmd, '--help'])).stdout.replace(/\s+/g, ' ');
      expect(help).toContain('--anon-key <key>');
      expect(help).toContain('give - to read it from a hidden prompt or stdin (a value here is visible in ps)');
      expect(help).toContain(`printf '%s\\n' "$ANON_KEY" | tokendesk env add staging --provider supabase --url https://abc.supabase.co --anon-key -`);
      expect(help).toContain('every user of this machine can read it in the process list (ps)');
    }
  });

  it('export -o never replaces an existing file without --force, and refuses before renewing anything', async () => {
    const h = await home();
    expect((await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' })).code).toBe(0);
    const file = join(h.work, 'mine.json');
    writeFileSync(file, 'my own notes\n');
    const refused = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'postman', '-o', file]);
    expect(refused.code).toBe(1);
    expect(stderrLines(refused)).toEqual([`tokendesk: ${file} already exists: nothing was written (pass --force to replace it)`]);
    expect(refused.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe('my own notes\n');
    const forced = await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'postman', '-o', file, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { name: string }).name).toBe(DEMO_SUPABASE);
    // A new file needs no --force.
    expect((await h.runInProcess(['export', '--env', DEMO_SUPABASE, '--format', 'dotenv', '-o', join(h.work, 'new.env')])).code).toBe(0);
  });

  it('import of a broken file names the file and adds nothing', async () => {
    const h = await home();
    const before = await envNames(h);
    const file = join(h.work, 'broken.postman_environment.json');
    writeFileSync(file, '{"name": "x", "values": [');
    const r = await h.runInProcess(['import', file]);
    expect(r.code).toBe(1);
    expect(stderrLines(r)).toEqual([`tokendesk: Cannot import ${file}: File is not valid JSON`]);
    expect(await envNames(h)).toEqual(before);
  });

  it('logout twice says the second time that there was nothing to sign out', async () => {
    const h = await home();
    expect((await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'test@test.com'], { input: 'stringstring\n' })).code).toBe(0);
    const first = await h.runInProcess(['logout', '--env', DEMO_SESSION]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('Signed out test@test.com from "Demo session API"\n');
    const again = await h.runInProcess(['logout', '--env', DEMO_SESSION]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('test@test.com was already signed out of "Demo session API"\n');
  });

  it('times are unambiguous (YYYY-MM-DD hh:mm:ss ZONE) whatever the locale', async () => {
    const h = await home();
    const r = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'test@test.com'], { input: 'stringstring\n', env: { LANG: 'en_US.UTF-8', TZ: 'UTC' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/token valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in (8 h|7 h 59 min)\)/);
    const status = await h.runInProcess(['status', '--env', DEMO_SESSION], { env: { TZ: 'UTC' } });
    expect(status.stdout).toMatch(/signed in, token valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  });

  it('status tells an expired but renewable token from a session that needs a new sign-in', async () => {
    // One-minute tokens and sessions, signed in 90 s ago (the CLI's clock set back, no sleep):
    // both ended about 30 s ago, so status says "… s ago".
    const short = await startDemoServer({ port: 0, accessTokenTtlSeconds: 60, sessionTtlSeconds: 60 });
    onTestFinished(() => short.close());
    const h = await home(short.url);
    const now = movableClock(-90_000).now;
    expect((await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n', now })).code).toBe(0);
    expect((await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'test@test.com'], { input: 'stringstring\n', now })).code).toBe(0);
    const human = await h.runInProcess(['status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/owner@connectgain\.test \(Olive Owner\) {2}token expired \d+ s ago; renewed on next use \(refresh token\)/);
    expect(human.stdout).toMatch(/test@test\.com {2}session expired \d+ s ago: sign in again/);
    const json = await h.runInProcess(['status', '--json']);
    const doc = JSON.parse(json.stdout) as { environments: { identities: { email: string; state: string; signedIn: boolean; lastError: string | null }[] }[] };
    const ids = doc.environments.flatMap((e) => e.identities);
    expect(ids).toEqual([
      expect.objectContaining({ email: 'owner@connectgain.test', state: 'expired-renewable', signedIn: false, lastError: null }),
      expect.objectContaining({ email: 'test@test.com', state: 'expired', signedIn: false, lastError: null }),
    ]);
    // The renewable one does renew on use, and status then says signed in.
    expect((await h.runInProcess(['token', '--env', DEMO_SUPABASE])).code).toBe(0);
    expect((await h.runInProcess(['status', '--env', DEMO_SUPABASE])).stdout).toContain('signed in, token valid until');
  });

  it('an identity that never signed in is a sign-in-needed status (4), not a generic error', async () => {
    const h = await home();
    const r = await h.runInProcess(['token', '--env', DEMO_SUPABASE, '--email', 'nobody@connectgain.test']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(stderrLines(r)).toEqual(['tokendesk: No identity nobody@connectgain.test in "Demo Supabase": sign in first']);
  });
});
