import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenDeskError } from '../../src-main/core/errors.js';
import type { FlowNotice } from '../../src-main/core/flows/types.js';
import { createHttpClient } from '../../src-main/core/http/client.js';
import { withSignal } from '../../src-main/core/http/with-signal.js';
import { oidcProvider } from '../../src-main/core/providers/oidc/index.js';
import type { ProviderContext } from '../../src-main/core/providers/types.js';
import { deferred } from '../helpers/deferred.js';
import { approveDeviceCode, completeInteraction, MACHINE_CLIENT, MACHINE_SECRET, PUBLIC_CLIENT, startOidcPeer, type OidcPeer } from '../helpers/oidc-peer.js';
import { userIO } from '../helpers/scripted-flow.js';

/** The OpenID Connect kind (issue 21) against oidc-provider, a certified OpenID Provider, on 127.0.0.1. */
let peer: OidcPeer;
beforeAll(async () => {
  // interval 1: the server asks for polls a second apart (RFC 8628 §3.2), so the device test waits 1 s, not 5.
  peer = await startOidcPeer({ deviceInterval: 1 });
});
afterAll(() => peer.close());

const http = createHttpClient();

function ctxFor(signal: AbortSignal, settings: Record<string, string> = { clientId: PUBLIC_CLIENT }, secrets: Record<string, string> = {}): ProviderContext {
  return { baseUrl: peer.issuer, http: withSignal(http, signal), now: Date.now, settings, secrets, signal };
}

