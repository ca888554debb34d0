import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core/open.js';
import { MAX_LIFETIME_MS } from '../../src-main/core/providers/lifetime.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { CliHome, keychainUnreachable, stderrLines } from '../helpers/cli.js';
import { goTrueTokenAnswer, goTrueUser, sessionLoginAnswer, startHostileAuthServer, userIdFor, type HostileAuthServer } from '../helpers/hostile-auth-server.js';
import { rejection } from '../helpers/rejection.js';

/**
 * Answers that parse but must not be trusted (issue 8): tokens that would inject header lines,
 * absurd expiries, a Date header from 1970, a server that signs `a@x` in as `b@y`. Real HTTP against
 * tests/helpers/hostile-auth-server.ts, the real keychain, and the built CLI where a user would notice.
 */

const unreachable = await keychainUnreachable();
const PASSWORD = 'correct horse battery staple';
const INJECTED = 'eyJhbGciOiJIUzI1NiJ9.e30.sig\r\nX-Injected: 1';

let server: HostileAuthServer;
beforeAll(async () => {
  server = await startHostileAuthServer();
});
afterAll(async () => server.close());

const homes: CliHome[] = [];
afterEach(async () => {
  server.reset();
  for (const h of homes.splice(0)) await h.cleanup();
});

/** A fresh TOKENDESK_HOME with a Supabase and a session-API environment on the hostile server. */
async function setup(): Promise<{ h: CliHome; core: Core; clock: { offset: number } }> {
  const h = new CliHome();
  homes.push(h);
  const clock = { offset: 0 };
  const core = openCore({ home: h.dir, now: () => Date.now() + clock.offset, retryDeadlineMs: 300 });
  await core.envs.add({ name: 'supa', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey });
  await core.envs.add({ name: 'sess', provider: 'session', baseUrl: server.url });
  return { h, core, clock };
}

const login = (h: CliHome, env: string, email: string) => h.run(['login', '--env', env, '--email', email], { input: `${PASSWORD}\n` });

async function storedSessions(core: Core): Promise<string[]> {
  const all = await core.secrets.loadAll();
  return [...all.keys()].filter((k) => k.endsWith('/session'));
}

async function rawSession(core: Core, env: string): Promise<string | undefined> {
  const cfg = await core.config.read();
  const envId = cfg.environments.find((e) => e.name === env)!.id;
  const identity = cfg.identities.find((i) => i.envId === envId);
  return identity ? core.secrets.get(secretKeys.session(identity.id)) : undefined;
}

