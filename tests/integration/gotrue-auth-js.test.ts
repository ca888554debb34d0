import { AuthApiError, AuthClient, AuthWeakPasswordError, type Session } from '@supabase/auth-js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEMO_CREDENTIALS,
  DEMO_SUPABASE_EXTRAS,
  startDemoServer,
  type DemoMessage,
  type DemoServer,
  type DemoServerOptions,
} from '../../src-main/core/demo-server/index.js';

/**
 * The official client (@supabase/auth-js) against the demo GoTrue: every sign-in method, and the
 * session and error objects it builds, compared with what GoTrue's source (supabase/auth
 * internal/api: otp.go, verify.go, token.go, mfa.go, external.go, signup.go) says they are.
 */
const OWNER = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;

type Json = Record<string, unknown>;

const servers: DemoServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const s = await startDemoServer({ port: 0, ...opts });
  servers.push(s);
  return s;
}

function authClient(s: DemoServer, flowType: 'implicit' | 'pkce' = 'implicit'): InstanceType<typeof AuthClient> {
  return new AuthClient({
    url: `${s.url}/auth/v1`,
    headers: { apikey: s.anonKey, Authorization: `Bearer ${s.anonKey}` },
    persistSession: false,
    autoRefreshToken: false,
    detectSessionInUrl: false,
    flowType,
  });
}

function claims(token: string): Json {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Json;
}

async function mailbox(s: DemoServer, to: string): Promise<DemoMessage[]> {
  const r = await fetch(`${s.url}/demo/mailbox.json?to=${encodeURIComponent(to)}`);
  return ((await r.json()) as { messages: DemoMessage[] }).messages;
}

/** An AuthApiError with GoTrue's code and status, as auth-js builds it from the 2024-01-01 shape. */
function expectApiError(error: unknown, status: number, code: string, message?: string | RegExp): void {
  expect(error).toBeInstanceOf(AuthApiError);
  const e = error as AuthApiError;
  expect({ status: e.status, code: e.code }).toEqual({ status, code });
  if (typeof message === 'string') expect(e.message).toBe(message);
  else if (message) expect(e.message).toMatch(message);
}

function expectSession(session: Session | null, amr: string, aal = 'aal1'): Session {
  expect(session).not.toBeNull();
  const s = session!;
  expect(s.token_type).toBe('bearer');
  expect(s.refresh_token).toMatch(/^[a-z0-9]{12}$/);
  expect(s.expires_in).toBe(3600);
  const c = claims(s.access_token);
  expect(c.aal).toBe(aal);
  expect((c.amr as Array<{ method: string }>)[0]!.method).toBe(amr);
  expect(c.sub).toBe(s.user.id);
  return s;
}

