import { describe, expect, it } from 'vitest';
import { cliFixture, keychainUnreachable, stderrLines } from '../helpers/cli.js';
import { PROVIDER_KINDS, PROVIDERS } from '../../src-main/contract/providers.js';

const unreachable = await keychainUnreachable();
const { newHome } = cliFixture();

const ANON = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.cli-settings-anon-0123456789';

describe.skipIf(unreachable !== undefined)('tokendesk env add|edit: flags made from the declared settings', { timeout: 60_000 }, () => {
  it('offers one flag per declared setting of every kind, on add and edit', async () => {
    const h = newHome();
    const addHelp = (await h.runInProcess(['env', 'add', '--help'])).stdout;
    const editHelp = (await h.runInProcess(['env', 'edit', '--help'])).stdout;
    for (const kind of PROVIDER_KINDS) {
      for (const s of PROVIDERS[kind].settings) {
        expect(addHelp).toContain(`--${s.flag} `);
        expect(editHelp).toContain(`--${s.flag} `);
        if (s.secret && !s.required) expect(editHelp).toContain(`--remove-${s.flag}`);
      }
    }
  });

  it('a flag of another kind is refused naming the kinds it belongs to, and nothing is stored', async () => {
    const h = newHome();
    const add = await h.runInProcess(['env', 'add', 'local', '--provider', 'session', '--url', 'http://localhost:3000', '--anon-key', ANON]);
    expect(add.code).toBe(2);
    expect(stderrLines(add)[0]).toBe('tokendesk: --anon-key is a setting of Supabase environments, not of Session API ones');
    expect(JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout)).toEqual([]);

    expect((await h.runInProcess(['env', 'add', 'local', '--provider', 'session', '--url', 'http://localhost:3000'])).code).toBe(0);
    const edit = await h.runInProcess(['env', 'edit', 'local', '--anon-key', '-'], { input: `${ANON}\n` });
    expect(edit.code).toBe(2);
    expect(stderrLines(edit)[0]).toBe('tokendesk: --anon-key is a setting of Supabase environments, not of Session API ones');
    expect(h.folderText()).not.toContain(ANON);
  });

  it('env show and status --json list the settings, secret ones by name only', async () => {
    const h = newHome();
    const add = await h.runInProcess(['env', 'add', 'staging', '--provider', 'supabase', '--url', 'https://abc.supabase.co', '--anon-key', '-'], { input: `${ANON}\n` });
    expect(add.code, add.stderr).toBe(0);
    const show = await h.runInProcess(['env', 'show', 'staging', '--json']);
    expect(JSON.parse(show.stdout)).toMatchObject({ settings: {}, secretSettings: { anonKey: true, apiKey: false } });
    const status = await h.runInProcess(['status', '--json']);
    // (exit 4: nobody is signed in; the document is printed all the same)
    const env = (JSON.parse(status.stdout) as { environments: Array<Record<string, unknown>> }).environments[0]!;
    expect(env).toMatchObject({ name: 'staging', settings: {}, secretSettings: ['anonKey'] });
    expect(show.stdout + status.stdout).not.toContain(ANON);
  });
});