describe.skipIf(unreachable !== undefined)('hostile answers: token syntax', { timeout: 60_000 }, () => {
  it('an access token with CR/LF and a header line is refused at sign-in: nothing stored, nothing printed', async () => {
    const { h, core } = await setup();
    server.answer('supabase-password', (_req, normal) => ({ body: { ...normal.body, access_token: INJECTED } }));
    const r = await login(h, 'supa', 'a@x.test');
    expect(r.code).toBe(1);
    expect(stderrLines(r)).toEqual([
      'tokendesk: The server sent an access token that is not a valid bearer token (it contains a line break); nothing was stored',
    ]);
    expect(r.stdout + r.stderr).not.toContain('X-Injected');
    expect(await storedSessions(core)).toEqual([]);
    expect((await core.config.read()).identities).toEqual([]);
    // So `curl -H "Authorization: Bearer $(tokendesk token)"` and `tokendesk header` have nothing to inject.
    const header = await h.run(['header', '--env', 'supa']);
    expect(header.code).toBe(4);
    expect(header.stdout).toBe('');
  });

  it('refresh tokens and session tokens must be bearer tokens too; so must a token under 16 KiB', async () => {
    const { core } = await setup();
    const cases: Array<[string, (body: Record<string, unknown>) => Record<string, unknown>, string]> = [
      ['supa', (b) => ({ ...b, refresh_token: 'abc def' }), 'The server sent a refresh token that is not a valid bearer token (it contains a space); nothing was stored'],
      ['supa', (b) => ({ ...b, access_token: `${'a'.repeat(16 * 1024)}b` }), 'The server sent an access token that is not a valid bearer token (it is longer than 16 KiB); nothing was stored'],
      ['supa', (b) => ({ ...b, access_token: 'tok\u001b[2Jen' }), 'The server sent an access token that is not a valid bearer token (it contains a control character); nothing was stored'],
      ['sess', (b) => ({ ...b, token: 'e9f7\tX-Evil: 1' }), 'The server sent a session token that is not a valid bearer token (it contains a space); nothing was stored'],
      ['sess', (b) => ({ ...b, token: 'abc"def' }), 'The server sent a session token that is not a valid bearer token (it contains a character a bearer token cannot have); nothing was stored'],
    ];
    for (const [env, change, message] of cases) {
      server.answer(env === 'supa' ? 'supabase-password' : 'session-login', (_req, normal) => ({ body: change(normal.body) }));
      const e = await rejection(core.sessions.signIn(env, { email: 'a@x.test', password: PASSWORD }), 'bad_response');
      expect(e.message).toBe(message);
    }
    expect(await storedSessions(core)).toEqual([]);
    // Well-formed tokens of every kind still pass: a JWT, base64 with padding, hex.
    server.answer('supabase-password', (_req, normal) => ({ body: { ...normal.body, refresh_token: 'YWJj+/~-._=' } }));
    await core.sessions.signIn('supa', { email: 'a@x.test', password: PASSWORD });
    server.reset();
    await core.sessions.signIn('sess', { email: 'a@x.test', password: PASSWORD });
    expect(await storedSessions(core)).toHaveLength(2);
  });

  it('a refresh answer with an injected access token is refused and the stored session is kept as it was', async () => {
    const { core, clock } = await setup();
    await core.sessions.signIn('supa', { email: 'a@x.test', password: PASSWORD });
    const before = await rawSession(core, 'supa');
    server.answer('supabase-refresh', (_req, normal) => ({ body: { ...normal.body, access_token: INJECTED } }));
    clock.offset = 3600_000 - 60_000; // inside the margin, not expired
    // The renewal flow may keep the old token with a warning or fail; either way nothing bad is stored.
    const out = await core.sessions.getFreshToken('supa').catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    expect(server.requests.some((r) => r.route === 'supabase-refresh')).toBe(true);
    if (out instanceof Error) expect(out).toMatchObject({ code: 'bad_response' });
    else expect(out.session.accessToken).not.toContain('\n');
    expect(await rawSession(core, 'supa')).toBe(before);
  });

  it('a stored session whose token has a line break is no session: token/header exit 4, status says signed out', async () => {
    const { h, core } = await setup();
    expect((await login(h, 'supa', 'a@x.test')).code).toBe(0);
    const cfg = await core.config.read();
    const identity = cfg.identities[0]!;
    const planted = JSON.parse((await core.secrets.get(secretKeys.session(identity.id)))!) as Record<string, unknown>;
    await core.secrets.set(secretKeys.session(identity.id), JSON.stringify({ ...planted, accessToken: INJECTED }));
    for (const cmd of ['token', 'header']) {
      const r = await h.run([cmd, '--env', 'supa']);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stdout).toBe('');
    }
    const status = await h.run(['status', '--env', 'supa']);
    expect(status.code, status.stderr).toBe(4); // nobody with a usable session (issue 11: status exits non-zero)
    expect(status.stdout).toContain('a@x.test  signed out');
    expect(status.stdout).not.toContain('X-Injected');
  });
});

