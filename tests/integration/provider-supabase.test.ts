import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { createHttpClient } from '../../src-main/core/http/client.js';
import { supabaseErrorFromResponse, supabaseProvider } from '../../src-main/core/providers/supabase/index.js';
import type { ProviderContext } from '../../src-main/core/providers/types.js';
import { rejection } from '../helpers/rejection.js';

const http = createHttpClient({ timeoutMs: 5000 });
const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
const unconfirmed = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('unconfirmed'))!;
const banned = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('banned'))!;

/** A server clock the tests can move forward (reuse-interval rules). */
let clockOffset = 0;
let demo: DemoServer;
let ctx: ProviderContext;

beforeAll(async () => {
  demo = await startDemoServer({ port: 0, now: () => Date.now() + clockOffset });
  ctx = { baseUrl: demo.url, anonKey: demo.anonKey, http, now: Date.now };
});
afterAll(async () => demo.close());

describe('supabase provider against the demo server', () => {
  it('signs in and builds the profile from the user and the JWT', async () => {
    const before = Date.now();
    const s = await supabaseProvider.signIn(ctx, owner);
    expect(s.provider).toBe('supabase');
    expect(s.accessToken.split('.')).toHaveLength(3);
    expect(s.refreshToken).toMatch(/^[a-z0-9]{12}$/);
    expect(s.expiresAt - s.obtainedAt).toBe(3600_000);
    expect(s.obtainedAt).toBeGreaterThanOrEqual(before);
    expect(s.profile).toMatchObject({ email: owner.email, displayName: 'Olive Owner', roles: ['authenticated'], permissions: [] });
    expect(s.profile.userId).toBe(s.profile.claims?.sub);
    expect(s.profile.jwtHeader).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    expect(typeof s.profile.claims?.session_id).toBe('string');

    const profile = await supabaseProvider.fetchProfile(ctx, s);
    expect(profile).toMatchObject({ userId: s.profile.userId, email: owner.email, displayName: 'Olive Owner' });
  });

  it('ignores a skewed server clock: expiry comes from expires_in and our clock', async () => {
    const skewed = await startDemoServer({ port: 0, clockSkewSeconds: -7200 });
    try {
      const s = await supabaseProvider.signIn({ ...ctx, baseUrl: skewed.url }, owner);
      expect(s.expiresAt - Date.now()).toBeGreaterThan(3500_000);
    } finally {
      await skewed.close();
    }
  });

  it('maps sign-in refusals', async () => {
    expect(await rejection(supabaseProvider.signIn(ctx, { ...owner, password: 'wrong' }))).toMatchObject({
      code: 'invalid_credentials',
      message: 'Invalid login credentials',
      serverCode: 'invalid_credentials',
      status: 400,
    });
    expect(await rejection(supabaseProvider.signIn(ctx, unconfirmed))).toMatchObject({ code: 'email_not_confirmed', message: 'Email not confirmed' });
    expect(await rejection(supabaseProvider.signIn(ctx, { ...banned, password: 'wrong' }))).toMatchObject({ code: 'user_banned' });
  });

  it('maps the gateway 401s', async () => {
    const missing = await rejection(supabaseProvider.signIn({ ...ctx, anonKey: undefined }, owner));
    expect(missing).toMatchObject({ code: 'gateway_rejected', status: 401, message: "No anon key was sent: the gateway needs the project's anon key" });
    const wrong = await rejection(supabaseProvider.signIn({ ...ctx, anonKey: 'not-the-anon-key' }, owner));
    expect(wrong).toMatchObject({ code: 'gateway_rejected', message: 'The anon key was rejected by the gateway' });
    expect(wrong.message).not.toContain('not-the-anon-key');
  });

  it('understands every error shape the demo server speaks', async () => {
    const url = `${demo.url}/auth/v1/token?grant_type=password`;
    const body = { email: owner.email, password: 'wrong' };
    const variants: Array<[string, Record<string, string>]> = [
      ['2024-01-01', { 'X-Supabase-Api-Version': '2024-01-01' }],
      ['initial', {}],
      ['legacy OAuth', { 'X-Demo-Legacy-Errors': '1' }],
    ];
    for (const [name, extra] of variants) {
      const res = await http.request({ method: 'POST', url, headers: { apikey: demo.anonKey, ...extra }, body });
      const e = supabaseErrorFromResponse('sign-in', res);
      expect({ name, code: e.code, message: e.message }).toEqual({ name, code: 'invalid_credentials', message: 'Invalid login credentials' });
    }
    const unconfirmedRes = await http.request({ method: 'POST', url, headers: { apikey: demo.anonKey, 'X-Demo-Legacy-Errors': '1' }, body: unconfirmed });
    expect(supabaseErrorFromResponse('sign-in', unconfirmedRes).code).toBe('email_not_confirmed');
  });

  it('signs up with autoconfirm (a session) and refuses a duplicate or weak password', async () => {
    const email = `new-${Date.now()}@example.test`;
    const r = await supabaseProvider.signUp(ctx, { email, password: 'long-enough-pw' }, { first_name: 'Nia', last_name: 'New' });
    expect(r.kind).toBe('session');
    if (r.kind !== 'session') return;
    expect(r.session.profile).toMatchObject({ email, displayName: 'Nia New' });
    expect(await rejection(supabaseProvider.signUp(ctx, { email, password: 'long-enough-pw' }))).toMatchObject({ code: 'user_already_exists' });
    expect(await rejection(supabaseProvider.signUp(ctx, { email: `w-${email}`, password: '123' }))).toMatchObject({
      code: 'weak_password',
      message: 'The password is too weak: Password should be at least 6 characters. (reasons: length)',
    });
  });

  it('signs up with confirmations on (confirmation_sent, no tokens)', async () => {
    const confirming = await startDemoServer({ port: 0, emailConfirmation: true });
    try {
      const r = await supabaseProvider.signUp({ ...ctx, baseUrl: confirming.url }, { email: 'fresh@example.test', password: 'long-enough-pw' });
      expect(r).toMatchObject({ kind: 'confirmation_sent', email: 'fresh@example.test' });
      if (r.kind === 'confirmation_sent') expect(r.userId).toMatch(/^[0-9a-f-]{36}$/);
      expect(await rejection(supabaseProvider.signIn({ ...ctx, baseUrl: confirming.url }, { email: 'fresh@example.test', password: 'long-enough-pw' }))).toMatchObject({
        code: 'email_not_confirmed',
      });
    } finally {
      await confirming.close();
    }
  });

  it('rotates the refresh token on refresh', async () => {
    const s0 = await supabaseProvider.signIn(ctx, owner);
    const s1 = await supabaseProvider.refresh(ctx, s0);
    expect(s1.refreshToken).not.toBe(s0.refreshToken);
    // Same second, same claims: the access token may be byte-identical (GoTrue's too), so no check on it.
    expect(s1.profile.claims?.session_id).toBe(s0.profile.claims?.session_id);
    const s2 = await supabaseProvider.refresh(ctx, s1);
    expect(s2.refreshToken).not.toBe(s1.refreshToken);
    await expect(supabaseProvider.fetchProfile(ctx, s2)).resolves.toMatchObject({ email: owner.email });
  });

  it('rejects a reused refresh token past the reuse interval, and then the whole session', async () => {
    const s0 = await supabaseProvider.signIn(ctx, owner);
    const s1 = await supabaseProvider.refresh(ctx, s0);
    const s2 = await supabaseProvider.refresh(ctx, s1);
    clockOffset += 11_000; // past the 10 s reuse interval
    try {
      const reused = await rejection(supabaseProvider.refresh(ctx, s0));
      expect(reused).toMatchObject({
        code: 'refresh_rejected',
        serverCode: 'refresh_token_already_used',
        message: 'The session was ended by the server: refresh token already used',
        retryable: false,
      });
      // Reuse detection revoked the family with updated_at = now(): the newest token dies once its
      // own reuse interval has passed (GoTrue's RevokeTokenFamily, spec §5.1 rule 4).
      clockOffset += 11_000;
      expect(await rejection(supabaseProvider.refresh(ctx, s2))).toMatchObject({ code: 'refresh_rejected' });
    } finally {
      clockOffset -= 22_000;
    }
  });

  it('signs out with scope=local and leaves other sessions alive', async () => {
    const a = await supabaseProvider.signIn(ctx, owner);
    const b = await supabaseProvider.signIn(ctx, owner);
    const before = demo.stats.logouts;
    await supabaseProvider.signOut(ctx, a);
    expect(demo.stats.logouts).toBe(before + 1);

    expect(await rejection(supabaseProvider.fetchProfile(ctx, a))).toMatchObject({ code: 'session_expired', serverCode: 'session_not_found' });
    expect(await rejection(supabaseProvider.refresh(ctx, a))).toMatchObject({
      code: 'refresh_rejected',
      message: 'The session was ended by the server: refresh token not found (the session was signed out)',
    });
    await expect(supabaseProvider.fetchProfile(ctx, b)).resolves.toMatchObject({ email: owner.email });
    await expect(supabaseProvider.refresh(ctx, b)).resolves.toMatchObject({ provider: 'supabase' });
    // Signing out an already-ended session is not an error (403 session_not_found is ignored).
    await expect(supabaseProvider.signOut(ctx, a)).resolves.toBeUndefined();
  });

  it('keeps a refresh token out of every error message', async () => {
    const s = await supabaseProvider.signIn(ctx, owner);
    await supabaseProvider.signOut(ctx, s);
    const e = await rejection(supabaseProvider.refresh(ctx, s));
    expect(JSON.stringify(e.toJSON())).not.toContain(s.refreshToken!);
    expect(e.message).not.toContain(s.accessToken);
  });
});

