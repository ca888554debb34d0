import { describe, expect, it } from 'vitest';
import { checkBaseUrl } from '../../src-main/contract/validators.js';
import { PROVIDERS } from '../../src-main/contract/providers.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src-main/core/http/types.js';
import { dotPathProblem, lookupPath, readExpiry } from '../../src-main/core/providers/session-api/mapping.js';
import { readSessionApiSettings } from '../../src-main/core/providers/session-api/settings.js';
import { sessionApiProvider } from '../../src-main/core/providers/session-api/index.js';
import type { ProviderContext } from '../../src-main/core/providers/types.js';
import { rejection } from '../helpers/rejection.js';

describe('lookupPath: dot-paths into an answer', () => {
  const json = { data: { accessToken: 'abc', expiresIn: 3600, zero: 0, none: null }, user: { roles: ['a', 'b'] }, list: [{ id: 7 }] };

  it('finds nested fields and array items by index', () => {
    expect(lookupPath(json, 'data.accessToken')).toEqual({ found: true, value: 'abc' });
    expect(lookupPath(json, 'user.roles.1')).toEqual({ found: true, value: 'b' });
    expect(lookupPath(json, 'list.0.id')).toEqual({ found: true, value: 7 });
    // 0 and "" are values; only null and absence are nothing.
    expect(lookupPath(json, 'data.zero')).toEqual({ found: true, value: 0 });
  });

  it('finds nothing past a leaf, at a missing key, a null, an index out of range, or on the prototype', () => {
    for (const path of ['data.accessToken.length', 'data.missing', 'data.none', 'user.roles.2', 'user.roles.x', 'list.00', 'constructor', '__proto__', 'data.toString']) {
      expect(lookupPath(json, path), path).toEqual({ found: false });
    }
  });

  it('refuses paths that cannot be meant', () => {
    expect(dotPathProblem('data.accessToken')).toBeUndefined();
    expect(dotPathProblem('')).toMatch(/empty/);
    expect(dotPathProblem('data..token')).toMatch(/empty part/);
    expect(dotPathProblem('.token')).toMatch(/empty part/);
    expect(dotPathProblem('data.access token')).toMatch(/space/);
    expect(dotPathProblem(Array(20).fill('a').join('.'))).toBeUndefined();
    expect(dotPathProblem(Array(21).fill('a').join('.'))).toMatch(/more than 20/);
  });
});

describe('readExpiry: ISO time, epoch ms, epoch s, or seconds from now', () => {
  const serverNow = Date.parse('2025-01-01T00:00:00Z');

  it('an ISO time is measured against the server now', () => {
    expect(readExpiry('2025-01-01T01:00:00Z', serverNow)).toMatchObject({ ok: true, lifetimeMs: 3600_000 });
  });

  it('a number above 1e12 is epoch ms, above 1e9 epoch s, else seconds from now', () => {
    expect(readExpiry(serverNow + 60_000, serverNow)).toMatchObject({ ok: true, lifetimeMs: 60_000, source: expect.stringMatching(/epoch milliseconds/) });
    expect(readExpiry(serverNow / 1000 + 120, serverNow)).toMatchObject({ ok: true, lifetimeMs: 120_000, source: expect.stringMatching(/epoch seconds/) });
    expect(readExpiry(3600, serverNow)).toMatchObject({ ok: true, lifetimeMs: 3600_000, source: expect.stringMatching(/seconds from now/) });
    // Seconds from now do not depend on the server's clock.
    expect(readExpiry(3600, 0)).toMatchObject({ lifetimeMs: 3600_000 });
  });

  it('a string of digits is the number it spells', () => {
    expect(readExpiry('3600', serverNow)).toMatchObject({ ok: true, lifetimeMs: 3600_000 });
    expect(readExpiry(String(serverNow / 1000 + 10), serverNow)).toMatchObject({ ok: true, lifetimeMs: 10_000 });
  });

  it('anything else says what it was', () => {
    expect(readExpiry('soon', serverNow)).toEqual({ ok: false, problem: 'a text that is not a time' });
    expect(readExpiry(true, serverNow)).toEqual({ ok: false, problem: 'a true/false value' });
    expect(readExpiry({ at: 1 }, serverNow)).toEqual({ ok: false, problem: 'an object' });
  });
});

