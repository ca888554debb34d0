import { request as httpRequest, Agent } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, DEMO_JWT_SECRET, startDemoServer, type DemoServer, type DemoServerOptions } from '../../src-main/core/demo-server/index.js';
import { createHmac } from 'node:crypto';

const OWNER = 'owner@connectgain.test';
const PW = DEMO_CREDENTIALS.supabase[0]!.password;
const SESSION_PW = DEMO_CREDENTIALS.session[0]!.password;

type Json = Record<string, unknown>;

function decodeJwt(token: string): { header: Json; claims: Json } {
  const [h, p] = token.split('.') as [string, string];
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Json,
    claims: JSON.parse(Buffer.from(p, 'base64url').toString()) as Json,
  };
}

/** Servers started by a test; closed after it. */
const extra: DemoServer[] = [];
async function start(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const s = await startDemoServer({ port: 0, ...opts });
  extra.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(extra.splice(0).map((s) => s.close()));
});

let srv: DemoServer;
beforeAll(async () => {
  srv = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await srv.close();
});

function client(s: () => DemoServer) {
  const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(s().url + path, { ...init, headers: { apikey: s().anonKey, 'Content-Type': 'application/json', ...init.headers } });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(path, { method: 'POST', body: JSON.stringify(body), headers });
  const login = async (email = OWNER, password = PW): Promise<Json> => {
    const r = await post('/auth/v1/token?grant_type=password', { email, password });
    expect(r.status).toBe(200);
    return (await r.json()) as Json;
  };
  const refresh = (token: string, headers: Record<string, string> = {}) =>
    post('/auth/v1/token?grant_type=refresh_token', { refresh_token: token }, headers);
  const user = (access: string) => call('/auth/v1/user', { headers: { Authorization: `Bearer ${access}` } });
  return { call, post, login, refresh, user };
}
const api = client(() => srv);

