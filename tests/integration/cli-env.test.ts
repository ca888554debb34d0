import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFixture, keychainUnreachable, stderrLines } from '../helpers/cli.js';

const unreachable = await keychainUnreachable();
const { newHome } = cliFixture();

// An anon key is a JWT with role anon (or sb_publishable_…): the CLI checks the shape as the form does.
const ANON = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.anon-key-value-0123456789';
const API = 'api-key-value-9876543210';

describe.skipIf(unreachable !== undefined)('tokendesk env', { timeout: 60_000 }, () => {
  it('adds, lists, shows, edits and removes environments of both providers; keys go to the keychain only', async () => {
    const h = newHome();
    const sb = await h.runInProcess(['env', 'add', 'staging', '--provider', 'supabase', '--url', 'https://abc.supabase.co/', '--anon-key', ANON, '--api-key', API, '--var', 'organization_id=42']);
    expect(sb.code, sb.stderr).toBe(0);
    expect(sb.stdout).toContain('Added environment "staging" (supabase, https://abc.supabase.co)');
    const sess = await h.runInProcess(['env', 'add', 'local', '--provider', 'session', '--url', 'http://localhost:3000']);
    expect(sess.code, sess.stderr).toBe(0);

    const list = await h.runInProcess(['env', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'staging', provider: 'supabase', url: 'https://abc.supabase.co', production: false, identities: [] }),
      expect.objectContaining({ name: 'local', provider: 'session', url: 'http://localhost:3000' }),
    ]);
    expect((await h.runInProcess(['env', 'list'])).stdout).toMatch(/^NAME\s+PROVIDER\s+URL/);

    const show = await h.runInProcess(['env', 'show', 'STAGING', '--json']);
    expect(show.code).toBe(0);
    const doc = JSON.parse(show.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ name: 'staging', secrets: { anonKey: true, apiKey: true }, variables: { organization_id: '42' } });
    expect(show.stdout).not.toContain(ANON);
    expect((await h.runInProcess(['env', 'show', 'staging'])).stdout).not.toContain(API);

    // Secrets never reach the config folder.
    expect(h.folderText()).not.toContain(ANON);
    expect(h.folderText()).not.toContain(API);
    expect(readFileSync(join(h.dir, 'config.json'), 'utf8')).toContain('organization_id');

    const edit = await h.runInProcess(['env', 'edit', 'staging', '--name', 'stage', '--url', 'https://def.supabase.co', '--remove-api-key', '--var', 'team=a', '--unset-var', 'organization_id', '--var-name', 'access_token=jwt']);
    expect(edit.code, edit.stderr).toBe(0);
    const after = JSON.parse((await h.runInProcess(['env', 'show', 'stage', '--json'])).stdout) as Record<string, unknown>;
    // Another project is another server: the old project's anon key is not kept for it (issue 27), and that was said first.
    expect(edit.stderr).toContain('its stored anon key will be removed (enter it again for https://def.supabase.co)');
    expect(after).toMatchObject({ url: 'https://def.supabase.co', secrets: { anonKey: false, apiKey: false }, variables: { team: 'a' } });
    expect((after.exportedNames as Record<string, string>).access_token).toBe('jwt');

    const rm = await h.runInProcess(['env', 'remove', 'stage']);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toContain('Removed environment "stage"');
    expect(JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout)).toHaveLength(1);
  });

  it('reads a key given as "-" from stdin, so it stays out of argv', async () => {
    const h = newHome();
    const r = await h.runInProcess(['env', 'add', 'piped', '--provider', 'supabase', '--url', 'https://x.supabase.co', '--anon-key', '-'], { input: `${ANON}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse((await h.runInProcess(['env', 'show', 'piped', '--json'])).stdout)).toMatchObject({ secrets: { anonKey: true } });
  });

  it('accepts a plain-http URL to another machine with a warning on stderr (the window\'s rule); none for localhost', async () => {
    const h = newHome();
    const add = await h.runInProcess(['env', 'add', 'lan', '--provider', 'session', '--url', 'http://api.example.com']);
    expect(add.code, add.stderr).toBe(0);
    expect(stderrLines(add)).toEqual([expect.stringMatching(/^tokendesk: warning: Plain http: tokens would travel unencrypted to a non-local host \(http:\/\/api\.example\.com\)/)]);
    const local = await h.runInProcess(['env', 'add', 'local', '--provider', 'session', '--url', 'http://localhost:3000']);
    expect(local.stderr).toBe('');
    const moved = await h.runInProcess(['env', 'edit', 'local', '--url', 'http://10.0.0.5:3000']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toMatch(/warning: Plain http: .*\(http:\/\/10\.0\.0\.5:3000\)/);
    const secure = await h.runInProcess(['env', 'edit', 'lan', '--url', 'https://api.example.com']);
    expect(secure.stderr).not.toContain('Plain http');
  });

  it('env show lines its values up in one column, "exported as:" included', async () => {
    const h = newHome();
    await h.runInProcess(['env', 'add', 'staging', '--provider', 'supabase', '--url', 'https://abc.supabase.co', '--anon-key', ANON, '--label', 'team']);
    const show = await h.runInProcess(['env', 'show', 'staging']);
    expect(show.code, show.stderr).toBe(0);
    const rows = show.stdout.trimEnd().split('\n').slice(1);
    expect(rows.map((r) => r.split(':')[0]!.trim())).toEqual(['provider', 'url', 'sign-in', 'label', 'anon key', 'API key', 'social sign-in', 'variables', 'exported as', 'identities']);
    const columns = new Set(rows.map((r) => r.search(/:\s+\S/) + (/:\s+/.exec(r)![0].length)));
    expect(columns.size, show.stdout).toBe(1);
  });

  it('guesses production from the name and says so', async () => {
    const h = newHome();
    const r = await h.runInProcess(['env', 'add', 'production', '--provider', 'session', '--url', 'https://api.example.com']);
    expect(r.stdout).toContain('production');
    expect(JSON.parse((await h.runInProcess(['env', 'show', 'production', '--json'])).stdout)).toMatchObject({ production: true });
  });

  it('fails with one clear line: unknown environment lists the known ones; invalid input; duplicates', async () => {
    const h = newHome();
    await h.runInProcess(['env', 'add', 'alpha', '--provider', 'session', '--url', 'http://localhost:1']);
    await h.runInProcess(['env', 'add', 'beta', '--provider', 'session', '--url', 'http://localhost:2']);
    for (const args of [['env', 'show', 'gamma'], ['token', '--env', 'gamma'], ['status', '--env', 'gamma']]) {
      const r = await h.run(args);
      expect(r.code).toBe(1);
      expect(stderrLines(r)).toEqual(['tokendesk: No environment named "gamma" (known: alpha, beta)']);
      expect(r.stdout).toBe('');
    }
    const dup = await h.runInProcess(['env', 'add', 'ALPHA', '--provider', 'session', '--url', 'http://localhost:3']);
    expect(dup.code).toBe(1);
    expect(stderrLines(dup)).toEqual(['tokendesk: An environment named "ALPHA" already exists']);
    const noAnon = await h.runInProcess(['env', 'add', 'sb', '--provider', 'supabase', '--url', 'https://x.supabase.co']);
    expect(noAnon.code).toBe(2); // a missing flag is bad usage (issue 25)
    expect(stderrLines(noAnon)).toHaveLength(1);
    expect(noAnon.stderr).toMatch(/anon key/);
    // A malformed --url is a usage error like a malformed --port: exit 2, the reason first, then the usage.
    const badUrl = await h.runInProcess(['env', 'add', 'bad', '--provider', 'session', '--url', 'ftp://x']);
    expect(badUrl.code).toBe(2);
    expect(stderrLines(badUrl)[0]).toMatch(/^tokendesk: option '--url <url>' argument 'ftp:\/\/x' is invalid\. must be an http:\/\/ or https:\/\/ URL/);
    expect(JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout)).toHaveLength(2);
  });

  it('shows the usage for usage errors (exit 2)', async () => {
    const h = newHome();
    const missing = await h.runInProcess(['env', 'add', 'x', '--url', 'http://localhost']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("tokendesk: required option '-p, --provider <kind>' not specified");
    expect(missing.stderr).toContain('Run "tokendesk env add --help" for usage.');
    expect(missing.stderr).not.toContain('Usage:');
    const badChoice = await h.runInProcess(['env', 'add', 'x', '--provider', 'oauth', '--url', 'http://localhost']);
    expect(badChoice.code).toBe(2);
    expect(badChoice.stderr).toMatch(/Allowed choices are supabase, session/);
    const badVar = await h.runInProcess(['env', 'add', 'x', '--provider', 'session', '--url', 'http://localhost', '--var', 'novalue']);
    expect(badVar.code).toBe(2);
    expect(badVar.stderr).toContain('--var must be KEY=VALUE');
    const unknown = await h.runInProcess(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const nothing = await h.runInProcess(['env', 'edit', 'x']);
    expect(nothing.code).toBe(1); // no environment "x" yet
  });

  it('has --help on every command', async () => {
    const h = newHome();
    const commands = [
      [], ['env'], ['env', 'add'], ['env', 'list'], ['env', 'show'], ['env', 'edit'], ['env', 'remove'],
      ['login'], ['signup'], ['logout'], ['switch'], ['account'], ['status'], ['token'], ['header'],
      ['export'], ['exec'], ['import'], ['demo-server'], ['demo-setup'],
    ];
    // Twenty CLI processes start at once: on a loaded machine one can take longer than the default
    // 15 s. This test is about every command having help, not about start-up time (the bench is).
    const results = await Promise.all(commands.map((c) => h.run([...c, '--help'], { timeoutMs: 60_000 })));
    commands.forEach((c, i) => {
      expect(results[i]!.code, c.join(' ')).toBe(0);
      expect(results[i]!.stdout).toContain(`Usage: tokendesk${c.length ? ` ${c.join(' ')}` : ''}`);
    });
    expect((await h.runInProcess(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  }, 90_000);
});
