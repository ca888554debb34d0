import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { TokenDeskError } from '../../src-main/core/errors.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src-main/core/http/types.js';
import {
  mapGoTrueError,
  parseGoTrueError,
  supabaseErrorFromResponse,
  supabaseProvider,
  type SupabaseOperation,
} from '../../src-main/core/providers/supabase/index.js';
import type { ProviderContext, StoredSession } from '../../src-main/core/providers/types.js';

const V2024 = { 'x-supabase-api-version': '2024-01-01' };

function res(status: number, json: unknown, headers: Record<string, string> = {}): HttpResponse {
  const text = json === undefined ? '' : typeof json === 'string' ? json : JSON.stringify(json);
  let parsed: unknown;
  try {
    parsed = typeof json === 'string' ? JSON.parse(json) : json;
  } catch {
    parsed = undefined;
  }
  return { status, headers, json: parsed, text };
}

function mapped(op: SupabaseOperation, r: HttpResponse, secrets: string[] = []): TokenDeskError {
  return supabaseErrorFromResponse(op, r, secrets);
}

describe('parseGoTrueError: the three shapes (auth-js handleError)', () => {
  it('reads the 2024-01-01 shape only when the response echoes the version header', () => {
    const body = { code: 'invalid_credentials', message: 'Invalid login credentials' };
    expect(parseGoTrueError(400, V2024, body)).toMatchObject({ code: 'invalid_credentials', message: 'Invalid login credentials' });
    // Without the header a string `code` is not trusted (auth-js falls back to error_code).
    expect(parseGoTrueError(400, {}, body).code).toBeUndefined();
    expect(parseGoTrueError(400, { 'x-supabase-api-version': '2023-12-31' }, body).code).toBeUndefined();
    expect(parseGoTrueError(400, { 'x-supabase-api-version': 'garbage' }, body).code).toBeUndefined();
  });

  it('reads the initial shape {code:int, error_code, msg}', () => {
    const body = { code: 400, error_code: 'email_not_confirmed', msg: 'Email not confirmed' };
    expect(parseGoTrueError(400, {}, body)).toMatchObject({ code: 'email_not_confirmed', message: 'Email not confirmed' });
    // Even with the header, an integer code falls back to error_code.
    expect(parseGoTrueError(400, V2024, body).code).toBe('email_not_confirmed');
  });

  it('reads the OAuth shape {error, error_description}', () => {
    const e = parseGoTrueError(400, {}, { error: 'invalid_grant', error_description: 'Invalid login credentials' });
    expect(e).toMatchObject({ oauthError: 'invalid_grant', message: 'Invalid login credentials' });
    expect(e.code).toBeUndefined();
  });

  it('falls back to the x-sb-error-code header (pre-v2.145 bodies had no error_code)', () => {
    expect(parseGoTrueError(403, { 'x-sb-error-code': 'bad_jwt' }, { code: 403, msg: 'invalid JWT' }).code).toBe('bad_jwt');
  });

  it('recognises weak_password with reasons in both versions', () => {
    const initial = { code: 422, error_code: 'weak_password', msg: 'Password should be at least 6 characters.', weak_password: { reasons: ['length'] } };
    const v2024 = { code: 'weak_password', message: 'Password should be at least 6 characters.', weak_password: { reasons: ['length', 'pwned'] } };
    expect(parseGoTrueError(422, {}, initial)).toMatchObject({ code: 'weak_password', weakPasswordReasons: ['length'] });
    expect(parseGoTrueError(422, V2024, v2024)).toMatchObject({ code: 'weak_password', weakPasswordReasons: ['length', 'pwned'] });
    // No code but a weak_password payload: auth-js treats it as weak password too.
    expect(parseGoTrueError(422, {}, { msg: 'weak', weak_password: { reasons: ['characters'] } }).code).toBe('weak_password');
  });

  it('recognises the gateway bodies (Kong self-hosted and hosted)', () => {
    expect(parseGoTrueError(401, {}, { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' }).gateway).toBe('missing_key');
    expect(parseGoTrueError(401, {}, { message: 'No API key found in request' }).gateway).toBe('missing_key');
    expect(parseGoTrueError(401, {}, { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' }).gateway).toBe('invalid_key');
    expect(parseGoTrueError(401, {}, { message: 'Invalid authentication credentials' }).gateway).toBe('invalid_key');
    expect(parseGoTrueError(401, {}, { message: 'Duplicate API key found' }).gateway).toBe('duplicate_key');
    // A GoTrue 2024 answer has `message` too, but also a code: not the gateway.
    expect(parseGoTrueError(401, V2024, { code: 'no_authorization', message: 'This endpoint requires a valid Bearer token' }).gateway).toBeUndefined();
  });

  it('copes with bodies that are not objects', () => {
    expect(parseGoTrueError(400, {}, null)).toEqual({ status: 400 });
    expect(parseGoTrueError(400, {}, [1, 2])).toEqual({ status: 400 });
    expect(parseGoTrueError(400, {}, 'text')).toEqual({ status: 400 });
  });
});

describe('mapping to TokenDeskError', () => {
  const signInCases: Array<[string, HttpResponse, string, string]> = [
    ['2024 invalid_credentials', res(400, { code: 'invalid_credentials', message: 'Invalid login credentials' }, V2024), 'invalid_credentials', 'Invalid login credentials'],
    ['initial invalid_credentials', res(400, { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' }), 'invalid_credentials', 'Invalid login credentials'],
    ['legacy invalid_grant', res(400, { error: 'invalid_grant', error_description: 'Invalid login credentials' }), 'invalid_credentials', 'Invalid login credentials'],
    ['2024 email_not_confirmed', res(400, { code: 'email_not_confirmed', message: 'Email not confirmed' }, V2024), 'email_not_confirmed', 'Email not confirmed'],
    ['legacy email not confirmed', res(400, { error: 'invalid_grant', error_description: 'Email not confirmed' }), 'email_not_confirmed', 'Email not confirmed'],
    ['user_banned', res(400, { code: 400, error_code: 'user_banned', msg: 'User is banned' }), 'user_banned', 'This user is banned'],
    // GoTrue's captcha middleware (400 captcha_failed): the way in is the session the web page gets.
    ['captcha_failed', res(400, { code: 'captcha_failed', message: 'captcha protection: request disallowed (no captcha response)' }, V2024), 'auth_error',
      'This project asks for a CAPTCHA on sign-in, which TokenDesk cannot show: sign in to the web app in a browser, then use "Import a browser session" (CLI: tokendesk login --env NAME --with-token)'],
    ['gateway: no key', res(401, { message: 'No API key found in request', hint: 'x' }), 'gateway_rejected', "No anon key was sent: the gateway needs the project's anon key"],
    ['gateway: wrong key (hosted)', res(401, { message: 'Invalid API key' }), 'gateway_rejected', 'The anon key was rejected by the gateway'],
    ['gateway: wrong key (Kong)', res(401, { message: 'Invalid authentication credentials' }), 'gateway_rejected', 'The anon key was rejected by the gateway'],
    ['rate limit', res(429, { code: 'over_request_rate_limit', message: 'Request rate limit reached' }, V2024), 'rate_limited', "The server's rate limit was reached; try again in a few minutes"],
    ['500 unexpected_failure', res(500, { code: 500, error_code: 'unexpected_failure', msg: 'Unexpected failure, please check server logs for more information', error_id: 'abc' }), 'server_error', 'The server failed (500): Unexpected failure, please check server logs for more information'],
  ];
  it.each(signInCases)('sign-in: %s', (_name, r, code, message) => {
    const e = mapped('sign-in', r);
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
    expect(e.status).toBe(r.status);
  });

  it('marks rate limits, gateway 5xx and 409 retryable; 4xx not', () => {
    expect(mapped('sign-in', res(429, { code: 'over_request_rate_limit', message: 'x' }, V2024)).retryable).toBe(true);
    expect(mapped('sign-in', res(429, '<html>slow down</html>')).code).toBe('rate_limited');
    for (const s of [500, 502, 503, 504, 520, 522, 530]) expect(mapped('refresh', res(s, { message: 'x' })).retryable).toBe(true);
    expect(mapped('refresh', res(505, { message: 'x' })).retryable).toBe(false);
    const conflict = mapped('refresh', res(409, { code: 'conflict', message: 'Too many concurrent token refresh requests on the same session or refresh token' }, V2024));
    expect(conflict).toMatchObject({ code: 'server_error', retryable: true, serverCode: 'conflict' });
    expect(mapped('sign-in', res(400, { code: 'invalid_credentials', message: 'x' }, V2024)).retryable).toBe(false);
  });

  it('gives bad_response naming the status for HTML error pages (retryable on gateway 5xx)', () => {
    const html = { ...res(502, undefined), text: '<!DOCTYPE html><html><body>Bad gateway</body></html>', headers: { 'content-type': 'text/html' } };
    const e = mapped('sign-in', html);
    expect(e.code).toBe('bad_response');
    expect(e.message).toBe('The server answered 502 with an HTML page instead of JSON');
    expect(e.retryable).toBe(true);
    const e400 = mapped('sign-in', { ...html, status: 400 });
    expect(e400.retryable).toBe(false);
  });

  it('weak_password includes the reasons', () => {
    const e = mapped('sign-up', res(422, { code: 'weak_password', message: 'Password should be at least 6 characters.', weak_password: { reasons: ['length', 'pwned'] } }, V2024));
    expect(e.code).toBe('weak_password');
    expect(e.message).toBe('The password is too weak: Password should be at least 6 characters. (reasons: length, pwned)');
  });

  it('maps sign-up refusals', () => {
    expect(mapped('sign-up', res(422, { code: 422, error_code: 'signup_disabled', msg: 'Signups not allowed for this instance' })).code).toBe('signup_disabled');
    expect(mapped('sign-up', res(422, { code: 'user_already_exists', message: 'User already registered' }, V2024))).toMatchObject({
      code: 'user_already_exists',
      message: 'A user with this email is already registered',
    });
  });

  const refreshCases: Array<[string, HttpResponse, string]> = [
    ['not found (2024)', res(400, { code: 'refresh_token_not_found', message: 'Invalid Refresh Token: Refresh Token Not Found' }, V2024), 'refresh token not found (the session was signed out)'],
    ['already used (initial)', res(400, { code: 400, error_code: 'refresh_token_already_used', msg: 'Invalid Refresh Token: Already Used' }), 'refresh token already used'],
    ['session not found', res(400, { code: 'session_not_found', message: 'Invalid Refresh Token: No Valid Session Found' }, V2024), 'session not found'],
    ['session expired (inactivity)', res(400, { code: 'session_expired', message: 'Invalid Refresh Token: Session Expired (Inactivity)' }, V2024), 'session expired (inactivity)'],
    ['banned', res(400, { code: 'user_banned', message: 'Invalid Refresh Token: User Banned' }, V2024), 'the user is banned'],
    ['pre-validation', res(400, { code: 'validation_failed', message: 'Refresh token is not valid' }, V2024), 'refresh token is not valid'],
    ['legacy already used', res(400, { error: 'invalid_grant', error_description: 'Invalid Refresh Token: Already Used' }), 'refresh token already used'],
    ['legacy not found', res(400, { error: 'invalid_grant', error_description: 'Invalid Refresh Token: Refresh Token Not Found' }), 'refresh token not found (the session was signed out)'],
    ['legacy expired', res(400, { error: 'invalid_grant', error_description: 'Invalid Refresh Token: Session Expired (Revoked by Newer Login)' }), 'session expired (revoked by newer login)'],
    ['v2.10 bare', res(400, { error: 'invalid_grant', error_description: 'Invalid Refresh Token' }), 'refresh token is not valid'],
    ['empty (old)', res(400, { error: 'invalid_request', error_description: 'refresh_token required' }), 'refresh token is not valid'],
  ];
  it.each(refreshCases)('refresh: %s', (_name, r, reason) => {
    const e = mapped('refresh', r);
    expect(e.code).toBe('refresh_rejected');
    expect(e.message).toBe(`The session was ended by the server: ${reason}`);
    expect(e.retryable).toBe(false);
  });

  it('keeps gateway rejection distinct from refresh rejection', () => {
    expect(mapped('refresh', res(401, { message: 'Invalid API key' })).code).toBe('gateway_rejected');
  });

  it('maps profile failures to session_expired', () => {
    expect(mapped('profile', res(403, { code: 'session_not_found', message: 'Session from session_id claim in JWT does not exist' }, V2024)).code).toBe('session_expired');
    expect(mapped('profile', res(403, { code: 403, error_code: 'bad_jwt', msg: 'invalid JWT: token is expired' })).code).toBe('session_expired');
    expect(mapped('profile', res(401, { code: 401, msg: 'invalid JWT: unable to parse or verify signature' })).code).toBe('session_expired');
  });

  it('falls back to auth_error with the server message, with secrets cut out', () => {
    const e = mapGoTrueError(
      'sign-in',
      parseGoTrueError(400, V2024, { code: 'some_new_code', message: 'Could not parse request body as JSON: hunter2-secret near line 1' }),
      ['hunter2-secret'],
    );
    expect(e.code).toBe('auth_error');
    expect(e.serverCode).toBe('some_new_code');
    expect(e.message).toBe('Sign-in failed: Could not parse request body as JSON: [redacted] near line 1');
  });
});

// ------------------------------------------------------------------ the provider with a fake HttpClient

async function jwt(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode('x'.repeat(32)));
}

function fakeHttp(answers: HttpResponse[]): { http: HttpClient; requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    http: {
      async request(req) {
        requests.push(req);
        const next = answers.shift();
        if (!next) throw new Error('no more answers');
        return next;
      },
    },
  };
}

const USER = {
  id: '0b3a1f52-6c1e-4d8a-9f2b-1a2b3c4d5e01',
  aud: 'authenticated',
  role: 'authenticated',
  email: 'owner@connectgain.test',
  phone: '',
  app_metadata: { provider: 'email' },
  user_metadata: { first_name: 'Olive', last_name: 'Owner' },
  identities: [],
};

async function tokenBody(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return {
    access_token: await jwt({ sub: USER.id, role: 'authenticated', email: USER.email, session_id: 's1' }),
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: 1, // deliberately nonsense: must be ignored
    refresh_token: 'abcdefghij12',
    user: USER,
    ...overrides,
  };
}

describe('supabaseProvider with a fake transport', () => {
  const base = (http: HttpClient): ProviderContext => ({ baseUrl: 'https://proj.supabase.co/', anonKey: 'anon-key', http, now: () => 1_000_000 });

  it('signs in with the gateway headers and computes expiry from the local clock', async () => {
    const { http, requests } = fakeHttp([res(200, await tokenBody())]);
    const s = await supabaseProvider.signIn(base(http), { email: USER.email, password: 'pw' });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: 'https://proj.supabase.co/auth/v1/token?grant_type=password',
      headers: { apikey: 'anon-key', 'X-Supabase-Api-Version': '2024-01-01' },
      body: { email: USER.email, password: 'pw' },
    });
    expect(s).toMatchObject({ provider: 'supabase', refreshToken: 'abcdefghij12', obtainedAt: 1_000_000, expiresAt: 1_000_000 + 3_600_000 });
    expect(s.profile).toMatchObject({
      userId: USER.id,
      email: USER.email,
      displayName: 'Olive Owner',
      roles: ['authenticated'],
      permissions: [],
      accounts: [],
      jwtHeader: { alg: 'HS256', typ: 'JWT' },
    });
    expect(s.profile.claims?.session_id).toBe('s1');
  });

  it('accepts a base URL that already ends in /auth/v1', async () => {
    const { http, requests } = fakeHttp([res(200, await tokenBody())]);
    await supabaseProvider.signIn({ ...base(http), baseUrl: 'https://proj.supabase.co/auth/v1/' }, { email: 'a', password: 'b' });
    expect(requests[0]?.url).toBe('https://proj.supabase.co/auth/v1/token?grant_type=password');
  });

  it('rejects a success body with wrong types, naming the field', async () => {
    const { http } = fakeHttp([res(200, await tokenBody({ expires_in: '3600' }))]);
    await expect(supabaseProvider.signIn(base(http), { email: 'a', password: 'b' })).rejects.toMatchObject({
      code: 'bad_response',
      message: 'The server sent an unexpected answer to sign-in (expires_in: expected number)',
    });
    const { http: http2 } = fakeHttp([res(200, await tokenBody({ token_type: 'mac' }))]);
    await expect(supabaseProvider.signIn(base(http2), { email: 'a', password: 'b' })).rejects.toMatchObject({
      code: 'bad_response',
      message: 'The server sent an unexpected answer to sign-in (token_type: expected "bearer")',
    });
    const { http: http3 } = fakeHttp([res(200, { user: USER })]);
    await expect(supabaseProvider.signIn(base(http3), { email: 'a', password: 'b' })).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('reads both sign-up answers', async () => {
    const { http } = fakeHttp([res(200, await tokenBody()), res(200, { ...USER, id: 'new-id', confirmation_sent_at: 'now' })]);
    const a = await supabaseProvider.signUp(base(http), { email: 'n@x.test', password: 'pw' }, { first_name: 'N' });
    expect(a.kind).toBe('session');
    const b = await supabaseProvider.signUp(base(http), { email: 'n@x.test', password: 'pw' });
    expect(b).toEqual({ kind: 'confirmation_sent', email: USER.email, userId: 'new-id' });
  });

  it('refreshes with the refresh token and keeps the rotated one', async () => {
    const { http, requests } = fakeHttp([res(200, await tokenBody({ refresh_token: 'rotated00001', expires_in: 3599 }))]);
    const old: StoredSession = {
      provider: 'supabase',
      accessToken: 'a',
      refreshToken: 'original0001',
      obtainedAt: 0,
      expiresAt: 0,
      profile: { userId: USER.id, email: USER.email, accounts: [], roles: [], permissions: [], permissionsFromRoles: [] },
    };
    const s = await supabaseProvider.refresh(base(http), old);
    expect(requests[0]).toMatchObject({ url: 'https://proj.supabase.co/auth/v1/token?grant_type=refresh_token', body: { refresh_token: 'original0001' } });
    expect(s.refreshToken).toBe('rotated00001');
    expect(s.expiresAt).toBe(1_000_000 + 3_599_000);
  });

  it('a refresh answer with an absurd expiry or a header-injecting token: capped, or a TokenDeskError, never garbage', async () => {
    const old: StoredSession = {
      provider: 'supabase',
      accessToken: 'a',
      refreshToken: 'original0001',
      obtainedAt: 0,
      expiresAt: 0,
      profile: { userId: USER.id, email: USER.email, accounts: [], roles: [], permissions: [], permissionsFromRoles: [] },
    };
    const { http } = fakeHttp([
      res(200, await tokenBody({ expires_in: 1e306 })),
      res(200, await tokenBody({ expires_in: 0.001 })),
      res(200, await tokenBody({ access_token: 'eyJ.e30.sig\r\nX-Injected: 1' })),
      res(200, await tokenBody({ refresh_token: 'rotated 0001' })),
      res(200, await tokenBody({ user: { ...USER, id: 'someone-else', email: 'b@y.test' } })),
    ]);
    const capped = await supabaseProvider.refresh(base(http), old);
    expect(capped.expiresAt).toBe(1_000_000 + 365 * 24 * 3600_000);
    await expect(supabaseProvider.refresh(base(http), old)).rejects.toMatchObject({ code: 'bad_response', message: expect.stringContaining('lives only 0.001 s') });
    await expect(supabaseProvider.refresh(base(http), old)).rejects.toMatchObject({
      code: 'bad_response',
      message: 'The server sent an access token that is not a valid bearer token (it contains a line break); nothing was stored',
    });
    await expect(supabaseProvider.refresh(base(http), old)).rejects.toMatchObject({
      code: 'bad_response',
      message: 'The server sent a refresh token that is not a valid bearer token (it contains a space); nothing was stored',
    });
    await expect(supabaseProvider.refresh(base(http), old)).rejects.toMatchObject({
      code: 'bad_response',
      message: 'The server answered the refresh with a session of another user; nothing was stored',
    });
  });

  it('signs out with the scope and ignores 401/403/404 but not the gateway', async () => {
    const session = { accessToken: 'tok' } as StoredSession;
    const { http, requests } = fakeHttp([
      res(204, undefined),
      res(403, { code: 'session_not_found', message: 'gone' }, V2024),
      res(404, { message: 'x' }),
      res(401, { message: 'Invalid API key' }),
    ]);
    await supabaseProvider.signOut(base(http), session);
    expect(requests[0]).toMatchObject({ url: 'https://proj.supabase.co/auth/v1/logout?scope=local', headers: { Authorization: 'Bearer tok' } });
    await supabaseProvider.signOut(base(http), session, 'local');
    await supabaseProvider.signOut(base(http), session, 'global');
    await expect(supabaseProvider.signOut(base(http), session, 'local')).rejects.toMatchObject({ code: 'gateway_rejected' });
  });

  it('takes the anon key from the environment\'s secret settings, as the session manager passes every secret', async () => {
    // The manager knows no kind's secrets: the provider reads its own (catalogue setting anonKey) from ctx.secrets.
    const { http, requests } = fakeHttp([res(200, await tokenBody())]);
    await supabaseProvider.signIn({ ...base(http), anonKey: undefined, secrets: { anonKey: 'anon-from-vault' } }, { email: 'a', password: 'b' });
    expect(requests[0]?.headers).toMatchObject({ apikey: 'anon-from-vault' });
  });

  it('sends no apikey header when there is no anon key', async () => {
    const { http, requests } = fakeHttp([res(401, { message: 'No API key found in request' })]);
    await expect(supabaseProvider.signIn({ ...base(http), anonKey: undefined }, { email: 'a', password: 'b' })).rejects.toMatchObject({
      code: 'gateway_rejected',
    });
    expect(requests[0]?.headers).not.toHaveProperty('apikey');
  });
});

describe('checkSession: only GoTrue itself refuses a session (issue 27 review)', () => {
  const session = { accessToken: 'tok', refreshToken: 'refresh00001', profile: { userId: 'u1' } } as StoredSession;
  const raw = (status: number, text: string, type: string): HttpResponse => ({ status, headers: { 'content-type': type }, json: undefined, text });
  const check = async (answer: HttpResponse) => {
    const { http } = fakeHttp([answer]);
    return supabaseProvider.checkSession!({ baseUrl: 'https://p.supabase.co', anonKey: 'anon', http, now: () => 0 }, session);
  };

  it('a 401/403 from a proxy, captive portal or firewall (HTML, text, empty, JSON not in GoTrue shape) is no answer', async () => {
    const notGoTrue: HttpResponse[] = [
      raw(403, '<!DOCTYPE html><html><body>Access denied</body></html>', 'text/html'),
      raw(401, '', 'text/plain'),
      raw(403, 'Forbidden', 'text/plain'),
      res(403, {}),
      res(403, []),
      res(403, '"Forbidden"'),
      res(403, { status: 'blocked' }),
    ];
    for (const answer of notGoTrue) {
      const r = await check(answer);
      expect(r.outcome, answer.text).toBe('unknown');
    }
    expect(await check(raw(403, '<html><body>Blocked</body></html>', 'text/html'))).toMatchObject({ reason: expect.stringContaining('HTML page') });
  });

  it("GoTrue's own shapes are refusals: today's codes, the pre-v2.145 {code, msg}", async () => {
    expect(await check(res(403, { code: 'bad_jwt', message: 'invalid JWT: token is expired' }, V2024))).toMatchObject({ outcome: 'refused', tokenOnly: true, serverCode: 'bad_jwt' });
    expect(await check(res(403, { code: 403, error_code: 'session_not_found', msg: 'Session from session_id claim in JWT does not exist' }))).toMatchObject({ outcome: 'refused', tokenOnly: false });
    expect(await check(res(401, { code: 401, msg: 'invalid JWT: token is expired' }))).toMatchObject({ outcome: 'refused', tokenOnly: true, status: 401 });
    // The gateway's bare {message} about the key says nothing about the session.
    expect((await check(res(401, { message: 'No API key found in request' }))).outcome).toBe('unknown');
  });
});
