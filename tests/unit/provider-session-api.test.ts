import { describe, expect, it } from 'vitest';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src-main/core/http/types.js';
import { localExpiry, sessionApiError, sessionApiProvider } from '../../src-main/core/providers/session-api/index.js';
import { getProvider } from '../../src-main/core/providers/registry.js';
import { PROVIDERS } from '../../src-main/contract/providers.js';
import type { ProviderContext, StoredSession } from '../../src-main/core/providers/types.js';

/** The seed-003 login answer, verbatim. */
const SEED = {
  id: 1,
  email: 'test@test.com',
  active: true,
  createdBy: 'seed',
  updatedBy: 'seed',
  createdAt: '2024-05-19 19:12:50.576',
  updatedAt: '2024-05-19 19:12:50.575',
  primaryAccount: { accountName: 'Account 1', accountId: '2311', userBelongsToThisAccount: true, usersPrimaryAccount: true, internalUser: true },
  accounts: [{ accountName: 'Account 1', accountId: '2311', userBelongsToThisAccount: true, usersPrimaryAccount: true, internalUser: true }],
  flatRolesList: ['superAdmin'],
  flatPermissionsList: ['readApplications', 'writeApplications', 'miscPermission', 'anotherPermission'],
  permissionsFromRoles: ['readApplications', 'writeApplications'],
  token: 'e9f753d94b5eba91aabaa2dc8206d7dc03d29056abcda037acb4f2f56c6bc3c5',
  expiresAt: '2024-05-20T03:15:07.647Z',
};

function res(status: number, json: unknown, headers: Record<string, string> = {}, serverDate?: number): HttpResponse {
  const r: HttpResponse = { status, headers, json, text: json === undefined ? '' : JSON.stringify(json) };
  if (serverDate !== undefined) r.serverDate = serverDate;
  return r;
}

/** Our clock in these tests: 90 s behind the seed server's, whose token lives 8 h. */
const NOW = Date.parse(SEED.expiresAt) - 8 * 3600_000 - 90_000;

function ctxWith(answers: HttpResponse[], now = NOW): { ctx: ProviderContext; requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const http: HttpClient = {
    async request(req) {
      requests.push(req);
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      return next;
    },
  };
  return { ctx: { baseUrl: 'http://localhost:3000', http, now: () => now }, requests };
}

describe('localExpiry (clock-skew correction)', () => {
  const expires = '2024-05-20T03:15:07.647Z';
  const exp = Date.parse(expires);
  it('measures the lifetime on the server clock and re-anchors it locally', () => {
    // Server clock 1 h ahead of ours: the token still lives 8 h from our receipt.
    const ours = exp - 9 * 3600_000;
    expect(localExpiry(expires, exp - 8 * 3600_000, ours)).toBe(ours + 8 * 3600_000);
  });
  it('falls back to the local clock without a Date header', () => {
    expect(localExpiry(expires, undefined, exp - 60_000)).toBe(exp);
  });
});