describe.skipIf(unreachable !== undefined)('hostile answers: absurd expiries', { timeout: 60_000 }, () => {
  it('expires_in: 1e306 on a refresh keeps the session: the rotated refresh token is stored, the expiry capped at a year', async () => {
    const { core, clock } = await setup();
    await core.sessions.signIn('supa', { email: 'a@x.test', password: PASSWORD });
    let rotated = '';
    server.answer('supabase-refresh', (_req, normal) => {
      rotated = normal.body.refresh_token as string;
      return { body: { ...normal.body, expires_in: 1e306 } };
    });
    clock.offset = 3600_000 - 60_000;
    const fresh = await core.sessions.getFreshToken('supa');
    expect(fresh.warning).toBeUndefined();
    const stored = JSON.parse((await rawSession(core, 'supa'))!) as { refreshToken: string; obtainedAt: number; expiresAt: number };
    expect(stored.refreshToken).toBe(rotated);
    expect(Number.isFinite(stored.expiresAt)).toBe(true);
    expect(stored.expiresAt - stored.obtainedAt).toBe(MAX_LIFETIME_MS);
    // Still signed in, and the next call hands out the same token without another refresh.
    const refreshes = server.requests.filter((r) => r.route === 'supabase-refresh').length;
    expect((await core.sessions.getFreshToken('supa')).session.accessToken).toBe(fresh.session.accessToken);
    expect(server.requests.filter((r) => r.route === 'supabase-refresh').length).toBe(refreshes);
  });

  it('expires_in: 1e400 (Infinity once parsed) is capped the same way', async () => {
    const { core } = await setup();
    server.answer('supabase-password', (_req, normal) => ({ raw: JSON.stringify({ ...normal.body, expires_in: 1 }).replace('"expires_in":1', '"expires_in":1e400') }));
    await core.sessions.signIn('supa', { email: 'a@x.test', password: PASSWORD });
    const s = JSON.parse((await rawSession(core, 'supa'))!) as { obtainedAt: number; expiresAt: number };
    expect(s.expiresAt - s.obtainedAt).toBe(MAX_LIFETIME_MS);
  });

  it('expires_in: 1e12 at sign-in: login and status show a real date a year ahead, never NaN', async () => {
    const { h } = await setup();
    server.answer('supabase-password', (_req, normal) => ({ body: { ...normal.body, expires_in: 1e12 } }));
    const r = await login(h, 'supa', 'a@x.test');
    expect(r.code, r.stderr).toBe(0);
    const nextYear = new Date(Date.now() + MAX_LIFETIME_MS).getFullYear();
    expect(r.stdout).toMatch(new RegExp(`token valid until ${nextYear}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d`));
    expect(r.stdout).not.toContain('NaN');
    const status = await h.run(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as { environments: { identities: { expiresInSeconds: number; state: string }[] }[] };
    const id = doc.environments.flatMap((e) => e.identities)[0]!;
    expect(id.state).toBe('signed-in');
    expect(Math.abs(id.expiresInSeconds - MAX_LIFETIME_MS / 1000)).toBeLessThan(30);
  });

  it('expires_in: 0.001 is refused with a clear message (no expired token handed out with exit 0)', async () => {
    const { h, core } = await setup();
    server.answer('supabase-password', (_req, normal) => ({ body: { ...normal.body, expires_in: 0.001 } }));
    const r = await login(h, 'supa', 'a@x.test');
    expect(r.code).toBe(1);
    expect(stderrLines(r)).toEqual([
      'tokendesk: The server issued a token that lives only 0.001 s (expires_in: 0.001); a token must live at least 1 s, so nothing was stored',
    ]);
    expect(await storedSessions(core)).toEqual([]);
    const token = await h.run(['token', '--env', 'supa']);
    expect(token.code).toBe(4);
    expect(token.stdout).toBe('');
  });

  it('a refresh answer with expires_in: 0.001 is refused and the stored session is kept as it was', async () => {
    const { core, clock } = await setup();
    await core.sessions.signIn('supa', { email: 'a@x.test', password: PASSWORD });
    const before = await rawSession(core, 'supa');
    server.answer('supabase-refresh', (_req, normal) => ({ body: { ...normal.body, expires_in: 0.001 } }));
    clock.offset = 3600_000 - 60_000;
    // The renewal flow may keep the old token with a warning or fail; either way nothing bad is stored.
    const out = await core.sessions.getFreshToken('supa').catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    if (out instanceof Error) expect(out).toMatchObject({ code: 'bad_response' });
    else expect(out.session.expiresAt).toBeGreaterThan(Date.now() + clock.offset);
    expect(await rawSession(core, 'supa')).toBe(before);
  });

  it('session API: expiresAt in year 9999 is capped at a year', async () => {
    const { core } = await setup();
    server.answer('session-login', (_req, normal) => ({ body: { ...normal.body, expiresAt: '9999-12-31T23:59:59.999Z' } }));
    await core.sessions.signIn('sess', { email: 'a@x.test', password: PASSWORD });
    const s = JSON.parse((await rawSession(core, 'sess'))!) as { obtainedAt: number; expiresAt: number };
    expect(s.expiresAt - s.obtainedAt).toBe(MAX_LIFETIME_MS);
  });

  it('session API: a Date header from 1970 (or 2100) is ignored; one a few hours off still corrects the skew', async () => {
    const { core } = await setup();
    const lifetime = async (date: string, expiresInMs: number): Promise<number> => {
      server.answer('session-login', () => ({ headers: { Date: date }, body: sessionLoginAnswer('a@x.test', expiresInMs) }));
      await core.sessions.signIn('sess', { email: 'a@x.test', password: PASSWORD });
      const s = JSON.parse((await rawSession(core, 'sess'))!) as { obtainedAt: number; expiresAt: number };
      return s.expiresAt - s.obtainedAt;
    };
    // Broken headers: the 8 h token is measured on our clock, not stretched to 54 years or refused.
    expect(Math.abs((await lifetime('Thu, 01 Jan 1970 00:00:00 GMT', 8 * 3600_000)) - 8 * 3600_000)).toBeLessThan(2000);
    expect(Math.abs((await lifetime('Fri, 01 Jan 2100 00:00:00 GMT', 8 * 3600_000)) - 8 * 3600_000)).toBeLessThan(2000);
    expect(Math.abs((await lifetime('not a date', 8 * 3600_000)) - 8 * 3600_000)).toBeLessThan(2000);
    // A server clock 3 h ahead whose token lives 1 h by its clock: still 1 h here (existing behaviour).
    const ahead = new Date(Date.now() + 3 * 3600_000).toUTCString();
    expect(Math.abs((await lifetime(ahead, 4 * 3600_000)) - 3600_000)).toBeLessThan(2000);
  });

  it('session API: an expiresAt in the past is refused and nothing is stored', async () => {
    const { core } = await setup();
    server.answer('session-login', () => ({ body: sessionLoginAnswer('a@x.test', -60_000) }));
    const e = await rejection(core.sessions.signIn('sess', { email: 'a@x.test', password: PASSWORD }), 'bad_response');
    expect(e.message).toBe('The server issued a token that has already expired (expiresAt is in the past); nothing was stored');
    expect(await storedSessions(core)).toEqual([]);
  });
});

describe.skipIf(unreachable !== undefined)('status never crashes on stored data', { timeout: 60_000 }, () => {
  it('absurd sessions planted in the keychain: status and status --json exit 0, no NaN, no "unexpected error"', async () => {
    const { h, core } = await setup();
    for (const email of ['huge@x.test', 'null@x.test', 'y9999@x.test', 'text@x.test']) {
      expect((await login(h, 'supa', email)).code).toBe(0);
    }
    const cfg = await core.config.read();
    const plant = async (email: string, change: Record<string, unknown>) => {
      const id = cfg.identities.find((i) => i.email === email)!.id;
      const s = JSON.parse((await core.secrets.get(secretKeys.session(id)))!) as Record<string, unknown>;
      await core.secrets.set(secretKeys.session(id), JSON.stringify({ ...s, ...change }));
    };
    const now = Date.now();
    await plant('huge@x.test', { expiresAt: 1e300 });
    await plant('null@x.test', { expiresAt: null });
    await plant('y9999@x.test', { obtainedAt: now, expiresAt: Date.parse('9999-12-31T23:59:59Z') });
    await plant('text@x.test', { obtainedAt: 'yesterday' });

    const human = await h.run(['status']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toBe('');
    expect(human.stdout).not.toMatch(/NaN|unknown|Invalid/);
    expect(human.stdout).toMatch(/huge@x\.test {2}signed out/);
    expect(human.stdout).toMatch(/null@x\.test {2}signed out/);
    expect(human.stdout).toMatch(/text@x\.test {2}signed out/);
    // Kept by an older version: read back with the lifetime cut to a year, not "valid until 9999".
    const nextYear = new Date(now + MAX_LIFETIME_MS).getFullYear();
    expect(human.stdout).toMatch(new RegExp(`y9999@x\\.test {2}signed in, token valid until ${nextYear}-`));

    const json = await h.run(['status', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { environments: { identities: { email: string; state: string; expiresAt: string | null }[] }[] };
    const byEmail = new Map(doc.environments.flatMap((e) => e.identities).map((i) => [i.email, i]));
    expect(byEmail.get('huge@x.test')).toMatchObject({ state: 'signed-out', expiresAt: null });
    expect(byEmail.get('y9999@x.test')?.state).toBe('signed-in');
    // And the commands that hand out tokens say "sign in" instead of crashing.
    const token = await h.run(['token', '--env', 'supa', '--email', 'huge@x.test']);
    expect(token.code).toBe(4);
  });
});

describe.skipIf(unreachable !== undefined)('hostile answers: signed in as someone else', { timeout: 60_000 }, () => {
  it('three sign-ins as a@x answered as b@y give exactly one identity, b@y, each with a warning naming both', async () => {
    const { core } = await setup();
    server.answer('supabase-password', () => ({ body: goTrueTokenAnswer('b@y.test') }));
    for (let i = 0; i < 3; i++) {
      const identity = await core.sessions.signIn('supa', { email: 'a@x.test', password: PASSWORD });
      expect(identity.email).toBe('b@y.test');
      expect(identity.warning).toContain('b@y.test');
      expect(identity.warning).toContain('a@x.test');
    }
    const cfg = await core.config.read();
    expect(cfg.identities).toHaveLength(1);
    expect(cfg.identities[0]).toMatchObject({ email: 'b@y.test', userId: userIdFor('b@y.test') });
    expect(await storedSessions(core)).toHaveLength(1);
    // Signing in as b@y itself updates that same identity, without a warning.
    server.reset();
    const same = await core.sessions.signIn('supa', { email: 'b@y.test', password: PASSWORD });
    expect(same.warning).toBeUndefined();
    expect(same.id).toBe(cfg.identities[0]!.id);
    expect((await core.config.read()).identities).toHaveLength(1);
  });

  it('an answer as b@y never overwrites the identity of a@x; a renamed user (same id) keeps its identity', async () => {
    const { core } = await setup();
    const a = await core.sessions.signIn('supa', { email: 'a@x.test', password: PASSWORD });
    server.answer('supabase-password', () => ({ body: goTrueTokenAnswer('b@y.test') }));
    await core.sessions.signIn('supa', { email: 'a@x.test', password: PASSWORD });
    let ids = (await core.config.read()).identities;
    expect(ids.map((i) => i.email).sort()).toEqual(['a@x.test', 'b@y.test']);
    expect(ids.find((i) => i.email === 'a@x.test')?.id).toBe(a.id);
    // The server now calls a@x's user (same id) a.new@x: the identity is updated, not duplicated.
    server.answer('supabase-password', () => ({ body: { ...goTrueTokenAnswer('a@x.test'), user: { ...goTrueUser('a@x.test'), email: 'a.new@x.test' } } }));
    const renamed = await core.sessions.signIn('supa', { email: 'a@x.test', password: PASSWORD });
    expect(renamed.id).toBe(a.id);
    ids = (await core.config.read()).identities;
    expect(ids.map((i) => i.email).sort()).toEqual(['a.new@x.test', 'b@y.test']);
  });

  it('a refresh answered with a session of another user is refused: the stored session stays that of a@x', async () => {
    const { core, clock } = await setup();
    await core.sessions.signIn('supa', { email: 'a@x.test', password: PASSWORD });
    const before = await rawSession(core, 'supa');
    server.answer('supabase-refresh', () => ({ body: goTrueTokenAnswer('b@y.test') }));
    clock.offset = 3600_000 - 60_000;
    const out = await core.sessions.getFreshToken('supa').catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    expect(server.requests.some((r) => r.route === 'supabase-refresh')).toBe(true);
    if (out instanceof Error) expect(out).toMatchObject({ code: 'bad_response' });
    else expect(out.session.profile.email).toBe('a@x.test');
    expect(await rawSession(core, 'supa')).toBe(before);
  });

  it('the CLI login says so on stderr, in one line, and still signs in', async () => {
    const { h } = await setup();
    server.answer('session-login', (_req, normal) => ({ body: { ...normal.body, email: 'b@y.test' } }));
    const r = await login(h, 'sess', 'a@x.test');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Signed in to "sess" as b@y.test');
    expect(stderrLines(r)).toEqual(['tokendesk: warning: The server signed you in as b@y.test, not as a@x.test: the session is kept under b@y.test']);
  });
});