describe('password grant (email and phone)', () => {
  it('signs in by email and by phone; a weak password comes back as a warning, not an error', async () => {
    const s = await start();
    const auth = authClient(s);
    const byEmail = await auth.signInWithPassword({ email: OWNER.email, password: OWNER.password });
    expect(byEmail.error).toBeNull();
    expectSession(byEmail.data.session, 'password');

    const byPhone = await auth.signInWithPassword(DEMO_SUPABASE_EXTRAS.phone);
    expect(byPhone.error).toBeNull();
    const session = expectSession(byPhone.data.session, 'password');
    expect(session.user.phone).toBe(DEMO_SUPABASE_EXTRAS.phone.phone.slice(1)); // stored without '+'
    expect(session.user.identities?.[0]?.provider).toBe('phone');

    const weak = await auth.signInWithPassword(DEMO_SUPABASE_EXTRAS.weak);
    expect(weak.error).toBeNull();
    expect(weak.data.weakPassword).toEqual({ message: 'Password should be at least 6 characters.', reasons: ['length'] });
  });

  it('gives GoTrue\'s codes: invalid_credentials, phone_not_confirmed, phone_provider_disabled (422)', async () => {
    const s = await start();
    const auth = authClient(s);
    const wrong = await auth.signInWithPassword({ phone: DEMO_SUPABASE_EXTRAS.phone.phone, password: 'nope' });
    expectApiError(wrong.error, 400, 'invalid_credentials', 'Invalid login credentials');

    const off = await start({ gotrue: { phoneProvider: false } });
    const r = await authClient(off).signInWithPassword(DEMO_SUPABASE_EXTRAS.phone);
    expectApiError(r.error, 422, 'phone_provider_disabled', 'Phone logins are disabled');
  });

  it('legacy mode plays v2.158: OAuth-shaped /token errors, a ban reads as bad credentials, no x-sb-error-code', async () => {
    const s = await start({ gotrue: { legacyErrors: true } });
    const auth = authClient(s);
    const banned = await auth.signInWithPassword({ email: 'banned@connectgain.test', password: OWNER.password });
    expect(banned.error).toBeInstanceOf(AuthApiError);
    expect(banned.error!.message).toBe('Invalid login credentials');
    expect(banned.error!.status).toBe(400);
    expect(banned.error!.code).toBeUndefined();
    const raw = await fetch(`${s.url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: s.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'unconfirmed@connectgain.test', password: OWNER.password }),
    });
    expect(raw.headers.get('x-sb-error-code')).toBeNull();
    expect(await raw.json()).toEqual({ error: 'invalid_grant', error_description: 'Email not confirmed' });
  });
});

describe('sign-up fidelity', () => {
  it('rejects a malformed email and a 73-character password with 400 validation_failed', async () => {
    const s = await start();
    const auth = authClient(s);
    const bad = await auth.signUp({ email: 'not-an-email', password: 'secure_password' });
    expectApiError(bad.error, 400, 'validation_failed', 'Unable to validate email address: invalid format');
    const long = await auth.signUp({ email: 'long@example.com', password: 'x'.repeat(73) });
    expectApiError(long.error, 400, 'validation_failed', 'Password cannot be longer than 72 characters');
  });

  it('weak_password: AuthWeakPasswordError with reasons; the 2024-01-01 answer has no x-sb-error-code', async () => {
    const s = await start();
    const r = await authClient(s).signUp({ email: 'weak2@example.com', password: '123' });
    expect(r.error).toBeInstanceOf(AuthWeakPasswordError);
    expect((r.error as AuthWeakPasswordError).reasons).toEqual(['length']);
    const raw = await fetch(`${s.url}/auth/v1/signup`, {
      method: 'POST',
      headers: { apikey: s.anonKey, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
      body: JSON.stringify({ email: 'weak3@example.com', password: '123' }),
    });
    expect(raw.status).toBe(422);
    expect(raw.headers.get('x-sb-error-code')).toBeNull();
  });

  it('with autoconfirm, signing up an existing unconfirmed email confirms it and returns a session', async () => {
    const s = await start();
    const r = await authClient(s).signUp({ email: 'unconfirmed@connectgain.test', password: 'another-password' });
    expect(r.error).toBeNull();
    expectSession(r.data.session, 'password');
    expect(r.data.user?.email_confirmed_at).toBeTypeOf('string');
  });

  it('with confirmations on: a repeat within 60 s is 429 over_email_send_rate_limit; a confirmed email gets a role-less look-alike', async () => {
    let t = Date.now();
    const s = await start({ emailConfirmation: true, now: () => t });
    const auth = authClient(s);
    const first = await auth.signUp({ email: 'repeat@example.com', password: 'secure_password' });
    expect(first.error).toBeNull();
    expect(first.data.session).toBeNull();
    t += 15_000;
    const again = await auth.signUp({ email: 'repeat@example.com', password: 'secure_password' });
    expectApiError(again.error, 429, 'over_email_send_rate_limit', 'For security purposes, you can only request this after 45 seconds.');
    t += 46_000;
    expect((await auth.signUp({ email: 'repeat@example.com', password: 'secure_password' })).error).toBeNull();

    const fake = await auth.signUp({ email: OWNER.email, password: 'whatever1' });
    expect(fake.error).toBeNull();
    expect(fake.data.user?.role).toBe('');
    expect(fake.data.user?.identities).toEqual([]);
  });
});

describe('email one-time code and magic link', () => {
  it('signInWithOtp then verifyOtp(type email) with the mailed code gives an otp session; the code is spent', async () => {
    const s = await start();
    const auth = authClient(s);
    const sent = await auth.signInWithOtp({ email: OWNER.email });
    expect(sent.error).toBeNull();
    const [mail] = await mailbox(s, OWNER.email);
    expect(mail).toMatchObject({ channel: 'email', type: 'magiclink' });
    expect(mail!.otp).toMatch(/^\d{6}$/);

    const wrong = await auth.verifyOtp({ email: OWNER.email, token: mail!.otp === '000000' ? '111111' : '000000', type: 'email' });
    expectApiError(wrong.error, 403, 'otp_expired', 'Token has expired or is invalid');

    const ok = await auth.verifyOtp({ email: OWNER.email, token: mail!.otp, type: 'email' });
    expect(ok.error).toBeNull();
    expectSession(ok.data.session, 'otp');
    const reused = await auth.verifyOtp({ email: OWNER.email, token: mail!.otp, type: 'email' });
    expectApiError(reused.error, 403, 'otp_expired');
  });

  it('a second code within 60 s is 429 over_email_send_rate_limit with GoTrue\'s "after N seconds"', async () => {
    let t = Date.now();
    const s = await start({ now: () => t });
    const auth = authClient(s);
    expect((await auth.signInWithOtp({ email: OWNER.email })).error).toBeNull();
    t += 20_500;
    const again = await auth.signInWithOtp({ email: OWNER.email });
    expectApiError(again.error, 429, 'over_email_send_rate_limit', 'For security purposes, you can only request this after 39 seconds.');
  });

  it('a new address is signed up; with shouldCreateUser false it is 422 otp_disabled', async () => {
    const s = await start();
    const auth = authClient(s);
    const no = await auth.signInWithOtp({ email: 'nobody@example.com', options: { shouldCreateUser: false } });
    expectApiError(no.error, 422, 'otp_disabled', 'Signups not allowed for otp');
    expect((await auth.signInWithOtp({ email: 'newbie@example.com' })).error).toBeNull();
    const [mail] = await mailbox(s, 'newbie@example.com');
    const ok = await auth.verifyOtp({ email: 'newbie@example.com', token: mail!.otp, type: 'email' });
    expect(ok.error).toBeNull();
    expect(ok.data.user?.email).toBe('newbie@example.com');
  });

  it('the magic link (GET /verify) lands on an allowed loopback redirect_to with the session in the fragment', async () => {
    const s = await start();
    const auth = authClient(s);
    const back = 'http://127.0.0.1:49152/callback';
    expect((await auth.signInWithOtp({ email: OWNER.email, options: { emailRedirectTo: back } })).error).toBeNull();
    const [mail] = await mailbox(s, OWNER.email);
    const r = await fetch(mail!.link!, { redirect: 'manual' });
    expect(r.status).toBe(303);
    const loc = new URL(r.headers.get('location')!);
    expect(`${loc.origin}${loc.pathname}`).toBe(back);
    const frag = new URLSearchParams(loc.hash.slice(1));
    expect(frag.get('type')).toBe('magiclink');
    expect(frag.get('refresh_token')).toMatch(/^[a-z0-9]{12}$/);
    // A spent link comes back as GoTrue's error redirect.
    const again = await fetch(mail!.link!, { redirect: 'manual' });
    const err = new URLSearchParams(new URL(again.headers.get('location')!).hash.slice(1));
    expect({ error: err.get('error'), code: err.get('error_code') }).toEqual({ error: 'access_denied', code: 'otp_expired' });
  });

  it('a redirect_to outside the allow list is replaced by the Site URL (GoTrue\'s refusal)', async () => {
    const s = await start();
    const auth = authClient(s);
    expect((await auth.signInWithOtp({ email: OWNER.email, options: { emailRedirectTo: 'https://evil.example/cb' } })).error).toBeNull();
    const [mail] = await mailbox(s, OWNER.email);
    const r = await fetch(mail!.link!, { redirect: 'manual' });
    expect(r.headers.get('location')!.startsWith(`${s.url}/demo/site#`)).toBe(true);
    const allowed = await start({ gotrue: { uriAllowList: ['https://app.example/**'] } });
    const a2 = authClient(allowed);
    await a2.signInWithOtp({ email: OWNER.email, options: { emailRedirectTo: 'https://app.example/auth/done' } });
    const [m2] = await mailbox(allowed, OWNER.email);
    expect((await fetch(m2!.link!, { redirect: 'manual' })).headers.get('location')!.startsWith('https://app.example/auth/done#')).toBe(true);
  });

  it('PKCE magic link: the link redirects with ?code=, exchangeCodeForSession gives a magiclink session', async () => {
    const s = await start();
    const auth = authClient(s, 'pkce');
    const back = 'http://127.0.0.1:49153/cb';
    expect((await auth.signInWithOtp({ email: OWNER.email, options: { emailRedirectTo: back } })).error).toBeNull();
    const [mail] = await mailbox(s, OWNER.email);
    expect(mail!.link).toContain('token=pkce_');
    const r = await fetch(mail!.link!, { redirect: 'manual' });
    const code = new URL(r.headers.get('location')!).searchParams.get('code');
    expect(code).toBeTruthy();
    const ex = await auth.exchangeCodeForSession(code!);
    expect(ex.error).toBeNull();
    expectSession(ex.data.session, 'magiclink');
  });
});

describe('SMS one-time code', () => {
  it('signInWithOtp(phone) sends a text; verifyOtp(type sms) signs in; a repeat within 60 s is 429 over_sms_send_rate_limit', async () => {
    const s = await start();
    const auth = authClient(s);
    const phone = DEMO_SUPABASE_EXTRAS.phone.phone;
    const sent = await auth.signInWithOtp({ phone });
    expect(sent.error).toBeNull();
    expect(sent.data.messageId).toMatch(/^demo-sms-/);
    const [sms] = await mailbox(s, phone);
    expect(sms).toMatchObject({ channel: 'sms', type: 'sms' });
    const again = await auth.signInWithOtp({ phone });
    expectApiError(again.error, 429, 'over_sms_send_rate_limit', /^For security purposes, you can only request this after (59|60) seconds\.$/);
    const ok = await auth.verifyOtp({ phone, token: sms!.otp, type: 'sms' });
    expect(ok.error).toBeNull();
    expectSession(ok.data.session, 'otp');
  });

  it('with the phone provider off, /otp answers 400 phone_provider_disabled', async () => {
    const s = await start({ gotrue: { phoneProvider: false } });
    const r = await authClient(s).signInWithOtp({ phone: DEMO_SUPABASE_EXTRAS.phone.phone });
    expectApiError(r.error, 400, 'phone_provider_disabled', 'Unsupported phone provider');
  });
});
