import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ANY_PATH_PASSWORD, ANY_PATH_USER, ANY_PATH_USER_NAME, startAnyPathApi, type AnyPathApi } from '../helpers/any-path-api.js';
import { cliFixture, onTerminal, type CliHome } from '../helpers/cli.js';

/**
 * Session APIs at any path (issue 20), end to end through `tokendesk`: an environment made with the
 * session kind's flags, a user name (not an email) and password piped to `login`, then status, token
 * (the binary's fast path), header, status --check and logout, against a real API on 127.0.0.1.
 */
let api: AnyPathApi;
beforeAll(async () => {
  api = await startAnyPathApi();
});
afterAll(() => api.close());
afterEach(() => {
  api.setLoginShape(undefined);
  api.seen.length = 0;
});
const { newHome } = cliFixture();

const PATH_FLAGS = ['--login-path', '/v2/sessions', '--session-path', '/v2/me', '--logout-path', '/v2/logout', '--identifier-field', 'username', '--password-field', 'secret'];
const MAP_FLAGS = ['--map', 'token=data.accessToken', '--map', 'expires=data.expiresIn', '--map', 'userId=user.id', '--map', 'email=user.email'];

type IdentityJson = { email: string | null; userId: string; signedIn: boolean; state: string; expiresAt: string | null };
type EnvJson = { name: string; settings: Record<string, string>; identities: IdentityJson[] };

async function addMine(h: CliHome, name = 'Mine', url = api.url): Promise<void> {
  const r = await h.runInProcess(['env', 'add', name, '--provider', 'session', '--url', url, ...PATH_FLAGS, ...MAP_FLAGS]);
  expect(r.code, r.stderr).toBe(0);
}

const login = (h: CliHome, password = ANY_PATH_PASSWORD, env = 'Mine') => h.runInProcess(['login', '--env', env, '--email', ANY_PATH_USER_NAME, '--no-remember'], { input: `${password}\n` });

async function statusOf(h: CliHome, env = 'Mine'): Promise<EnvJson> {
  const r = await h.runInProcess(['status', '--json']);
  return (JSON.parse(r.stdout) as { environments: EnvJson[] }).environments.find((e) => e.name === env)!;
}