describe('readSessionApiSettings', () => {
  it('without settings: seed 003 paths and fields, no mapping', () => {
    expect(readSessionApiSettings(undefined)).toEqual({
      loginPath: '/api/auth/login',
      sessionPath: '/api/auth/session',
      logoutPath: '/api/auth/logout',
      identifierField: 'email',
      passwordField: 'password',
      map: {},
    });
    // A blank form field is the default, too.
    expect(readSessionApiSettings({ loginPath: '', map: '  ' }).loginPath).toBe('/api/auth/login');
  });

  it('reads paths, fields and one mapping a line', () => {
    const s = readSessionApiSettings({ loginPath: '/v2/sessions', identifierField: 'username', map: 'token=data.accessToken\n\nexpires = data.expiresIn\r\n' });
    expect(s).toMatchObject({ loginPath: '/v2/sessions', identifierField: 'username', map: { token: 'data.accessToken', expires: 'data.expiresIn' } });
  });

  it('refuses bad values naming the setting', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ loginPath: 'v2/sessions' }, /login path setting must start with \//],
      [{ sessionPath: '/me?x=1' }, /session path setting has a query/],
      [{ logoutPath: '/a/../b' }, /logout path setting has a \. or \.\. part/],
      [{ passwordField: 'email' }, /password field setting is the same as the identifier field/],
      [{ map: 'token data.accessToken' }, /mappings setting has a line without "="/],
      [{ map: 'refresh=data.refreshToken' }, /names "refresh", which is not one of token, expires, userId/],
      [{ map: 'token=a\ntoken=b' }, /maps token twice/],
      [{ map: 'token=data..accessToken' }, /path for token that is not a dot-path/],
    ];
    for (const [settings, message] of cases) {
      let error: unknown;
      try {
        readSessionApiSettings(settings);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(settings)).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
    }
  });

  it('the catalogue declares every setting with its flag and default', () => {
    const byName = Object.fromEntries(PROVIDERS.session.settings.map((s) => [s.name, s]));
    expect(byName.loginPath).toMatchObject({ flag: 'login-path', syntax: 'path', defaultValue: '/api/auth/login', secret: false });
    expect(byName.sessionPath).toMatchObject({ flag: 'session-path', syntax: 'path', defaultValue: '/api/auth/session' });
    expect(byName.logoutPath).toMatchObject({ flag: 'logout-path', syntax: 'path', defaultValue: '/api/auth/logout' });
    expect(byName.identifierField).toMatchObject({ flag: 'identifier-field', syntax: 'field', defaultValue: 'email' });
    expect(byName.passwordField).toMatchObject({ flag: 'password-field', syntax: 'field', defaultValue: 'password' });
    expect(byName.map).toMatchObject({ flag: 'map', syntax: 'mapping', repeatable: true, mappingKeys: ['token', 'expires', 'userId', 'email', 'accounts', 'roles', 'permissions'] });
  });
});

/** A provider context whose transport answers `answer` to every request and records them. */
function fake(answer: HttpResponse, settings: Record<string, string>, now = 1_700_000_000_000): { ctx: ProviderContext; requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const http: HttpClient = {
    async request(req) {
      requests.push(req);
      return answer;
    },
  };
  return { ctx: { baseUrl: 'http://localhost:3000', http, now: () => now, settings }, requests };
}

const ok = (json: unknown): HttpResponse => ({ status: 200, headers: {}, json, text: JSON.stringify(json) });
const TOKEN = 'tok_0123456789abcdef';
const MAP = 'token=data.accessToken\nexpires=data.expiresIn\nuserId=user.id\nemail=user.email\nroles=user.roles';
const ANSWER = { data: { accessToken: TOKEN, expiresIn: 3600 }, user: { id: 42, email: 'dev@example.com', roles: ['admin', { name: 'billing' }] } };

