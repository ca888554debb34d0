import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppService } from '../../src-main/core/app/service.js';
import { openCore, type Core } from '../../src-main/core/open.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { DEMO_JWT_KID, signHs256 } from '../../src-main/core/demo-server/jwt.js';
import { decodeJwt } from '../../src-main/core/providers/jwt.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;

/** What supabase-js keeps in Local Storage (`sb-<ref>-auth-token`): the /token answer as it came. */
interface BrowserSession {
  access_token: string;
  refresh_token: string;
  expires_at: number;
  expires_in: number;
  token_type: string;
  user: { id: string; email: string };
}

describe('Supabase "Import a browser session" against the demo server (issue 20)', () => {
  let home: ReturnType<typeof makeHome>;
  let server: DemoServer;
  let core: Core;
  let clockOffset = 0;
  /** How far the server's clock is ahead of ours. */
  let serverSkew = 0;
  const now = () => Date.now() + clockOffset;

  /** Signs in over plain HTTP, as the web app does in the browser. */
  async function browserSignIn(): Promise<BrowserSession> {
    const res = await fetch(`${server.url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: server.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email: owner.email, password: owner.password }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as BrowserSession;
  }

  const importSession = (token: string) => core.sessions.beginSignIn('staging', 'browser-session', { token });

  async function identities() {
    const cfg = await core.config.read();
    return cfg.identities.map((i) => i.email);
  }

  beforeEach(async () => {
    home = makeHome();
    clockOffset = 0;
    serverSkew = 0;
    server = await startDemoServer({ port: 0, now: () => now() + serverSkew });
    core = openCore({ home: home.dir, now, retryDeadlineMs: 1500 });
    await core.envs.add({ name: 'staging', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey });
  });
  afterEach(async () => {
    await server.close();
    await home.cleanup();
  });

  it('adopts the Local Storage session JSON as it is, then keeps it fresh with its refresh token', async () => {
    const browser = await browserSignIn();
    const grants = server.stats.refreshGrants;
    const step = await importSession(JSON.stringify(browser));
    expect(step).toMatchObject({ kind: 'done', result: { email: owner.email } });
    // Adopted as pasted: no refresh was needed for a token with an hour left.
    expect(server.stats.refreshGrants).toBe(grants);
    const fresh = await core.sessions.getFreshToken('staging');
    expect(fresh.session.accessToken).toBe(browser.access_token);
    expect(fresh.session.refreshToken).toBe(browser.refresh_token);
    expect(Math.abs(fresh.session.expiresAt - now() - 3600_000)).toBeLessThan(5_000);
    expect(fresh.session.profile).toMatchObject({ userId: browser.user.id, email: owner.email, displayName: 'Olive Owner' });

    // A minute before it ends it is renewed like a password sign-in's session.
    clockOffset = 3600_000 - 60_000;
    const renewed = await core.sessions.getFreshToken('staging');
    expect(server.stats.refreshGrants).toBe(grants + 1);
    expect(renewed.session.accessToken).not.toBe(browser.access_token);
    expect(renewed.session.refreshToken).not.toBe(browser.refresh_token);
  });

  it('takes the other forms: supabase-js v1 {currentSession}, the @supabase/ssr base64- cookie, and a token pair', async () => {
    const forms: Array<[string, (s: BrowserSession) => string]> = [
      ['v1', (s) => JSON.stringify({ currentSession: s, expiresAt: s.expires_at })],
      ['cookie', (s) => `base64-${Buffer.from(JSON.stringify(s)).toString('base64url')}`],
      // A cookie chunked in two (…-auth-token.0, .1), its parts pasted one per line.
      ['chunked cookie', (s) => { const v = Buffer.from(JSON.stringify(s)).toString('base64url'); return `base64-${v.slice(0, 100)}\n${v.slice(100)}`; }],
      ['pair on one line', (s) => `${s.access_token} ${s.refresh_token}`],
      ['pair on two lines', (s) => `${s.access_token}\n${s.refresh_token}\n`],
      ['JSON pair', (s) => JSON.stringify({ access_token: s.access_token, refresh_token: s.refresh_token })],
    ];
    for (const [name, paste] of forms) {
      const browser = await browserSignIn();
      const step = await importSession(paste(browser));
      expect(step, name).toMatchObject({ kind: 'done', result: { email: owner.email } });
      const fresh = await core.sessions.getFreshToken('staging');
      expect(fresh.session.accessToken, name).toBe(browser.access_token);
      expect(fresh.session.refreshToken, name).toBe(browser.refresh_token);
    }
    // One user, one identity, whatever the form.
    expect(await identities()).toEqual([owner.email]);
  });

  it('refuses a malformed value with an error naming what is wrong, never the value, and stores nothing', async () => {
    const browser = await browserSignIn();
    const before = server.stats.requests;
    const cases: Array<[string, RegExp]> = [
      [JSON.stringify(browser).slice(0, 200), /not valid JSON/],
      [browser.access_token, /Only an access token was pasted: the refresh token is needed too/],
      [JSON.stringify({ ...browser, refresh_token: undefined }), /has no refresh_token/],
      [JSON.stringify({ user: browser.user }), /has no access_token/],
      [`${browser.access_token} ${browser.refresh_token} extra`, /found 3 values/],
      [`not-a-jwt ${browser.refresh_token}`, /access token is not a JWT/],
      [`base64-${JSON.stringify(browser)}`, /"base64-" \(an @supabase\/ssr cookie\) but what follows is not base64url/],
      ['null', /nobody is signed in/],
      [server.anonKey + ' ' + browser.refresh_token, /the project's anon key/],
    ];
    for (const [paste, message] of cases) {
      const e = await rejection(importSession(paste));
      expect(e, paste.slice(0, 30)).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
      expect(e.message).not.toContain(browser.access_token.slice(-20));
      expect(e.message).not.toContain(browser.refresh_token);
    }
    // Judged locally: nothing reached the server, and nothing was stored.
    expect(server.stats.requests).toBe(before);
    expect(await identities()).toEqual([]);
    expect(core.sessions.flows.active).toBe(0);
  });

  it("refuses a session of another project (the JWT's issuer) before sending anything", async () => {
    const browser = await browserSignIn();
    const claims = decodeJwt(browser.access_token)!.claims;
    // A session of the developer's local project (supabase start), pasted into staging. Signed with the
    // demo's own key: the demo server would take it, so only the issuer check can refuse it.
    const foreign = signHs256({ ...claims, iss: 'http://127.0.0.1:54321/auth/v1' }, DEMO_JWT_KID);
    const before = { requests: server.stats.requests, refreshGrants: server.stats.refreshGrants };
    const e = await rejection(importSession(JSON.stringify({ ...browser, access_token: foreign })));
    expect(e).toMatchObject({
      code: 'invalid_input',
      message: `This session belongs to another project (issuer http://127.0.0.1:54321/auth/v1); this environment's issuer is ${server.url}/auth/v1`,
    });
    expect(server.stats.requests).toBe(before.requests);
    expect(await identities()).toEqual([]);
  });

  it('refuses a session the server has signed out, whether its access token is still valid or has expired', async () => {
    const browser = await browserSignIn();
    const out = await fetch(`${server.url}/auth/v1/logout?scope=local`, {
      method: 'POST',
      headers: { apikey: server.anonKey, authorization: `Bearer ${browser.access_token}` },
    });
    expect(out.status).toBe(204);
    const e = await rejection(importSession(JSON.stringify(browser)));
    expect(e).toMatchObject({ code: 'session_expired', serverCode: 'session_not_found', message: expect.stringContaining('no longer knows this session (it was signed out or revoked)') });

    // An hour later the access token has expired too: the refresh token is tried, and refused.
    clockOffset = 3600_000 + 1_000;
    const late = await rejection(importSession(JSON.stringify(browser)));
    expect(late).toMatchObject({
      code: 'refresh_rejected',
      serverCode: 'refresh_token_not_found',
      message: expect.stringContaining('The access token has expired and its refresh token was refused: the session was ended by the server: refresh token not found'),
    });
    expect(await identities()).toEqual([]);
  });

  it('an expired access token with a live refresh token is refreshed first, and the refreshed session adopted', async () => {
    const browser = await browserSignIn();
    clockOffset = 3600_000 + 1_000; // the tab was left alone for an hour
    const grants = server.stats.refreshGrants;
    const step = await importSession(JSON.stringify(browser));
    expect(step).toMatchObject({ kind: 'done', result: { email: owner.email } });
    expect(server.stats.refreshGrants).toBe(grants + 1);
    const fresh = await core.sessions.getFreshToken('staging');
    expect(fresh.session.accessToken).not.toBe(browser.access_token);
    expect(fresh.session.refreshToken).not.toBe(browser.refresh_token);
    expect(fresh.session.expiresAt - now()).toBeGreaterThan(3500_000);
    // The refreshed session is the server's current one: it answers for it.
    const user = await fetch(`${server.url}/auth/v1/user`, { headers: { apikey: server.anonKey, authorization: `Bearer ${fresh.session.accessToken}` } });
    expect(user.status).toBe(200);
  });

  it('asks for the pasted value when none was given up front, with the field the catalogue declares', async () => {
    const browser = await browserSignIn();
    const ask = await core.sessions.beginSignIn('staging', 'browser-session');
    expect(ask).toMatchObject({ kind: 'ask', title: 'Import a browser session', submitLabel: 'Import' });
    if (ask.kind !== 'ask') return;
    expect(ask.fields.map((f) => [f.name, f.kind, f.secret, f.required])).toEqual([['token', 'textarea', true, true]]);
    expect(ask.fields[0]!.help).toContain('sb-<project-ref>-auth-token');
    const done = await core.sessions.continueSignIn(ask.flowId, { token: JSON.stringify(browser) });
    expect(done).toMatchObject({ kind: 'done', result: { email: owner.email } });
  });

  it("an access token expired on the server's clock only is refreshed first too", async () => {
    const browser = await browserSignIn();
    serverSkew = 3600_000 + 1_000; // our clock says 59 minutes are left; the server's says it has ended
    const grants = server.stats.refreshGrants;
    expect(await importSession(JSON.stringify(browser))).toMatchObject({ kind: 'done', result: { email: owner.email } });
    expect(server.stats.refreshGrants).toBe(grants + 1);
    // The refreshed token's lifetime is measured on our clock: a full hour from now.
    const fresh = await core.sessions.getFreshToken('staging');
    expect(fresh.session.accessToken).not.toBe(browser.access_token);
    expect(Math.abs(fresh.session.expiresAt - now() - 3600_000)).toBeLessThan(5_000);
  });

  it('a token the server did not sign is refused as it is, and its refresh token is not sent on', async () => {
    const browser = await browserSignIn();
    const [header, payload] = browser.access_token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the demo signature').toString('base64url')}`;
    const grants = server.stats.refreshGrants;
    const e = await rejection(importSession(JSON.stringify({ ...browser, access_token: forged })));
    expect(e).toMatchObject({
      code: 'session_expired',
      serverCode: 'bad_jwt',
      message: expect.stringMatching(/^The server refused this session's access token \(invalid JWT: .*signature is invalid\): is it from this project\?/),
    });
    expect(server.stats.refreshGrants).toBe(grants);
    expect(await identities()).toEqual([]);
  });
});