describe('demo keys', () => {
  it('exports a fixed anon key that is an HS256 role=anon JWT signed with the demo secret', () => {
    const { header, claims } = decodeJwt(DEMO_CREDENTIALS.anonKey);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(claims.role).toBe('anon');
    const [h, p, sig] = DEMO_CREDENTIALS.anonKey.split('.');
    expect(createHmac('sha256', DEMO_JWT_SECRET).update(`${h}.${p}`).digest('base64url')).toBe(sig);
    expect(DEMO_CREDENTIALS.apiKey).toMatch(/^cg_demo_/);
    expect(srv.anonKey).toBe(DEMO_CREDENTIALS.anonKey);
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('gateway', () => {
  it('answers 401 without an apikey and with a wrong one, and accepts ?apikey=', async () => {
    const none = await fetch(`${srv.url}/auth/v1/user`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });

    const wrong = await fetch(`${srv.url}/auth/v1/token?grant_type=password`, { method: 'POST', headers: { apikey: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' });

    const rest = await fetch(`${srv.url}/rest/v1/profiles`);
    expect(rest.status).toBe(401);

    // Key in the query: the gateway passes and GoTrue answers (no bearer → 401 no_authorization).
    const q = await fetch(`${srv.url}/auth/v1/user?apikey=${encodeURIComponent(srv.anonKey)}`);
    expect(q.status).toBe(401);
    expect(q.headers.get('x-sb-error-code')).toBe('no_authorization');
  });

  it('lets the open routes through without a key', async () => {
    const r = await fetch(`${srv.url}/auth/v1/.well-known/jwks.json`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ keys: [] });
  });
});

describe('supabase password grant and /user', () => {
  it('returns an AccessTokenResponse with a GoTrue-shaped JWT, and /user returns the user', async () => {
    const r = await api.post('/auth/v1/token?grant_type=password', { email: OWNER, password: PW });
    expect(r.status).toBe(200);
    const body = (await r.json()) as Json;
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(3600);
    expect(body.refresh_token).toMatch(/^[a-z0-9]{12}$/);
    const dateSec = Math.floor(Date.parse(r.headers.get('date')!) / 1000);
    expect(Math.abs((body.expires_at as number) - (dateSec + 3600))).toBeLessThanOrEqual(2);

    const { header, claims } = decodeJwt(body.access_token as string);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: expect.any(String) });
    expect(claims).toMatchObject({
      iss: `${srv.url}/auth/v1`,
      aud: 'authenticated',
      email: OWNER,
      phone: '',
      role: 'authenticated',
      aal: 'aal1',
      is_anonymous: false,
      user_metadata: { first_name: 'Olive', last_name: 'Owner', full_name: 'Olive Owner' },
      app_metadata: { provider: 'email', providers: ['email'], organization_id: '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d' },
    });
    expect(claims.exp).toBe((claims.iat as number) + 3600);
    expect(claims.exp).toBe(body.expires_at);
    expect(claims.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }]);
    expect(claims.session_id).toBe(r.headers.get('sb-auth-session-id'));
    expect(claims).not.toHaveProperty('jti');

    const user = body.user as Json;
    expect(user).toMatchObject({ id: claims.sub, aud: 'authenticated', role: 'authenticated', email: OWNER, phone: '' });
    expect(user.email_confirmed_at).toBeTypeOf('string');

    const me = await api.user(body.access_token as string);
    expect(me.status).toBe(200);
    expect(((await me.json()) as Json).id).toBe(claims.sub);
  });

  it('rejects bad bearers on /user the way GoTrue does', async () => {
    const noAuth = await api.call('/auth/v1/user');
    expect(noAuth.status).toBe(401);
    expect(((await noAuth.json()) as Json).error_code).toBe('no_authorization');

    const anon = await api.user(srv.anonKey);
    expect(anon.status).toBe(403);
    expect(await anon.json()).toMatchObject({ error_code: 'bad_jwt', msg: 'invalid claim: missing sub claim' });

    const garbage = await api.user('not.a.jwt');
    expect(garbage.status).toBe(403);
    expect(((await garbage.json()) as Json).error_code).toBe('bad_jwt');
  });

  it('gives 403 bad_jwt for an expired access token', async () => {
    let t = Date.now();
    const s = await start({ now: () => t, accessTokenTtlSeconds: 60 });
    const c = client(() => s);
    const session = await c.login();
    t += 61_000;
    const r = await c.user(session.access_token as string);
    expect(r.status).toBe(403);
    const body = (await r.json()) as Json;
    expect(body.error_code).toBe('bad_jwt');
    expect(body.msg).toContain('token is expired');
  });

  it('applies the failure order: unconfirmed, banned-before-password, unsupported grant', async () => {
    const unconf = await api.post('/auth/v1/token?grant_type=password', { email: 'unconfirmed@connectgain.test', password: PW });
    expect(await unconf.json()).toMatchObject({ code: 400, error_code: 'email_not_confirmed', msg: 'Email not confirmed' });

    const banned = await api.post('/auth/v1/token?grant_type=password', { email: 'banned@connectgain.test', password: 'wrong' });
    expect(await banned.json()).toMatchObject({ error_code: 'user_banned', msg: 'User is banned' });

    const unknown = await api.post('/auth/v1/token?grant_type=magic', {});
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error_code: 'invalid_credentials', msg: 'unsupported_grant_type' });

    const missing = await api.post('/auth/v1/token?grant_type=password', { password: PW });
    expect(await missing.json()).toMatchObject({ error_code: 'validation_failed', msg: 'missing email or phone' });
  });
});