/** Whether something still listens on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const redirectPort = (authUrl: string) => Number(new URL(new URL(authUrl).searchParams.get('redirect_uri')!).port);

async function browserSignIn(login: string) {
  const opened = deferred<string>();
  const io = userIO((n) => n.kind === 'open-url' && opened.resolve(n.url));
  const run = oidcProvider.signInWith('browser', ctxFor(io.signal), io);
  const url = await opened.promise;
  const page = await completeInteraction(peer.issuer, url, login);
  return { out: await run, url, page };
}

describe('OpenID Connect: browser sign-in (authorization code + PKCE, loopback redirect)', () => {
  it('signs in through the provider\'s own login page: PKCE S256, the ID token\'s user, a refresh token; the tab is told to close and the port is closed', async () => {
    const { out, url, page } = await browserSignIn('alice');
    const params = new URL(url).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('state')).toBeTruthy();
    expect(params.get('nonce')).toBeTruthy();
    expect(params.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(page.status).toBe(200);
    expect(page.text).toContain('You may close this tab');
    expect(out.session).toMatchObject({ provider: 'oidc', profile: { userId: 'alice', email: 'alice@example.test', displayName: 'User alice' } });
    expect(out.session.refreshToken).toBeTruthy();
    // expires_in (3600 s at the peer), counted from our receipt: a second may have passed on the server's clock.
    expect(out.session.expiresAt - out.session.obtainedAt).toBeGreaterThanOrEqual(3598_000);
    expect(out.session.expiresAt - out.session.obtainedAt).toBeLessThanOrEqual(3600_000);
    expect(await listening(redirectPort(url))).toBe(false);
  });

  it('cancelled while waiting for the browser: the listener closes, the flow fails as cancelled and nothing comes back', async () => {
    const opened = deferred<string>();
    const io = userIO((n) => n.kind === 'open-url' && opened.resolve(n.url));
    const run = oidcProvider.signInWith('browser', ctxFor(io.signal), io);
    const url = await opened.promise;
    const port = redirectPort(url);
    expect(await listening(port)).toBe(true);
    io.controller.abort(new TokenDeskError('flow_cancelled', 'The sign-in was cancelled: nothing was stored'));
    await expect(run).rejects.toMatchObject({ code: 'flow_cancelled' });
    expect(await listening(port)).toBe(false);
  });

  it('a callback with another state is refused and the port is closed', async () => {
    const opened = deferred<string>();
    const io = userIO((n) => n.kind === 'open-url' && opened.resolve(n.url));
    const run = oidcProvider.signInWith('browser', ctxFor(io.signal), io);
    run.catch(() => undefined);
    const url = await opened.promise;
    const redirect = new URL(url).searchParams.get('redirect_uri')!;
    const res = await fetch(`${redirect}?code=forged&state=not-ours`);
    expect(res.status).toBe(400);
    await expect(run).rejects.toBeInstanceOf(TokenDeskError);
    expect(await listening(redirectPort(url))).toBe(false);
  });
});

describe('OpenID Connect: renewal', () => {
  it('a refresh rotates the refresh token; the spent one, sent again, is refused in plain words', async () => {
    const { out } = await browserSignIn('bob');
    const first = out.session;
    const io = userIO(() => undefined);
    const renewed = await oidcProvider.refresh(ctxFor(io.signal), first);
    expect(renewed.refreshToken).toBeTruthy();
    expect(renewed.refreshToken).not.toBe(first.refreshToken);
    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect(renewed.profile).toMatchObject({ userId: 'bob', email: 'bob@example.test' });
    const reuse = oidcProvider.refresh(ctxFor(io.signal), first);
    await expect(reuse).rejects.toMatchObject({ code: 'refresh_rejected', serverCode: 'invalid_grant' });
    await expect(reuse).rejects.toThrow(/revoked, expired or already used/);
    // Reuse detection (oidc-provider, like Auth0 and Okta) revoked the whole grant: the newer token is dead too.
    await expect(oidcProvider.refresh(ctxFor(io.signal), renewed)).rejects.toMatchObject({ code: 'refresh_rejected' });
  });
});

describe('OpenID Connect: device code (RFC 8628)', () => {
  it('shows the user code; once approved on the provider\'s page, the poll ends with the user\'s session', async () => {
    const shown = deferred<Extract<FlowNotice, { kind: 'device-code' }>>();
    const io = userIO((n) => n.kind === 'device-code' && shown.resolve(n));
    const run = oidcProvider.signInWith('device', ctxFor(io.signal), io);
    const notice = await shown.promise;
    expect(notice.userCode).toMatch(/\S{4,}/);
    const page = await approveDeviceCode(peer, notice.verificationUrl, 'carol');
    expect(page.status).toBe(200);
    const out = await run;
    expect(out.session.profile).toMatchObject({ userId: 'carol', email: 'carol@example.test' });
    expect(out.session.refreshToken).toBeTruthy();
  });

  it('denied on the verification page: said plainly, no session', async () => {
    const shown = deferred<Extract<FlowNotice, { kind: 'device-code' }>>();
    const io = userIO((n) => n.kind === 'device-code' && shown.resolve(n));
    const run = oidcProvider.signInWith('device', ctxFor(io.signal), io);
    run.catch(() => undefined);
    const notice = await shown.promise;
    await approveDeviceCode(peer, notice.verificationUrl, 'dave', 'abort');
    await expect(run).rejects.toMatchObject({ code: 'invalid_credentials', message: expect.stringMatching(/denied/) });
  });
});

describe('OpenID Connect: client credentials', () => {
  it('a confidential client gets a token for itself, without a refresh token', async () => {
    const io = userIO(() => undefined);
    const out = await oidcProvider.signInWith('client-credentials', ctxFor(io.signal, { clientId: MACHINE_CLIENT }, { clientSecret: MACHINE_SECRET }), io);
    expect(out.session).toMatchObject({ provider: 'oidc', profile: { userId: MACHINE_CLIENT } });
    expect(out.session.refreshToken).toBeUndefined();
    expect(out.session.accessToken.length).toBeGreaterThan(10);
  });

  it('a wrong secret is refused as bad credentials, the secret never in the message', async () => {
    const io = userIO(() => undefined);
    const run = oidcProvider.signInWith('client-credentials', ctxFor(io.signal, { clientId: MACHINE_CLIENT }, { clientSecret: 'wrong-secret-xyz' }), io);
    await expect(run).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(run).rejects.toThrow(/^The OpenID Connect server refused the client credentials \(invalid_client/);
    await expect(run).rejects.not.toThrow(/wrong-secret-xyz/);
  });
});
