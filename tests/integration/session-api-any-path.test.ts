import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src-main/core/http/client.js';
import { openCore, type Core } from '../../src-main/core/open.js';
import { getProvider } from '../../src-main/core/providers/registry.js';
import { sessionApiProvider } from '../../src-main/core/providers/session-api/index.js';
import type { AuthProvider, ProviderContext, ProviderKind } from '../../src-main/core/providers/types.js';
import { deleteAllForHome } from '../../src-main/core/secrets/keychain.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';

/**
 * A developer's own API, not shaped like seed 003: `POST /v2/sessions` takes {username, secret} and
 * answers {"data":{"accessToken","expiresIn"},"user":{id,email,roles}}; `GET /v2/me` answers {"user":…};
 * `POST /v2/logout` ends the token. Nothing listens at /api/auth/*: a request there is a 404.
 */
const USER = { id: 'u-7', email: 'dev@example.com', roles: ['admin', 'billing'] };
const PASSWORD = 'correct horse battery';
const SETTINGS = {
  loginPath: '/v2/sessions',
  sessionPath: '/v2/me',
  logoutPath: '/v2/logout',
  identifierField: 'username',
  passwordField: 'secret',
  map: 'token=data.accessToken\nexpires=data.expiresIn\nuserId=user.id\nemail=user.email\nroles=user.roles',
};

let server: Server;
let baseUrl: string;
const live = new Set<string>();
const seen: string[] = [];
/** What the login answers instead of the usual shape, when a test sets it. */
let loginShape: ((token: string) => unknown) | undefined;

function send(res: ServerResponse, status: number, json?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(json === undefined ? '' : JSON.stringify(json));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text) as Record<string, unknown>;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (req.method === 'POST' && req.url === '/v2/sessions') {
      void readJson(req).then((body) => {
        if (body.username !== USER.email || body.secret !== PASSWORD) return send(res, 401, { error: { message: 'Wrong username or password' } });
        const token = randomBytes(24).toString('hex');
        live.add(token);
        send(res, 201, loginShape ? loginShape(token) : { data: { accessToken: token, expiresIn: 3600 }, user: USER });
      });
      return;
    }
    if (req.method === 'GET' && req.url === '/v2/me') {
      return bearer && live.has(bearer) ? send(res, 200, { user: USER }) : send(res, 401, { message: 'Session expired' });
    }
    if (req.method === 'POST' && req.url === '/v2/logout') {
      if (bearer) live.delete(bearer);
      return send(res, 204);
    }
    send(res, 404, { message: 'Not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  loginShape = undefined;
  seen.length = 0;
});

const http = createHttpClient({ timeoutMs: 5000 });
const ctx = (): ProviderContext => ({ baseUrl, http, now: Date.now, settings: SETTINGS });

describe('the session provider against an API at other paths, with other field names and another answer', () => {
  it('signs in, re-reads the profile, checks and signs out at the set paths', async () => {
    const before = Date.now();
    const s = await sessionApiProvider.signIn(ctx(), { email: USER.email, password: PASSWORD });
    expect(s.profile).toEqual({ userId: 'u-7', email: USER.email, accounts: [], roles: ['admin', 'billing'], permissions: [], permissionsFromRoles: [] });
    expect(s.expiresAt - s.obtainedAt).toBe(3600_000);
    expect(s.obtainedAt).toBeGreaterThanOrEqual(before);
    await expect(sessionApiProvider.fetchProfile(ctx(), s)).resolves.toMatchObject({ userId: 'u-7', roles: ['admin', 'billing'] });
    await expect(sessionApiProvider.checkSession!(ctx(), s)).resolves.toEqual({ outcome: 'accepted' });
    await sessionApiProvider.signOut(ctx(), s);
    await expect(sessionApiProvider.checkSession!(ctx(), s)).resolves.toMatchObject({ outcome: 'refused', reason: 'Session expired' });
    expect(seen).toEqual(['POST /v2/sessions', 'GET /v2/me', 'GET /v2/me', 'POST /v2/logout', 'GET /v2/me']);
  });

  it('an expiry given as epoch seconds or an ISO time is read as such', async () => {
    const at = Date.now() + 1800_000;
    for (const expiresIn of [Math.floor(at / 1000), new Date(at).toISOString()]) {
      loginShape = (token) => ({ data: { accessToken: token, expiresIn }, user: USER });
      const s = await sessionApiProvider.signIn(ctx(), { email: USER.email, password: PASSWORD });
      expect(Math.abs(s.expiresAt - at)).toBeLessThan(5000);
    }
  });

  it('a wrong password is the server\'s refusal, in its words', async () => {
    expect(await rejection(sessionApiProvider.signIn(ctx(), { email: USER.email, password: 'nope' }))).toMatchObject({
      code: 'invalid_credentials',
      message: 'Wrong username or password',
      status: 401,
    });
  });

  it('a mapping that does not match the real answer names the field and the path', async () => {
    loginShape = (token) => ({ data: { access_token: token, expiresIn: 3600 }, user: USER });
    const e = await rejection(sessionApiProvider.signIn(ctx(), { email: USER.email, password: PASSWORD }), 'bad_response');
    expect(e.message).toBe('The sign-in answer has nothing at data.accessToken (the token mapping): nothing was stored');
  });

  it('without the settings it asks at seed 003\'s paths, which this API does not have', async () => {
    const e = await rejection(sessionApiProvider.signIn({ baseUrl, http, now: Date.now }, { email: USER.email, password: PASSWORD }));
    expect(e.message).toMatch(/no such endpoint \(404\)/);
    expect(seen).toEqual(['POST /api/auth/login']);
  });
});

