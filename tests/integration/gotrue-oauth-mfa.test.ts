import { AuthApiError } from '@supabase/auth-js';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, DEMO_SUPABASE_EXTRAS, totpNow, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { authClient, claims, closeServers, expectApiError, expectSession, startGoTrue as start, type Json } from '../helpers/gotrue-client.js';

/**
 * The official client against the demo GoTrue for the browser sign-in (PKCE through the demo
 * provider's consent page, followed over HTTP as a browser would), MFA and refresh, compared with
 * GoTrue's source (external.go, token.go `PKCE`, mfa.go, tokens/service.go).
 */
const OWNER = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
const MFA = DEMO_SUPABASE_EXTRAS.mfa;

afterEach(closeServers);

/** Follows /authorize → the consent page → the chosen button → GoTrue's callback → redirect_to. */
async function browserSignIn(s: DemoServer, authorizeUrl: string, choice: string): Promise<URL> {
  const toProvider = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(toProvider.status).toBe(302);
  const consentUrl = new URL(toProvider.headers.get('location')!, s.url);
  const page = await fetch(consentUrl);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!;
  const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replaceAll('&#38;', '&')]));
  expect(html).toContain(`value="${choice}"`);
  const decided = await fetch(new URL(action, s.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hidden, decision: choice }).toString(),
  });
  const callback = await fetch(decided.headers.get('location')!, { redirect: 'manual' });
  expect(callback.status).toBe(302);
  return new URL(callback.headers.get('location')!);
}

