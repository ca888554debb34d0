import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEMO_PAT_PATH, DEMO_PATS } from '../../src-main/core/demo-server/index.js';
import { signHs256 } from '../../src-main/core/demo-server/jwt.js';
import { openCore } from '../../src-main/core/open.js';
import { cliFixture, type CliHome } from '../helpers/cli.js';

/** The pasted-token kind (issue 20) against the demo server's token API (GET /pat/v1/me) on 127.0.0.1. */
const DEMO_TOKEN_ENV = 'Demo token API';
const dana = DEMO_PATS[0]!;
const bot = DEMO_PATS[1]!;
const { demo, demoHome } = cliFixture({ demo: true });

type EnvJson = { name: string; identities: Array<Record<string, unknown> & { check?: { result: string; reason: string | null } }> };
/** One environment of `status --json` (its exit code says whether anyone is signed in: not asserted here). */
const statusOf = async (h: CliHome, env = DEMO_TOKEN_ENV, check = false): Promise<EnvJson> => {
  const r = await h.runInProcess(['status', '--json', ...(check ? ['--check'] : [])]);
  return (JSON.parse(r.stdout) as { environments: EnvJson[] }).environments.find((e) => e.name === env)!;
};

const login = (h: CliHome, token: string, env = DEMO_TOKEN_ENV) => h.runInProcess(['login', '--env', env, '--with-token'], { input: `${token}\n` });

/** Sets an environment's settings the way the config stores them (the `env add|edit` flags are another change). */
async function setSettings(h: CliHome, env: string, settings: Record<string, string>): Promise<void> {
  const core = openCore({ home: h.dir });
  await core.config.update((c) => ({ ...c, environments: c.environments.map((e) => (e.name === env ? { ...e, settings } : e)) }));
}