describe('error shapes', () => {
  const wrong = { email: OWNER, password: 'wrong-password' };

  it('uses {code:int, error_code, msg} without an API version header', async () => {
    const r = await api.post('/auth/v1/token?grant_type=password', wrong);
    expect(r.status).toBe(400);
    expect(r.headers.get('x-sb-error-code')).toBe('invalid_credentials');
    expect(r.headers.get('x-supabase-api-version')).toBeNull();
    expect(await r.json()).toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
  });

  it('uses {code:str, message} and echoes the header for API version >= 2024-01-01', async () => {
    const r = await api.post('/auth/v1/token?grant_type=password', wrong, { 'X-Supabase-Api-Version': '2025-06-30' });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(r.headers.get('x-sb-error-code')).toBe('invalid_credentials');
    expect(await r.json()).toEqual({ code: 'invalid_credentials', message: 'Invalid login credentials' });

    const old = await api.post('/auth/v1/token?grant_type=password', wrong, { 'X-Supabase-Api-Version': '2023-12-31' });
    expect(((await old.json()) as Json).code).toBe(400);
  });

  it('uses the legacy OAuth shape on /token with X-Demo-Legacy-Errors: 1', async () => {
    const r = await api.post('/auth/v1/token?grant_type=password', wrong, { 'X-Demo-Legacy-Errors': '1' });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-sb-error-code')).toBeNull();
    expect(await r.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid login credentials' });

    const rt = await api.refresh('abcdefghijkl', { 'X-Demo-Legacy-Errors': '1' });
    expect(await rt.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid Refresh Token: Refresh Token Not Found' });
  });

  it('answers bad JSON with 400 bad_json and an oversized body with 413', async () => {
    const bad = await api.call('/auth/v1/token?grant_type=password', { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).error_code).toBe('bad_json');

    const wrongType = await api.post('/auth/v1/token?grant_type=password', { email: 5, password: PW });
    expect(((await wrongType.json()) as Json).error_code).toBe('bad_json');

    const big = await api.post('/auth/v1/token?grant_type=password', { email: OWNER, password: 'x'.repeat(1 << 20) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as Json).error_code).toBe('request_entity_too_large');
  });
});

describe('signup', () => {
  it('with confirmations off returns a session; duplicates get 422 user_already_exists', async () => {
    const r = await api.post('/auth/v1/signup', { email: 'New.User@Example.com', password: 'secure_password', data: { first_name: 'John', last_name: 'Doe' } });
    expect(r.status).toBe(200);
    const body = (await r.json()) as Json;
    expect(body.access_token).toBeTypeOf('string');
    expect(body.refresh_token).toMatch(/^[a-z0-9]{12}$/);
    expect(body.user).toMatchObject({ email: 'new.user@example.com', user_metadata: { first_name: 'John', last_name: 'Doe' } });
    expect(decodeJwt(body.access_token as string).claims.user_metadata).toEqual({ first_name: 'John', last_name: 'Doe' });

    const again = await api.post('/auth/v1/signup', { email: 'new.user@example.com', password: 'secure_password' });
    expect(again.status).toBe(422);
    expect(await again.json()).toMatchObject({ error_code: 'user_already_exists', msg: 'User already registered' });

    const login = await api.post('/auth/v1/token?grant_type=password', { email: 'new.user@example.com', password: 'secure_password' });
    expect(login.status).toBe(200);
  });

  it('rejects weak passwords with 422 weak_password and reasons, in both shapes', async () => {
    const r = await api.post('/auth/v1/signup', { email: 'weak@example.com', password: '12345' });
    expect(r.status).toBe(422);
    expect(await r.json()).toEqual({
      code: 422,
      error_code: 'weak_password',
      msg: 'Password should be at least 6 characters.',
      weak_password: { reasons: ['length'] },
    });
    const v = await api.post('/auth/v1/signup', { email: 'weak@example.com', password: '12345' }, { 'X-Supabase-Api-Version': '2024-01-01' });
    expect(await v.json()).toEqual({ code: 'weak_password', message: 'Password should be at least 6 characters.', weak_password: { reasons: ['length'] } });
  });

  it('with confirmations on returns the bare user, which cannot sign in yet', async () => {
    const s = await start({ emailConfirmation: true });
    const c = client(() => s);
    const r = await c.post('/auth/v1/signup', { email: 'pending@example.com', password: 'secure_password', data: { first_name: 'Pat' } });
    expect(r.status).toBe(200);
    const user = (await r.json()) as Json;
    expect(user).not.toHaveProperty('access_token');
    expect(user).not.toHaveProperty('email_confirmed_at');
    expect(user).toMatchObject({ email: 'pending@example.com', user_metadata: { first_name: 'Pat' } });
    expect(user.confirmation_sent_at).toBeTypeOf('string');

    const login = await c.post('/auth/v1/token?grant_type=password', { email: 'pending@example.com', password: 'secure_password' });
    expect(((await login.json()) as Json).error_code).toBe('email_not_confirmed');

    // An existing confirmed user gets an obfuscated look-alike, not an error.
    const dup = await c.post('/auth/v1/signup', { email: OWNER, password: 'whatever1' });
    expect(dup.status).toBe(200);
    const fake = (await dup.json()) as Json;
    expect(fake.identities).toEqual([]);
    expect(fake.id).not.toBe('0b3a1f52-6c1e-4d8a-9f2b-1a2b3c4d5e01');
  });
});

describe('refresh tokens (legacy rotation, spec §5.1)', () => {
  it('rotates, then refreshes the parent of the active token idempotently with no time limit', async () => {
    let t = Date.now();
    const s = await start({ now: () => t, refreshReuseIntervalSeconds: 10 });
    const c = client(() => s);
    const first = await c.login();
    const t0 = first.refresh_token as string;

    const r1 = await c.refresh(t0);
    expect(r1.status).toBe(200);
    const b1 = (await r1.json()) as Json;
    const t1 = b1.refresh_token as string;
    expect(t1).toMatch(/^[a-z0-9]{12}$/);
    expect(t1).not.toBe(t0);
    expect(decodeJwt(b1.access_token as string).claims.session_id).toBe(decodeJwt(first.access_token as string).claims.session_id);

    t += 3_600_000; // far outside the reuse interval
    const again = await c.refresh(t0);
    expect(again.status).toBe(200);
    expect(((await again.json()) as Json).refresh_token).toBe(t1);
    expect(s.stats.refreshGrants).toBe(2);
    expect(s.stats.passwordGrants).toBe(1);
  });

  it('allows reuse of an older token within the interval (a second branch)', async () => {
    let t = Date.now();
    const s = await start({ now: () => t, refreshReuseIntervalSeconds: 10 });
    const c = client(() => s);
    const t0 = (await c.login()).refresh_token as string;
    const t1 = ((await (await c.refresh(t0)).json()) as Json).refresh_token as string;
    t += 1000;
    const t2 = ((await (await c.refresh(t1)).json()) as Json).refresh_token as string;
    t += 5000; // t0 revoked 6 s ago, and it is not the parent of t2
    const branch = await c.refresh(t0);
    expect(branch.status).toBe(200);
    const t3 = ((await branch.json()) as Json).refresh_token as string;
    expect([t0, t1, t2]).not.toContain(t3);
    // The previously active token was left unrevoked.
    expect((await c.refresh(t2)).status).toBe(200);
  });

  it('revokes the family on reuse outside the interval; the token active at detection lives one more interval', async () => {
    let t = Date.now();
    const s = await start({ now: () => t, refreshReuseIntervalSeconds: 10 });
    const c = client(() => s);
    const session = await c.login();
    const t0 = session.refresh_token as string;
    const t1 = ((await (await c.refresh(t0)).json()) as Json).refresh_token as string;
    const t2 = ((await (await c.refresh(t1)).json()) as Json).refresh_token as string;
    t += 11_000;
    const reuse = await c.refresh(t0); // t0 is not t2's parent
    expect(reuse.status).toBe(400);
    expect(reuse.headers.get('x-sb-error-code')).toBe('refresh_token_already_used');
    expect(await reuse.json()).toMatchObject({ error_code: 'refresh_token_already_used', msg: 'Invalid Refresh Token: Already Used' });
    expect(s.stats.familyRevocations).toBe(1);

    // RevokeTokenFamily sets updated_at = now(), so t2 is a revoked token inside its own window.
    t += 5_000;
    const stillActive = await c.refresh(t2);
    expect(stillActive.status).toBe(200);
    // A different token of the family, revoked earlier, is dead.
    expect(((await (await c.refresh(t1)).json()) as Json).error_code).toBe('refresh_token_already_used');
    // The session row survives, so the access token still works until exp.
    expect((await c.user(session.access_token as string)).status).toBe(200);
  });

  it('after detection, the active token dies once its own interval has passed', async () => {
    let t = Date.now();
    const s = await start({ now: () => t, refreshReuseIntervalSeconds: 10 });
    const c = client(() => s);
    const t0 = (await c.login()).refresh_token as string;
    const t1 = ((await (await c.refresh(t0)).json()) as Json).refresh_token as string;
    const t2 = ((await (await c.refresh(t1)).json()) as Json).refresh_token as string;
    t += 11_000;
    expect((await c.refresh(t0)).status).toBe(400);
    t += 10_001;
    expect(((await (await c.refresh(t2)).json()) as Json).error_code).toBe('refresh_token_already_used');
  });

  it('slides the reuse interval: each reuse inside it restarts the count', async () => {
    let t = Date.now();
    const s = await start({ now: () => t, refreshReuseIntervalSeconds: 10 });
    const c = client(() => s);
    const t0 = (await c.login()).refresh_token as string;
    const t1 = ((await (await c.refresh(t0)).json()) as Json).refresh_token as string;
    const t2 = ((await (await c.refresh(t1)).json()) as Json).refresh_token as string;
    // Each reuse of t0 makes it the parent of the newest token (rule 2, no time limit), so another
    // branch is refreshed after it: t0 is then judged by its reuse window alone.
    const rotateOther = async (token: string): Promise<string> => ((await (await c.refresh(token)).json()) as Json).refresh_token as string;
    t += 8_000;
    expect((await c.refresh(t0)).status).toBe(200); // 8 s after its first use
    const d = await rotateOther(t2);
    t += 8_000;
    // 16 s after the first use but 8 s after the last reuse: still inside the sliding window.
    expect((await c.refresh(t0)).status).toBe(200);
    await rotateOther(d);
    t += 10_001;
    expect(((await (await c.refresh(t0)).json()) as Json).error_code).toBe('refresh_token_already_used');
  });

  it('validates the token format and reports unknown tokens', async () => {
    const short = await api.refresh('abc');
    expect(await short.json()).toMatchObject({ error_code: 'validation_failed', msg: 'Refresh token is not valid' });
    const unknown = await api.refresh('zzzzzzzzzzzz');
    expect(await unknown.json()).toMatchObject({ error_code: 'refresh_token_not_found' });
  });
});

describe('logout scopes', () => {
  it('local, others and global delete the right sessions', async () => {
    const s = await start();
    const c = client(() => s);
    const [a, b, d] = [await c.login(), await c.login(), await c.login()];
    const bearer = (x: Json) => ({ Authorization: `Bearer ${x.access_token as string}` });

    const bad = await c.post('/auth/v1/logout?scope=everything', {}, bearer(a));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error_code: 'validation_failed', msg: 'Unsupported logout scope "everything"' });

    const local = await c.post('/auth/v1/logout?scope=local', {}, bearer(a));
    expect(local.status).toBe(204);
    expect(await local.text()).toBe('');
    const gone = await c.user(a.access_token as string);
    expect(gone.status).toBe(403);
    expect(await gone.json()).toMatchObject({ error_code: 'session_not_found' });
    expect(((await (await c.refresh(a.refresh_token as string)).json()) as Json).error_code).toBe('refresh_token_not_found');
    expect((await c.user(b.access_token as string)).status).toBe(200);

    expect((await c.post('/auth/v1/logout?scope=others', {}, bearer(b))).status).toBe(204);
    expect((await c.user(d.access_token as string)).status).toBe(403);
    expect((await c.user(b.access_token as string)).status).toBe(200);

    expect((await c.post('/auth/v1/logout', {}, bearer(b))).status).toBe(204); // default: global
    expect((await c.user(b.access_token as string)).status).toBe(403);
    expect(s.stats.logouts).toBe(4);
  });
});