// ------------------------------------------------------------------ hostile servers

const hostile: Server[] = [];
afterEach(async () => {
  for (const s of hostile.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

async function hostileServer(answer: (res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  hostile.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('supabase provider against hostile servers', () => {
  const creds = { email: 'a@b.test', password: 'pw-secret-123' };
  const signInAt = (baseUrl: string) => supabaseProvider.signIn({ baseUrl, anonKey: 'anon', http, now: Date.now }, creds);

  it('HTML 502 from a proxy → bad_response, retryable', async () => {
    const url = await hostileServer((res) => res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><h1>502 Bad Gateway</h1></html>'));
    expect(await rejection(signInAt(url))).toMatchObject({
      code: 'bad_response',
      message: 'The server answered 502 with an HTML page instead of JSON',
      retryable: true,
    });
  });

  it('HTML 200 (a login page, a captive portal) → bad_response', async () => {
    const url = await hostileServer((res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Sign in</title>'));
    expect(await rejection(signInAt(url))).toMatchObject({ code: 'bad_response', message: 'The server answered 200 with an HTML page instead of JSON', retryable: false });
  });

  it('JSON 500 → server_error, retryable', async () => {
    const url = await hostileServer((res) =>
      res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: 500, error_code: 'unexpected_failure', msg: 'Unexpected failure' })),
    );
    expect(await rejection(signInAt(url))).toMatchObject({ code: 'server_error', retryable: true, status: 500 });
  });

  it('200 with wrong types → bad_response naming the field', async () => {
    const url = await hostileServer((res) =>
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ access_token: 'x', token_type: 'bearer', expires_in: 3600, refresh_token: 123, user: { id: 'u' } })),
    );
    expect(await rejection(signInAt(url))).toMatchObject({
      code: 'bad_response',
      message: 'The server sent an unexpected answer to sign-in (refresh_token: expected string)',
    });
  });

  it('a 401 that echoes the password does not leak it', async () => {
    const url = await hostileServer((res) =>
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: 400, error_code: 'weird', msg: `bad password pw-secret-123` })),
    );
    const e = await rejection(signInAt(url));
    expect(e.code).toBe('auth_error');
    expect(e.message).not.toContain('pw-secret-123');
  });
});