describe('OAuth through GoTrue\'s PKCE flow', () => {
  it('signInWithOAuth + consent page + exchangeCodeForSession gives an oauth session linked by email', async () => {
    const s = await start();
    const auth = authClient(s, 'pkce');
    const back = 'http://127.0.0.1:49154/auth/callback';
    const { data, error } = await auth.signInWithOAuth({ provider: 'github', options: { redirectTo: back, skipBrowserRedirect: true } });
    expect(error).toBeNull();
    const authorize = new URL(data.url!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('s256');
    const landed = await browserSignIn(s, data.url!, `allow:${OWNER.email}`);
    expect(`${landed.origin}${landed.pathname}`).toBe(back);
    const code = landed.searchParams.get('code')!;
    const ex = await auth.exchangeCodeForSession(code);
    expect(ex.error).toBeNull();
    const session = expectSession(ex.data.session, 'oauth');
    expect(session.user.email).toBe(OWNER.email);
    expect(session.user.identities?.map((i) => i.provider).sort()).toEqual(['email', 'github']);
    expect(session.provider_token).toBe('demo-github-token');
    // The flow state is spent: a second exchange is 404 flow_state_not_found.
    const again = await authClient(s, 'pkce').exchangeCodeForSession(code);
    expect(again.error).toBeTruthy();
  });

  it('PKCE errors: bad_code_verifier, flow_state_not_found, flow_state_expired, empty params', async () => {
    let t = Date.now();
    const s = await start({ now: () => t });
    const auth = authClient(s, 'pkce');
    const { data } = await auth.signInWithOAuth({ provider: 'google', options: { redirectTo: 'http://127.0.0.1:1/cb', skipBrowserRedirect: true } });
    const code = (await browserSignIn(s, data.url!, `allow:${OWNER.email}`)).searchParams.get('code')!;
    const grant = (body: Json) =>
      fetch(`${s.url}/auth/v1/token?grant_type=pkce`, {
        method: 'POST',
        headers: { apikey: s.anonKey, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
    expect(await grant({ auth_code: code, code_verifier: 'x'.repeat(43) })).toEqual({
      status: 400,
      body: { code: 'bad_code_verifier', message: 'code challenge does not match previously saved code verifier' },
    });
    expect(await grant({ auth_code: '', code_verifier: '' })).toEqual({
      status: 400,
      body: { code: 'validation_failed', message: 'invalid request: both auth code and code verifier should be non-empty' },
    });
    expect((await grant({ auth_code: 'no-such-code', code_verifier: 'x'.repeat(43) })).body.code).toBe('flow_state_not_found');
    t += 301_000;
    const late = await auth.exchangeCodeForSession(code);
    expectApiError(late.error, 422, 'flow_state_expired', 'invalid flow state, flow state has expired');
  });

  it('a denied consent, a disabled provider, and a redirect_to outside the allow list', async () => {
    const s = await start({ gotrue: { oauthProviders: ['github'] } });
    const auth = authClient(s, 'pkce');
    const back = 'http://127.0.0.1:49155/cb';
    const { data } = await auth.signInWithOAuth({ provider: 'github', options: { redirectTo: back, skipBrowserRedirect: true } });
    const denied = await browserSignIn(s, data.url!, 'deny');
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(new URLSearchParams(denied.hash.slice(1)).has('sb')).toBe(true);

    const off = await auth.signInWithOAuth({ provider: 'gitlab', options: { redirectTo: back, skipBrowserRedirect: true } });
    const r = await fetch(off.data.url!, { headers: { 'X-Supabase-Api-Version': '2024-01-01' } });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ code: 'validation_failed', message: 'Unsupported provider: provider is not enabled' });

    const far = await auth.signInWithOAuth({ provider: 'github', options: { redirectTo: 'http://localhost:3000/cb', skipBrowserRedirect: true } });
    const landed = await browserSignIn(s, far.data.url!, `allow:${OWNER.email}`);
    expect(`${landed.origin}${landed.pathname}`).toBe(`${s.url}/demo/site`);
  });
});

describe('MFA (TOTP)', () => {
  it('password sign-in is aal1 with nextLevel aal2; challenge + verify gives aal2 with totp then password in amr', async () => {
    const s = await start();
    const auth = authClient(s);
    const signed = await auth.signInWithPassword({ email: MFA.email, password: MFA.password });
    expectSession(signed.data.session, 'password', 'aal1');
    await auth.setSession(signed.data.session!);
    const level = await auth.mfa.getAuthenticatorAssuranceLevel();
    expect(level.data).toMatchObject({ currentLevel: 'aal1', nextLevel: 'aal2' });
    const factors = await auth.mfa.listFactors();
    expect(factors.data?.totp.map((f) => f.id)).toEqual([MFA.factorId]);

    const challenge = await auth.mfa.challenge({ factorId: MFA.factorId });
    expect(challenge.error).toBeNull();
    const wrong = await auth.mfa.verify({ factorId: MFA.factorId, challengeId: challenge.data!.id, code: '000000' === totpNow(MFA.totpSecret, Date.now()) ? '111111' : '000000' });
    expectApiError(wrong.error, 422, 'mfa_verification_failed', 'Invalid TOTP code entered');

    const ok = await auth.mfa.verify({ factorId: MFA.factorId, challengeId: challenge.data!.id, code: totpNow(MFA.totpSecret, Date.now()) });
    expect(ok.error).toBeNull();
    const c = claims(ok.data!.access_token);
    expect(c.aal).toBe('aal2');
    expect((c.amr as Array<{ method: string }>).map((a) => a.method)).toEqual(['totp', 'password']);
    expect(ok.data!.refresh_token).not.toBe(signed.data.session!.refresh_token);

    // A refresh keeps aal2 (the session's claims, not the token's).
    const refreshed = await auth.refreshSession({ refresh_token: ok.data!.refresh_token });
    expect(claims(refreshed.data.session!.access_token).aal).toBe('aal2');
  });

  it('mfa_factor_not_found, mfa_challenge_expired, and a used challenge', async () => {
    let t = Date.now();
    const s = await start({ now: () => t });
    const auth = authClient(s);
    const signed = await auth.signInWithPassword({ email: MFA.email, password: MFA.password });
    await auth.setSession(signed.data.session!);
    const missing = await auth.mfa.challenge({ factorId: '00000000-0000-4000-8000-000000000000' });
    expectApiError(missing.error, 404, 'mfa_factor_not_found', 'Factor not found');
    const challenge = await auth.mfa.challenge({ factorId: MFA.factorId });
    t += 301_000;
    const late = await auth.mfa.verify({ factorId: MFA.factorId, challengeId: challenge.data!.id, code: totpNow(MFA.totpSecret, t) });
    expectApiError(late.error, 422, 'mfa_challenge_expired', `MFA challenge ${challenge.data!.id} has expired, verify against another challenge or create a new challenge.`);
  });
});

describe('insufficient_aal', () => {
  it('an MFA user at aal1 cannot change the password (401); at aal2 the same password is 422 same_password', async () => {
    const s = await start();
    const auth = authClient(s);
    const signed = await auth.signInWithPassword({ email: MFA.email, password: MFA.password });
    await auth.setSession(signed.data.session!);
    const low = await auth.updateUser({ password: 'a-new-password' });
    expectApiError(low.error, 401, 'insufficient_aal', 'AAL2 session is required to update email or password when MFA is enabled.');
    const challenge = await auth.mfa.challenge({ factorId: MFA.factorId });
    const ok = await auth.mfa.verify({ factorId: MFA.factorId, challengeId: challenge.data!.id, code: totpNow(MFA.totpSecret, Date.now()) });
    expect(ok.error).toBeNull();
    const same = await auth.updateUser({ password: MFA.password });
    expectApiError(same.error, 422, 'same_password');
    const data = await auth.updateUser({ data: { nickname: 'Mia', first_name: null } });
    expect(data.data.user?.user_metadata).toMatchObject({ nickname: 'Mia', last_name: 'Factor' });
    expect(data.data.user?.user_metadata).not.toHaveProperty('first_name');
  });
});

describe('refresh through the client', () => {
  it('refreshSession rotates; a reuse outside the interval is refresh_token_already_used', async () => {
    let t = Date.now();
    const s = await start({ now: () => t });
    const auth = authClient(s);
    const first = (await auth.signInWithPassword({ email: OWNER.email, password: OWNER.password })).data.session!;
    const second = (await auth.refreshSession({ refresh_token: first.refresh_token })).data.session!;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const third = (await auth.refreshSession({ refresh_token: second.refresh_token })).data.session!;
    t += 11_000;
    const reuse = await auth.refreshSession({ refresh_token: first.refresh_token });
    expectApiError(reuse.error, 400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
    // The token active at detection is still exchangeable in its own interval.
    const active = await auth.refreshSession({ refresh_token: third.refresh_token });
    expect(active.error).toBeNull();
  });
});

describe('faults GoTrue can answer with', () => {
  it('captcha_failed, email_address_not_authorized, and the access-token hook failures', async () => {
    const captcha = await start({ gotrue: { captcha: true } });
    const c1 = await authClient(captcha).signInWithPassword({ email: OWNER.email, password: OWNER.password });
    expectApiError(c1.error, 400, 'captcha_failed', 'captcha protection: request disallowed (no captcha_token found)');
    const c2 = await authClient(captcha).signInWithPassword({ email: OWNER.email, password: OWNER.password, options: { captchaToken: 'tok' } });
    expect(c2.error).toBeNull();

    const smtp = await start({ gotrue: { authorizedEmailAddresses: ['agent@connectgain.test'] } });
    const n = await authClient(smtp).signInWithOtp({ email: OWNER.email });
    expectApiError(n.error, 400, 'email_address_not_authorized', `Email address "${OWNER.email}" cannot be used as it is not authorized`);

    const expected: Array<[Parameters<typeof start>[0], number, string]> = [
      [{ gotrue: { hookFault: 'hook_timeout' } }, 422, 'hook_timeout'],
      [{ gotrue: { hookFault: 'hook_timeout_after_retry' } }, 422, 'hook_timeout_after_retry'],
      [{ gotrue: { hookFault: 'hook_payload_invalid_content_type' } }, 400, 'hook_payload_invalid_content_type'],
      [{ gotrue: { hookFault: 'hook_payload_over_size_limit' } }, 422, 'hook_payload_over_size_limit'],
      [{ gotrue: { hookFault: { reject: { httpCode: 403, message: 'Only staff may sign in' } } } }, 403, 'unknown'],
    ];
    // provider_disabled comes from the id_token grant (token_oidc.go), for a provider that is off.
    const idt = await start({ gotrue: { oauthProviders: ['github'] } });
    const off = await authClient(idt).signInWithIdToken({ provider: 'google', token: 'eyJ.x.y' });
    expectApiError(off.error, 400, 'provider_disabled', 'Provider (issuer "https://accounts.google.com") is not enabled');

    for (const [opts, status, code] of expected) {
      const s = await start(opts);
      const r = await authClient(s).signInWithPassword({ email: OWNER.email, password: OWNER.password });
      expect(r.error).toBeInstanceOf(AuthApiError);
      expect({ status: r.error!.status, code: r.error!.code }).toEqual({ status, code });
    }
  });
});