describe('sessionApiProvider with a fake transport', () => {
  it('signs in and maps the seed answer', async () => {
    const serverNow = Date.parse(SEED.expiresAt) - 8 * 3600_000;
    const { ctx, requests } = ctxWith([res(200, SEED, {}, serverNow)]);
    const s = await sessionApiProvider.signIn(ctx, { email: 'test@test.com', password: 'stringstring' });
    expect(requests[0]).toMatchObject({ method: 'POST', url: 'http://localhost:3000/api/auth/login', body: { email: 'test@test.com', password: 'stringstring' } });
    expect(s).toEqual({
      provider: 'session',
      accessToken: SEED.token,
      obtainedAt: NOW,
      expiresAt: NOW + 8 * 3600_000,
      profile: {
        userId: '1',
        email: 'test@test.com',
        accounts: [{ id: '2311', name: 'Account 1', primary: true, internalUser: true }],
        primaryAccountId: '2311',
        roles: ['superAdmin'],
        permissions: SEED.flatPermissionsList,
        permissionsFromRoles: ['readApplications', 'writeApplications'],
      },
    });
  });

  it('accepts numeric account ids and a missing primaryAccount', async () => {
    const body = { ...SEED, primaryAccount: null, accounts: [{ accountName: 'A', accountId: 7, usersPrimaryAccount: false }, { accountName: 'B', accountId: 8, usersPrimaryAccount: true }] };
    const { ctx } = ctxWith([res(200, body, {}, Date.parse(SEED.expiresAt) - 1000)]);
    const s = await sessionApiProvider.signIn(ctx, { email: 'a', password: 'b' });
    expect(s.profile.accounts).toEqual([{ id: '7', name: 'A', primary: false }, { id: '8', name: 'B', primary: true }]);
    expect(s.profile.primaryAccountId).toBe('8');
  });

  it('rejects malformed answers with bad_response', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...SEED, token: undefined }, 'token: expected string'],
      [{ ...SEED, expiresAt: 'soon' }, 'expiresAt: expected an ISO date'],
      [{ ...SEED, accounts: 'x' }, 'accounts: expected array'],
      [{ ...SEED, flatRolesList: [1] }, 'flatRolesList.0: expected string'],
    ];
    for (const [body, detail] of cases) {
      const { ctx } = ctxWith([res(200, body)]);
      await expect(sessionApiProvider.signIn(ctx, { email: 'a', password: 'b' })).rejects.toMatchObject({
        code: 'bad_response',
        message: `The server sent an unexpected answer to sign-in (${detail})`,
      });
    }
  });

  it('refuses a token that is already expired', async () => {
    const { ctx } = ctxWith([res(200, SEED, {}, Date.parse(SEED.expiresAt) + 1000)]);
    await expect(sessionApiProvider.signIn(ctx, { email: 'a', password: 'b' })).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('maps errors', () => {
    expect(sessionApiError('sign-in', res(401, {}), [])).toMatchObject({ code: 'invalid_credentials', message: 'Invalid email or password' });
    expect(sessionApiError('sign-in', res(401, { message: 'Account locked for pw123' }), ['pw123'])).toMatchObject({
      code: 'invalid_credentials',
      message: 'Account locked for [redacted]',
    });
    expect(sessionApiError('profile', res(401, { message: 'Unauthorized' }), []).code).toBe('session_expired');
    expect(sessionApiError('sign-in', res(429, undefined), [])).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(sessionApiError('sign-in', res(503, { message: 'down' }), [])).toMatchObject({ code: 'server_error', retryable: true });
    const html: HttpResponse = { status: 500, headers: { 'content-type': 'text/html' }, json: undefined, text: '<html>oops</html>' };
    expect(sessionApiError('sign-in', html, [])).toMatchObject({ code: 'bad_response', message: 'The server answered 500 with an HTML page instead of JSON' });
    expect(sessionApiError('sign-in', res(400, { message: 'email and password are required' }), [])).toMatchObject({
      code: 'auth_error',
      message: 'Sign-in failed: email and password are required',
    });
  });

  it('has no refresh and no sign-up', async () => {
    const { ctx } = ctxWith([]);
    await expect(sessionApiProvider.refresh(ctx, {} as StoredSession)).rejects.toMatchObject({ code: 'unsupported' });
    await expect(sessionApiProvider.signUp(ctx, { email: 'a', password: 'b' })).rejects.toMatchObject({ code: 'unsupported' });
    expect(sessionApiProvider.canRefresh).toBe(false);
    expect(sessionApiProvider.canSignUp).toBe(false);
  });

  it('signs out best-effort: a missing endpoint is fine, a 5xx is not', async () => {
    const session = { accessToken: 'tok' } as StoredSession;
    const { ctx, requests } = ctxWith([res(404, { message: 'Cannot POST /api/auth/logout' }), res(204, undefined), res(500, { message: 'x' })]);
    await sessionApiProvider.signOut(ctx, session);
    expect(requests[0]).toMatchObject({ method: 'POST', url: 'http://localhost:3000/api/auth/logout', headers: { Authorization: 'Bearer tok' } });
    await sessionApiProvider.signOut(ctx, session);
    await expect(sessionApiProvider.signOut(ctx, session)).rejects.toMatchObject({ code: 'server_error' });
  });
});

describe('the catalogue says what the provider calls', () => {
  it('every "METHOD /path" in the Session API summary is a request the provider really makes', async () => {
    const session = { accessToken: 'tok' } as StoredSession;
    const serverNow = Date.parse(SEED.expiresAt) - 8 * 3600_000;
    const { ctx, requests } = ctxWith([res(200, SEED, {}, serverNow), res(200, SEED), res(204, undefined)]);
    await sessionApiProvider.signIn(ctx, { email: 'test@test.com', password: 'stringstring' });
    await sessionApiProvider.fetchProfile(ctx, session);
    await sessionApiProvider.signOut(ctx, session);
    const made = requests.map((r) => `${r.method} ${new URL(r.url).pathname}`);
    const said = [...PROVIDERS.session.summary.matchAll(/\b(GET|POST|PUT|DELETE) (\/\S*?)(?=[\s,:;]|$)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(said.length).toBeGreaterThan(0);
    for (const call of said) expect(made).toContain(call);
  });
});

describe('registry', () => {
  it('returns each provider by kind', () => {
    expect(getProvider('supabase').kind).toBe('supabase');
    expect(getProvider('session').kind).toBe('session');
    expect(() => getProvider('oauth' as never)).toThrow(/Unknown provider kind/);
  });
});

describe('checkSession: only the API itself refuses a session (issue 27 review)', () => {
  const session = { accessToken: 'tok', profile: { userId: '1' } } as StoredSession;
  const raw = (status: number, text: string, type: string): HttpResponse => ({ status, headers: { 'content-type': type }, json: undefined, text });
  const check = async (answer: HttpResponse) => sessionApiProvider.checkSession!(ctxWith([answer]).ctx, session);

  it('a 401/403 HTML page, text or empty body (a proxy, a captive portal) is no answer', async () => {
    for (const answer of [raw(403, '<html><body>Access denied</body></html>', 'text/html'), raw(401, '', 'text/plain'), res(403, {}), res(401, ['x'])]) {
      expect((await check(answer)).outcome, answer.text).toBe('unknown');
    }
  });

  it("the API's JSON error is a refusal, with its message", async () => {
    expect(await check(res(401, { message: 'Session expired' }))).toMatchObject({ outcome: 'refused', reason: 'Session expired', status: 401 });
    expect(await check(res(403, { error: { message: 'Token revoked' } }))).toMatchObject({ outcome: 'refused', reason: 'Token revoked' });
  });
});