async function shown(h: CliHome, env = 'Mine'): Promise<Record<string, string>> {
  const r = await h.runInProcess(['env', 'show', env, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { settings: Record<string, string> }).settings;
}

describe('tokendesk with a session API at its own paths, field names and answer shape', () => {
  it('env add with the flags, login with a user name, status, token, header, status --check, logout', async () => {
    const h = newHome();
    await addMine(h);
    expect(await shown(h)).toMatchObject({ loginPath: '/v2/sessions', identifierField: 'username', map: 'token=data.accessToken\nexpires=data.expiresIn\nuserId=user.id\nemail=user.email' });

    // `--email alice`: the field asks for a user name here, so a name without @ is taken.
    const r = await login(h);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Signed in to "Mine" as ${ANY_PATH_USER.email}`);
    expect(api.seen).toEqual(['POST /v2/sessions']);

    const [who] = (await statusOf(h)).identities;
    expect(who).toMatchObject({ email: ANY_PATH_USER.email, userId: 'u-7', signedIn: true, state: 'signed-in' });
    // expiresIn 3600 is seconds from now.
    const left = Date.parse(who!.expiresAt!) - Date.now();
    expect(left).toBeGreaterThan(3500_000);
    expect(left).toBeLessThanOrEqual(3600_000);

    const fast = await h.run(['token', '--env', 'Mine']);
    expect(fast.code, fast.stderr).toBe(0);
    const token = fast.stdout.trim();
    expect(api.live.has(token)).toBe(true);
    const header = await h.runInProcess(['header', '--env', 'Mine']);
    expect(header.stdout.trim()).toBe(`Authorization: Bearer ${token}`);

    const check = await h.runInProcess(['status', '--check', '--json']);
    expect(check.code, check.stderr).toBe(0);
    const checked = (JSON.parse(check.stdout) as { environments: Array<{ name: string; identities: Array<{ check: { result: string } }> }> }).environments.find((e) => e.name === 'Mine')!;
    expect(checked.identities.map((i) => i.check.result)).toEqual(['accepted']);
    expect(api.seen.at(-1)).toBe('GET /v2/me');

    const out = await h.runInProcess(['logout', '--env', 'Mine']);
    expect(out.code, out.stderr).toBe(0);
    expect(api.seen.at(-1)).toBe('POST /v2/logout');
    expect(api.live.has(token)).toBe(false);
    expect((await statusOf(h)).identities.map((i) => i.signedIn)).toEqual([false]);
    // Nothing was ever asked at seed 003's paths.
    expect(api.seen.some((s) => s.includes('/api/auth/'))).toBe(false);
  });

  it('a wrong password is the API\'s refusal in its words, and nothing is stored', async () => {
    const h = newHome();
    await addMine(h);
    const r = await login(h, 'not the password');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Wrong username or password');
    expect((await statusOf(h)).identities).toEqual([]);
  });

  it('a mapping that does not match the real answer names the field and the path, and nothing is stored', async () => {
    const h = newHome();
    await addMine(h);
    api.setLoginShape((token) => ({ data: { access_token: token, expiresIn: 3600 }, user: ANY_PATH_USER }));
    const r = await login(h);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The sign-in answer has nothing at data.accessToken (the token mapping): nothing was stored');
    expect((await statusOf(h)).identities).toEqual([]);
    expect(api.seen).toEqual(['POST /v2/sessions']);
  });

  it('env edit --map replaces the whole set of mappings; --login-path \'\' restores the default path', async () => {
    const h = newHome();
    await addMine(h);
    const e = await h.runInProcess(['env', 'edit', 'Mine', '--map', 'token=data.accessToken', '--map', 'email=user.email']);
    expect(e.code, e.stderr).toBe(0);
    const after = await shown(h);
    expect(after.map).toBe('token=data.accessToken\nemail=user.email');

    const d = await h.runInProcess(['env', 'edit', 'Mine', '--login-path', '']);
    expect(d.code, d.stderr).toBe(0);
    expect(await shown(h)).toMatchObject({ loginPath: '/api/auth/login', sessionPath: '/v2/me' });
    const text = await h.runInProcess(['env', 'show', 'Mine']);
    expect(text.stdout).toContain('login path:       /api/auth/login (default)\n');
    // Every value in one column, also after the longest label.
    expect(text.stdout).toContain('identifier field: username\n');
  });

  it('a map FIELD the session kind does not read is refused at env add and env edit, naming it and the allowed ones', async () => {
    const h = newHome();
    const r = await h.runInProcess(['env', 'add', 'Typo', '--provider', 'session', '--url', api.url, '--map', 'tokn=data.accessToken']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('"tokn" is not a field that can be mapped; use one of token, expires, userId, email, accounts, roles, permissions');
    expect((await h.runInProcess(['env', 'list', '--json'])).stdout).not.toContain('Typo');

    await addMine(h);
    const before = await shown(h);
    const e = await h.runInProcess(['env', 'edit', 'Mine', '--map', 'token=data.accessToken', '--map', 'expiry=data.expiresIn']);
    expect(e.code).not.toBe(0);
    expect(e.stderr).toContain('"expiry" is not a field that can be mapped');
    expect(await shown(h)).toEqual(before);
  });

  it('with its own paths, a base URL ending in /api is the API root and signs in; back to the default paths it is refused', async () => {
    const h = newHome();
    // Without custom paths /api is where seed 003's paths start: refused, as before.
    const plain = await h.runInProcess(['env', 'add', 'Plain', '--provider', 'session', '--url', `${api.url}/api`]);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toContain('ends in /api');

    await addMine(h, 'Mounted', `${api.url}/api`);
    const r = await login(h, ANY_PATH_PASSWORD, 'Mounted');
    expect(r.code, r.stderr).toBe(0);
    expect(api.seen).toEqual(['POST /api/v2/sessions']);

    // Restoring every default path would send requests to /api/api/auth/…: refused, the paths kept.
    const back = await h.runInProcess(['env', 'edit', 'Mounted', '--login-path', '', '--session-path', '', '--logout-path', '']);
    expect(back.code).not.toBe(0);
    expect(back.stderr).toContain('ends in /api');
    expect(await shown(h, 'Mounted')).toMatchObject({ loginPath: '/v2/sessions', sessionPath: '/v2/me', logoutPath: '/v2/logout' });
  });

  it('without --email the user name is asked: the first line of a pipe, a "User name" prompt on a terminal', async () => {
    const h = newHome();
    await addMine(h);
    const piped = await h.runInProcess(['login', '--env', 'Mine', '--no-remember'], { input: `${ANY_PATH_USER_NAME}\n${ANY_PATH_PASSWORD}\n` });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toContain(`as ${ANY_PATH_USER.email}`);

    const r = await onTerminal(h.env(), ['login', '--env', 'Mine', '--no-remember'], [
      ['User name for Mine: ', `${ANY_PATH_USER_NAME}\r`],
      ['Password for alice', `${ANY_PATH_PASSWORD}\r`],
    ]);
    expect(r.unanswered, r.output).toEqual([]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).not.toContain('Enter an email address');
  });

  it('with the default identifier field an email address is still required', async () => {
    const h = newHome();
    const a = await h.runInProcess(['env', 'add', 'Seed', '--provider', 'session', '--url', api.url]);
    expect(a.code, a.stderr).toBe(0);
    const r = await login(h, ANY_PATH_PASSWORD, 'Seed');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('"alice" is not an email address');
    expect(api.seen).toEqual([]);
  });
});