describe('pasted token (provider bearer) through tokendesk login --with-token', () => {
  it('a demo token the API accepts is kept with no expiry; status, header, curl and the token fast path carry it', async () => {
    const h = await demoHome();
    const before = demo().stats.requests;
    const r = await login(h, `  ${dana.token}  `); // pasted with spaces around it: trimmed
    expect(r.code, r.stderr).toBe(0);
    expect(demo().stats.requests).toBe(before + 1); // tried at the check path first
    const [who] = (await statusOf(h)).identities;
    expect(who).toMatchObject({ signedIn: true, state: 'signed-in', noExpiry: true, expiresAt: null, renewal: 'none' });
    // An opaque token names nobody: its id is a hash of it, never the token itself.
    expect(who!.userId).toMatch(/^[0-9a-f]{12}$/);
    expect(JSON.stringify(who)).not.toContain(dana.token);
    const text = await h.runInProcess(['status']);
    expect(text.stdout).toContain('token has no expiry');

    const header = await h.runInProcess(['header', '--env', DEMO_TOKEN_ENV]);
    expect(header.stdout.trim()).toBe(`Authorization: Bearer ${dana.token}`);
    const curl = await h.runInProcess(['export', '--env', DEMO_TOKEN_ENV, '--format', 'curl']);
    expect(curl.stdout).toContain(`'${demo().url}${DEMO_PAT_PATH}'`);
    expect(curl.stdout).toContain(`-H 'Authorization: Bearer ${dana.token}'`);
    const dotenv = await h.runInProcess(['export', '--env', DEMO_TOKEN_ENV, '--format', 'dotenv']);
    expect(dotenv.stdout).toContain(`TOKEN=${dana.token}`);
    // The fast path (the binary) serves a session that has no expiry.
    const fast = await h.run(['token', '--env', DEMO_TOKEN_ENV]);
    expect(fast.code, fast.stderr).toBe(0);
    expect(fast.stdout.trim()).toBe(dana.token);
  });

  it('a token the API refuses (401) is said plainly and nothing is stored', async () => {
    const h = await demoHome();
    const r = await login(h, 'tdpat_demo_revoked_0000000000');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`The API refused this token at ${DEMO_PAT_PATH} (401): Bad credentials`);
    expect((await statusOf(h)).identities).toEqual([]);
  });

  it('a JWT is kept until its exp, as its sub and email; one past its exp is refused before it is sent anywhere', async () => {
    const h = await demoHome();
    const exp = Math.floor(Date.now() / 1000) + 7200;
    const jwt = signHs256({ sub: 'user-77', email: 'jo@jwt.test', exp });
    const r = await login(h, jwt);
    expect(r.code, r.stderr).toBe(0);
    const [who] = (await statusOf(h)).identities;
    expect(who).toMatchObject({ email: 'jo@jwt.test', userId: 'user-77', noExpiry: false, expiresAt: new Date(exp * 1000).toISOString() });

    const before = demo().stats.requests;
    const old = await login(h, signHs256({ sub: 'user-78', exp: Math.floor(Date.now() / 1000) - 60 }));
    expect(old.code).not.toBe(0);
    expect(old.stderr).toMatch(/This token expired at .*nothing was stored/);
    expect(demo().stats.requests).toBe(before);
    expect((await statusOf(h)).identities.map((i) => i.userId)).toEqual(['user-77']);
  });

  it('a malformed paste is refused by its syntax, naming the problem, not the token', async () => {
    const h = await demoHome();
    const r = await login(h, 'abc def');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('it contains a space');
    expect((await statusOf(h)).identities).toEqual([]);
  });

  it('another header carries the token alone (PRIVATE-TOKEN), in the check and in every header line', async () => {
    const h = await demoHome();
    await setSettings(h, DEMO_TOKEN_ENV, { header: 'PRIVATE-TOKEN', checkPath: DEMO_PAT_PATH });
    const r = await login(h, bot.token);
    expect(r.code, r.stderr).toBe(0);
    const header = await h.runInProcess(['header', '--env', DEMO_TOKEN_ENV]);
    expect(header.stdout.trim()).toBe(`PRIVATE-TOKEN: ${bot.token}`);
    const curl = await h.runInProcess(['export', '--env', DEMO_TOKEN_ENV, '--format', 'curl']);
    expect(curl.stdout).toContain(`-H 'PRIVATE-TOKEN: ${bot.token}'`);
    expect(curl.stdout).not.toContain('Authorization');
  });

  it('without a check path the token is kept without a request; status --check says there is nothing to ask', async () => {
    const h = await demoHome();
    const add = await h.runInProcess(['env', 'add', 'mine', '--provider', 'bearer', '--url', demo().url]);
    expect(add.code, add.stderr).toBe(0);
    const before = demo().stats.requests;
    const r = await login(h, 'tdpat_anything_goes_here', 'mine');
    expect(r.code, r.stderr).toBe(0);
    expect(demo().stats.requests).toBe(before);
    const mine = await statusOf(h, 'mine', true);
    expect(mine.identities[0]!.check).toMatchObject({ result: 'unknown', reason: expect.stringContaining('no check path') });
  });

  it('status --check asks the check path: a token the API now refuses ends', async () => {
    const h = await demoHome();
    await setSettings(h, DEMO_TOKEN_ENV, {}); // signed in without a check (no check path)...
    expect((await login(h, 'tdpat_not_a_demo_token_000')).code).toBe(0);
    await setSettings(h, DEMO_TOKEN_ENV, { checkPath: DEMO_PAT_PATH }); // ...then asked at the check path
    const env = await statusOf(h, DEMO_TOKEN_ENV, true);
    expect(env.identities[0]!.check).toMatchObject({ result: 'ended' });
    expect(env.identities[0]).toMatchObject({ state: 'signed-out', lastError: expect.stringContaining('Bad credentials') });
  });

  it('an API that cannot be reached is a network error naming the check, and nothing is stored', async () => {
    const h = await demoHome();
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    expect((await h.runInProcess(['env', 'add', 'gone', '--provider', 'bearer', '--url', `http://127.0.0.1:${port}`])).code).toBe(0);
    await setSettings(h, 'gone', { checkPath: '/me' });
    const r = await login(h, dana.token, 'gone');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Could not reach the API to try the token at /me');
    expect((await statusOf(h, 'gone')).identities).toEqual([]);
  });
});