describe('protected Supabase-side endpoints', () => {
  it('serves /rest/v1/profiles to apikey + user JWT only', async () => {
    const session = await api.login('agent@connectgain.test');
    const ok = await api.call('/rest/v1/profiles?select=*', { headers: { Authorization: `Bearer ${session.access_token as string}` } });
    expect(ok.status).toBe(200);
    const rows = (await ok.json()) as Json[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: 'agent@connectgain.test', full_name: 'Andy Agent', organization_id: '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d' });

    const noUser = await api.call('/rest/v1/profiles');
    expect(noUser.status).toBe(401);
    const forged = await api.call('/rest/v1/profiles', { headers: { Authorization: `Bearer ${(session.access_token as string).slice(0, -3)}abc` } });
    expect(forged.status).toBe(401);
  });

  it('serves /functions/v1/contacts/search to the X-API-Key only', async () => {
    const ok = await fetch(`${srv.url}/functions/v1/contacts/search?q=ada`, { headers: { 'X-API-Key': srv.apiKey } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { data: Json[] };
    expect(body.data.map((x) => x.email)).toEqual(['ada@engine.test']);

    const bad = await fetch(`${srv.url}/functions/v1/contacts/search?q=ada`, { headers: { 'X-API-Key': 'cg_wrong' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'Invalid API key' });
  });
});

describe('session API (seed 003)', () => {
  const sessionLogin = (email: string, password = SESSION_PW, s: DemoServer = srv) =>
    fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const get = (path: string, token: string, headers: Record<string, string> = {}, s: DemoServer = srv) =>
    fetch(`${s.url}${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });

  it('logs in with exactly the seed shape, and /api/auth/session returns the same profile', async () => {
    const r = await sessionLogin('test@test.com', 'stringstring');
    expect(r.status).toBe(200);
    const body = (await r.json()) as Json;
    expect(Object.keys(body)).toEqual([
      'id', 'email', 'active', 'createdBy', 'updatedBy', 'createdAt', 'updatedAt', 'primaryAccount', 'accounts',
      'flatRolesList', 'flatPermissionsList', 'permissionsFromRoles', 'token', 'expiresAt',
    ]);
    const account = { accountName: 'Account 1', accountId: '2311', userBelongsToThisAccount: true, usersPrimaryAccount: true, internalUser: true };
    expect(body).toMatchObject({
      id: 1,
      email: 'test@test.com',
      active: true,
      createdBy: 'seed',
      primaryAccount: account,
      accounts: [account],
      flatRolesList: ['superAdmin'],
      flatPermissionsList: ['readApplications', 'writeApplications', 'miscPermission', 'anotherPermission'],
      permissionsFromRoles: ['readApplications', 'writeApplications'],
    });
    expect(body.token).toMatch(/^[0-9a-f]{64}$/);
    const dateMs = Date.parse(r.headers.get('date')!);
    expect(Math.abs(Date.parse(body.expiresAt as string) - (dateMs + 8 * 3600_000))).toBeLessThan(2000);

    const me = await get('/api/auth/session', body.token as string);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual(body);
    expect(srv.stats.sessionLogins).toBeGreaterThanOrEqual(1);
  });

  it('rejects bad credentials, missing fields, bad JSON and unknown tokens', async () => {
    const wrong = await sessionLogin('test@test.com', 'nope');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ message: 'Invalid email or password' });
    const missing = await fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"email":"test@test.com"}' });
    expect(missing.status).toBe(400);
    const bad = await fetch(`${srv.url}/api/auth/login`, { method: 'POST', body: '{oops' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).code).toBe('bad_json');
    expect((await get('/api/auth/session', 'f'.repeat(64))).status).toBe(401);
    expect((await fetch(`${srv.url}/api/auth/session`)).status).toBe(401);
  });

  it('guards /api/applications by permission and X-Account-Id', async () => {
    const restricted = (await (await sessionLogin('restricted@test.com')).json()) as Json;
    expect(restricted.primaryAccount).toMatchObject({ accountName: 'Acme Corp', accountId: '4100', usersPrimaryAccount: true });
    expect(restricted.accounts).toEqual([
      expect.objectContaining({ accountId: '4100', usersPrimaryAccount: true }),
      expect.objectContaining({ accountName: 'Globex', accountId: '4200', usersPrimaryAccount: false }),
    ]);
    expect(restricted.flatPermissionsList).toEqual(['readApplications', 'exportReports']);
    expect(restricted.permissionsFromRoles).toEqual(['readApplications']);
    const token = restricted.token as string;

    const primary = await get('/api/applications', token);
    expect(primary.status).toBe(200);
    expect(((await primary.json()) as Json[]).every((a) => a.accountId === '4100')).toBe(true);
    const globex = await get('/api/applications', token, { 'X-Account-Id': '4200' });
    expect(((await globex.json()) as Json[]).map((a) => a.name)).toContain('Globex Payroll');
    const foreign = await get('/api/applications', token, { 'X-Account-Id': '2311' });
    expect(foreign.status).toBe(403);
    // The same choice as a query parameter, for environments that send the account that way.
    const byQuery = await get('/api/applications?accountId=4200', token);
    expect(((await byQuery.json()) as Json[]).map((a) => a.accountId)).toEqual(['4200', '4200']);
    expect((await get('/api/applications?accountId=2311', token)).status).toBe(403);

    const none = (await (await sessionLogin('nopermissions@test.com')).json()) as Json;
    const denied = await get('/api/applications', none.token as string);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ message: 'Missing permission readApplications' });
  });

  it('serves the 5,000-permission user, and logout invalidates the token', async () => {
    const many = (await (await sessionLogin('many@test.com')).json()) as Json;
    expect(many.flatPermissionsList).toHaveLength(5000);
    const out = await fetch(`${srv.url}/api/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${many.token as string}` } });
    expect(out.status).toBe(204);
    expect((await get('/api/auth/session', many.token as string)).status).toBe(401);
  });

  it('expires tokens at expiresAt', async () => {
    let t = Date.now();
    const s = await start({ now: () => t, sessionTtlSeconds: 60 });
    const body = (await (await sessionLogin('test@test.com', SESSION_PW, s)).json()) as Json;
    expect((await get('/api/auth/session', body.token as string, {}, s)).status).toBe(200);
    t += 60_000;
    expect((await get('/api/auth/session', body.token as string, {}, s)).status).toBe(401);
  });
});

describe('clock skew', () => {
  it('shifts the Date header, expires_at/iat and expiresAt consistently', async () => {
    const s = await start({ clockSkewSeconds: -7200 });
    const c = client(() => s);
    const r = await c.post('/auth/v1/token?grant_type=password', { email: OWNER, password: PW });
    const serverDate = Date.parse(r.headers.get('date')!);
    expect(Math.abs(serverDate - (Date.now() - 7200_000))).toBeLessThan(3000);
    const body = (await r.json()) as Json;
    expect(Math.abs((body.expires_at as number) - (serverDate / 1000 + 3600))).toBeLessThan(3);
    expect(Math.abs((decodeJwt(body.access_token as string).claims.iat as number) - serverDate / 1000)).toBeLessThan(3);

    const sl = await fetch(`${s.url}/api/auth/login`, { method: 'POST', body: JSON.stringify({ email: 'test@test.com', password: SESSION_PW }) });
    const slDate = Date.parse(sl.headers.get('date')!);
    const expiresAt = Date.parse(((await sl.json()) as Json).expiresAt as string);
    // A client computing "expiresAt - Date" gets the real lifetime despite the skew.
    expect(Math.abs(expiresAt - slDate - 8 * 3600_000)).toBeLessThan(2000);
    expect(Math.abs(slDate - (Date.now() - 7200_000))).toBeLessThan(3000);

    const gw = await fetch(`${s.url}/auth/v1/user`); // even gateway errors carry the skewed Date
    expect(Math.abs(Date.parse(gw.headers.get('date')!) - (Date.now() - 7200_000))).toBeLessThan(3000);
  });
});

describe('lifecycle', () => {
  it('close() resolves promptly with a keep-alive socket open', async () => {
    const s = await startDemoServer({ port: 0 });
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      httpRequest(`${s.url}/api/auth/session`, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    const started = Date.now();
    await s.close();
    expect(Date.now() - started).toBeLessThan(1000);
    agent.destroy();
    await expect(fetch(`${s.url}/api/auth/session`)).rejects.toThrow();
  });

  it('applies latencyMs', async () => {
    const s = await start({ latencyMs: 150 });
    const started = Date.now();
    await fetch(`${s.url}/api/auth/session`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