/**
 * Through the session manager (what the window and `tokendesk login` use): the settings reach the
 * provider in its context. Until environments store settings (the "settings" change), the providers
 * are wrapped to hand them in, the way SessionManager.context will.
 */
function withSettings(settings: Record<string, string>): (kind: ProviderKind) => AuthProvider {
  return (kind) => {
    const p = getProvider(kind);
    const c = (x: ProviderContext): ProviderContext => ({ ...x, settings });
    return {
      ...p,
      signInWith: (m, x, io) => p.signInWith(m, c(x), io),
      refresh: (x, s) => p.refresh(c(x), s),
      fetchProfile: (x, s) => p.fetchProfile(c(x), s),
      signOut: (x, s) => p.signOut(c(x), s),
      checkSession: (x, s, o) => p.checkSession!(c(x), s, o),
    };
  };
}

describe('through SessionManager.beginSignIn', () => {
  let home: ReturnType<typeof makeHome>;
  let core: Core;
  beforeAll(() => {
    home = makeHome('tokendesk-anypath-');
    core = openCore({ home: home.dir, providers: withSettings(SETTINGS), startSweep: false });
  });
  afterAll(async () => {
    await deleteAllForHome(home.dir).catch(() => undefined);
    home.cleanup();
  });

  it('signs in, stores the session, hands out its token, checks it and signs out', async () => {
    const env = await core.envs.add({ name: 'My API', provider: 'session', baseUrl });
    const step = await core.sessions.beginSignIn(env.id, 'password', { email: USER.email, password: PASSWORD, remember: 'false' });
    expect(step).toMatchObject({ kind: 'done', result: { email: USER.email } });
    const fresh = await core.sessions.getFreshToken(env.id);
    expect(fresh.session.accessToken).toMatch(/^[0-9a-f]{48}$/);
    expect(live.has(fresh.session.accessToken)).toBe(true);
    expect(fresh.session.profile.roles).toEqual(['admin', 'billing']);
    expect((await core.sessions.checkSessions({ envIds: [env.id] })).map((o) => o.result)).toEqual(['accepted']);
    await core.sessions.signOut(env.id, USER.email);
    expect(live.has(fresh.session.accessToken)).toBe(false);
  });

  it('a mapping that does not match stores nothing', async () => {
    const env = await core.envs.add({ name: 'Other API', provider: 'session', baseUrl });
    loginShape = (token) => ({ data: { accessToken: token, expiresIn: 3600 }, profile: USER });
    await expect(core.sessions.beginSignIn(env.id, 'password', { email: USER.email, password: PASSWORD })).rejects.toMatchObject({
      code: 'bad_response',
      message: 'The sign-in answer has nothing at user.id (the userId mapping): nothing was stored',
    });
    const cfg = await core.config.read();
    expect(cfg.identities.filter((i) => i.envId === env.id)).toEqual([]);
  });
});