describe('the same through the contract, as the window does it', () => {
  it('offers the method with its field, imports the pasted session, and the identity renews with its refresh token', async () => {
    const home = makeHome();
    const service = createAppService({ home: home.dir, shell: 'web', scheduler: false, demoPort: 0 });
    try {
      const state = await service.handle('startDemo', {});
      const supa = state.environments.find((e) => e.capabilities.signInMethods.some((m) => m.id === 'browser-session'))!;
      expect(supa.capabilities.signInMethods.map((m) => m.id)).toEqual(['password', 'otp', 'magic-link', 'phone', 'sms', 'oauth:github', 'oauth:google', 'browser-session']);
      const res = await fetch(`${supa.baseUrl}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { apikey: DEMO_CREDENTIALS.anonKey, 'content-type': 'application/json' },
        body: JSON.stringify({ email: owner.email, password: owner.password }),
      });
      const browser = (await res.json()) as BrowserSession;
      const ask = await service.handle('beginSignIn', { envId: supa.id, method: 'browser-session' });
      if (ask.kind !== 'ask') throw new Error('expected the paste field');
      const done = await service.handle('continueSignIn', { flowId: ask.flowId, answers: { token: JSON.stringify(browser) } });
      expect(done).toMatchObject({ kind: 'done', identity: { email: owner.email, status: 'valid', renewal: 'refresh_token' } });
    } finally {
      await service.close();
      await home.cleanup();
    }
  });
});