describe('the provider through its settings (fake transport)', () => {
  it('posts the renamed fields to the login path and maps the answer', async () => {
    const { ctx, requests } = fake(ok(ANSWER), { loginPath: '/v2/sessions', identifierField: 'username', passwordField: 'secret', map: MAP });
    const s = await sessionApiProvider.signIn(ctx, { email: 'dev@example.com', password: 'pw-123456' });
    expect(requests[0]).toMatchObject({ method: 'POST', url: 'http://localhost:3000/v2/sessions', body: { username: 'dev@example.com', secret: 'pw-123456' } });
    expect(Object.keys(requests[0]!.body as object)).toEqual(['username', 'secret']);
    expect(s).toMatchObject({ accessToken: TOKEN, obtainedAt: 1_700_000_000_000, expiresAt: 1_700_000_000_000 + 3600_000 });
    expect(s.profile).toEqual({ userId: '42', email: 'dev@example.com', accounts: [], roles: ['admin', 'billing'], permissions: [], permissionsFromRoles: [] });
  });

  it('a mapping that finds nothing names the field and the path, and never the token', async () => {
    const { ctx } = fake(ok({ data: { token: TOKEN, expiresIn: 3600 }, user: { id: 1 } }), { map: MAP });
    const e = await rejection(sessionApiProvider.signIn(ctx, { email: 'dev@example.com', password: 'pw-123456' }), 'bad_response');
    expect(e.message).toBe('The sign-in answer has nothing at data.accessToken (the token mapping): nothing was stored');
  });

  it('a value of the wrong kind is named, not echoed', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...ANSWER, data: { accessToken: 12345, expiresIn: 3600 } }, 'The sign-in answer has a number, not a token, at data.accessToken (the token mapping): nothing was stored'],
      [{ ...ANSWER, data: { accessToken: `${TOKEN} x`, expiresIn: 3600 } }, 'The sign-in answer has a value that is not a valid bearer token (it contains a space) at data.accessToken (the token mapping): nothing was stored'],
      [{ ...ANSWER, data: { accessToken: TOKEN, expiresIn: 'later' } }, 'The sign-in answer has a text that is not a time, not a time or a number of seconds, at data.expiresIn (the expires mapping): nothing was stored'],
      [{ ...ANSWER, user: { ...ANSWER.user, roles: 'admin' } }, 'The sign-in answer has a text, not a list of names, at user.roles (the roles mapping): nothing was stored'],
      [{ data: ANSWER.data, user: { email: 'dev@example.com' } }, 'The sign-in answer has nothing at user.id (the userId mapping): nothing was stored'],
    ];
    for (const [answer, message] of cases) {
      const { ctx } = fake(ok(answer), { map: MAP });
      const e = await rejection(sessionApiProvider.signIn(ctx, { email: 'dev@example.com', password: 'pw-123456' }), 'bad_response');
      expect(e.message).toBe(message);
      expect(e.message).not.toContain(TOKEN);
    }
  });

  it('unmapped fields are read where seed 003 keeps them; token and expiry must be found', async () => {
    const { ctx } = fake(ok({ token: TOKEN, expiresAt: new Date(1_700_000_000_000 + 60_000).toISOString(), id: 'u1' }), { map: 'email=profile.mail' });
    const e = await rejection(sessionApiProvider.signIn(ctx, { email: 'dev@example.com', password: 'pw-123456' }), 'bad_response');
    expect(e.message).toBe('The sign-in answer has nothing at profile.mail (the email mapping): nothing was stored');
    const { ctx: ctx2 } = fake(ok({ data: { accessToken: TOKEN } }), { map: 'token=data.accessToken' });
    expect((await rejection(sessionApiProvider.signIn(ctx2, { email: 'dev@example.com', password: 'pw-123456' }))).message).toBe(
      'The sign-in answer has nothing at expiresAt (where expires is read without a mapping): nothing was stored',
    );
  });

  it('an expiry in the past or too short is refused as before, naming the path', async () => {
    const { ctx } = fake(ok({ ...ANSWER, data: { accessToken: TOKEN, expiresIn: -5 } }), { map: MAP });
    expect((await rejection(sessionApiProvider.signIn(ctx, { email: 'dev@example.com', password: 'pw-123456' }))).message).toMatch(/already expired \(data\.expiresIn is in the past\)/);
  });

  it('the session path and the logout path are the settings', async () => {
    const { ctx, requests } = fake(ok({ user: { id: 42, email: 'dev@example.com', roles: [] } }), { sessionPath: '/v2/me', logoutPath: '/v2/sessions/current', map: MAP });
    const session = { provider: 'session' as const, accessToken: TOKEN, obtainedAt: 0, expiresAt: 1, profile: { userId: '42', email: 'dev@example.com', accounts: [], roles: [], permissions: [], permissionsFromRoles: [] } };
    await expect(sessionApiProvider.fetchProfile(ctx, session)).resolves.toMatchObject({ userId: '42' });
    await expect(sessionApiProvider.checkSession!(ctx, session)).resolves.toEqual({ outcome: 'accepted' });
    await sessionApiProvider.signOut(ctx, session);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET http://localhost:3000/v2/me', 'GET http://localhost:3000/v2/me', 'POST http://localhost:3000/v2/sessions/current']);
  });

  it('a bad setting is refused before any request', async () => {
    const { ctx, requests } = fake(ok(ANSWER), { loginPath: 'v2/sessions' });
    await rejection(sessionApiProvider.signIn(ctx, { email: 'dev@example.com', password: 'pw-123456' }), 'invalid_input');
    expect(requests).toEqual([]);
  });
});

describe('checkBaseUrl with custom session paths (catalogue addedPaths.unlessSet)', () => {
  it('the default paths still refuse a base URL ending in /api', () => {
    expect(checkBaseUrl('https://api.example.com/api', 'session')).toMatchObject({ ok: false, suggestion: 'https://api.example.com' });
    expect(checkBaseUrl('https://api.example.com/api', 'session', { loginPath: '/api/auth/login' })).toMatchObject({ ok: false });
  });

  it('with paths of its own, an /api base is the user\'s and is kept', () => {
    expect(checkBaseUrl('https://example.com/api', 'session', { loginPath: '/v2/sessions' })).toEqual({ ok: true, value: 'https://example.com/api' });
  });

  it('a base URL ending in the custom path itself is refused with the root as suggestion', () => {
    expect(checkBaseUrl('https://example.com/api/v2/sessions/', 'session', { loginPath: '/v2/sessions' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/ends in \/v2\/sessions/),
      suggestion: 'https://example.com/api',
    });
  });
});

describe('the password method with another identifier field', () => {
  const io = (answers: Record<string, string>) => ({
    signal: new AbortController().signal,
    ask: async () => answers,
    show: () => undefined,
    commit: () => true,
  });

  it('sends a user name when the identifier field is not email; an email is still required otherwise', async () => {
    const { ctx, requests } = fake(ok({ ...ANSWER, user: { ...ANSWER.user, email: undefined } }), { identifierField: 'username', map: MAP.replace('\nemail=user.email', '') });
    const out = await sessionApiProvider.signInWith('password', ctx, io({ email: ' dev ', password: 'pw-123456' }));
    expect(requests[0]!.body).toEqual({ username: 'dev', password: 'pw-123456' });
    expect(out).toMatchObject({ typed: 'dev', session: { profile: { userId: '42', email: 'dev' } } });
    const plain = fake(ok(ANSWER), { map: MAP });
    await rejection(sessionApiProvider.signInWith('password', plain.ctx, io({ email: 'dev', password: 'pw-123456' })), 'invalid_input');
    expect(plain.requests).toEqual([]);
  });
});
