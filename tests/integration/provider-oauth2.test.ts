import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowNotice } from '../../src-main/core/flows/types.js';
import { createHttpClient } from '../../src-main/core/http/client.js';
import { withSignal } from '../../src-main/core/http/with-signal.js';
import { oauth2Provider } from '../../src-main/core/providers/oauth2/index.js';
import type { ProviderContext } from '../../src-main/core/providers/types.js';
import { cliFixture } from '../helpers/cli.js';
import { deferred } from '../helpers/deferred.js';
import { approveDeviceCode, completeInteraction, MACHINE_CLIENT, MACHINE_SECRET, PUBLIC_CLIENT, RESOURCE_SCOPE, startOidcPeer, type OidcPeer } from '../helpers/oidc-peer.js';
import { userIO } from '../helpers/scripted-flow.js';

/**
 * The plain OAuth 2.0 kind (issue 21): oidc-provider's endpoints given by hand, no discovery, no ID
 * token asked (no openid scope: the scope of an API, a resource server whose access tokens are JWTs,
 * so the user is read from the access token's claims).
 */
let peer: OidcPeer;
beforeAll(async () => {
  peer = await startOidcPeer({ deviceInterval: 1, resource: 'https://api.example.test/' });
});
afterAll(() => peer.close());

const http = createHttpClient();

/** oidc-provider's default routes, as an administrator would copy them from its documentation. */
function endpoints(): Record<string, string> {
  return {
    authorizationEndpoint: `${peer.issuer}/auth`,
    tokenEndpoint: `${peer.issuer}/token`,
    deviceAuthorizationEndpoint: `${peer.issuer}/device/auth`,
    revocationEndpoint: `${peer.issuer}/token/revocation`,
  };
}

function ctxFor(signal: AbortSignal, settings: Record<string, string> = { ...endpoints(), clientId: PUBLIC_CLIENT, scope: RESOURCE_SCOPE }, secrets: Record<string, string> = {}): ProviderContext {
  // The base URL is the API's: nothing is discovered under it (a request there would fail the test's peer count below).
  return { baseUrl: 'https://api.example.test', http: withSignal(http, signal), now: Date.now, settings, secrets, signal };
}

describe('OAuth 2.0 with endpoints given by hand', () => {
  it('browser sign-in with PKCE at the given authorization endpoint, then a refresh that rotates the refresh token; sign-out revokes it', async () => {
    const opened = deferred<string>();
    const io = userIO((n) => n.kind === 'open-url' && opened.resolve(n.url));
    const run = oauth2Provider.signInWith('browser', ctxFor(io.signal), io);
    run.catch(() => undefined);
    const url = await opened.promise;
    expect(url.startsWith(`${peer.issuer}/auth?`)).toBe(true);
    const params = new URL(url).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('scope')).toBe(RESOURCE_SCOPE);
    expect(params.get('nonce')).toBeNull();
    const page = await completeInteraction(peer.issuer, url, 'alice');
    expect(page.text).toContain('You may close this tab');
    const out = await run;
    // The JWT access token's sub (no ID token, no userinfo endpoint given).
    expect(out.session).toMatchObject({ provider: 'oauth2', profile: { userId: 'alice' } });
    expect(out.session.idToken).toBeUndefined();
    expect(out.session.refreshToken).toBeTruthy();
    const renewed = await oauth2Provider.refresh(ctxFor(io.signal), out.session);
    expect(renewed.provider).toBe('oauth2');
    expect(renewed.refreshToken).toBeTruthy();
    expect(renewed.refreshToken).not.toBe(out.session.refreshToken);
    await expect(oauth2Provider.refresh(ctxFor(io.signal), out.session)).rejects.toMatchObject({ code: 'refresh_rejected' });
    const fresh = await (async () => {
      const again = deferred<string>();
      const io2 = userIO((n) => n.kind === 'open-url' && again.resolve(n.url));
      const r = oauth2Provider.signInWith('browser', ctxFor(io2.signal), io2);
      await completeInteraction(peer.issuer, await again.promise, 'alice');
      return (await r).session;
    })();
    expect(await oauth2Provider.signOut(ctxFor(io.signal), fresh)).toBeUndefined();
    // Revoked at the server: its refresh token no longer renews.
    await expect(oauth2Provider.refresh(ctxFor(io.signal), fresh)).rejects.toMatchObject({ code: 'refresh_rejected' });
  });

  it('device code at the given device authorization endpoint; with the openid scope and the userinfo endpoint, the user is named', async () => {
    const shown = deferred<Extract<FlowNotice, { kind: 'device-code' }>>();
    const io = userIO((n) => n.kind === 'device-code' && shown.resolve(n));
    const settings = { ...endpoints(), userinfoEndpoint: `${peer.issuer}/me`, clientId: PUBLIC_CLIENT, scope: 'openid email profile' };
    const run = oauth2Provider.signInWith('device', ctxFor(io.signal, settings), io);
    const notice = await shown.promise;
    await approveDeviceCode(peer, notice.verificationUrl, 'carol');
    const out = await run;
    expect(out.session).toMatchObject({ provider: 'oauth2', profile: { userId: 'carol', email: 'carol@example.test', displayName: 'User carol' } });
    expect(out.session.refreshToken).toBeTruthy();
  });

  it('client credentials at the given token endpoint: the client is the identity, renewed by the same grant', async () => {
    const io = userIO(() => undefined);
    const ctx = ctxFor(io.signal, { tokenEndpoint: `${peer.issuer}/token`, clientId: MACHINE_CLIENT }, { clientSecret: MACHINE_SECRET });
    const out = await oauth2Provider.signInWith('client-credentials', ctx, io);
    expect(out.session).toMatchObject({ provider: 'oauth2', renewsBy: 'client-credentials', profile: { userId: MACHINE_CLIENT } });
    const renewed = await oauth2Provider.renewWithoutUser!(ctx, out.session);
    expect(renewed.accessToken).not.toBe(out.session.accessToken);
    // No revocation endpoint given: sign-out says the token lives on at the server.
    expect(await oauth2Provider.signOut(ctx, renewed)).toMatchObject({ note: expect.stringMatching(/no revocation endpoint .*stays valid at the provider until it expires/) });
  });

  it('a wrong secret is refused naming the kind configured (OAuth 2.0, not OpenID), the secret never in the message', async () => {
    const io = userIO(() => undefined);
    const run = oauth2Provider.signInWith('client-credentials', ctxFor(io.signal, { tokenEndpoint: `${peer.issuer}/token`, clientId: MACHINE_CLIENT }, { clientSecret: 'wrong-secret-xyz' }), io);
    await expect(run).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(run).rejects.toThrow(/^The OAuth 2\.0 server refused the client credentials \(invalid_client/);
    await expect(run).rejects.not.toThrow(/wrong-secret-xyz|OpenID/);
  });

  it('a method whose endpoint is not given says so, naming the flag that gives it; nothing is requested', async () => {
    const io = userIO(() => {
      throw new Error('nothing should be shown');
    });
    const only = { tokenEndpoint: `${peer.issuer}/token`, clientId: PUBLIC_CLIENT };
    await expect(oauth2Provider.signInWith('browser', ctxFor(io.signal, only), io)).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/no authorization endpoint, so no browser sign-in: set it \(env edit --authorization-endpoint URL\)/),
    });
    await expect(oauth2Provider.signInWith('device', ctxFor(io.signal, only), io)).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/no device authorization endpoint, so no device code sign-in/),
    });
    await expect(oauth2Provider.signInWith('client-credentials', ctxFor(io.signal, { clientId: MACHINE_CLIENT }, { clientSecret: MACHINE_SECRET }), io)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/no token endpoint: set it \(env edit --token-endpoint URL\)/),
    });
  });
});

const { newHome } = cliFixture();

describe('tokendesk env add --provider oauth2', () => {
  it('takes the endpoints as flags and signs a machine client in; a bad endpoint URL is refused naming the field, nothing added', async () => {
    const h = newHome();
    const bad = await h.runInProcess(['env', 'add', 'api', '--provider', 'oauth2', '--url', 'https://api.example.test', '--token-endpoint', `${peer.issuer}/token`, '--authorization-endpoint', 'http://login.example.test/auth', '--client-id', PUBLIC_CLIENT]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/authorization endpoint: it must use https:\/\/ \(plain http only on this machine\), not http:\/\/login\.example\.test/i);
    const notUrl = await h.runInProcess(['env', 'add', 'api', '--provider', 'oauth2', '--url', 'https://api.example.test', '--token-endpoint', 'token', '--client-id', PUBLIC_CLIENT]);
    expect(notUrl.code).not.toBe(0);
    expect(notUrl.stderr).toMatch(/token endpoint: not a valid URL/i);
    expect((await h.runInProcess(['env', 'list', '--json'])).stdout).not.toContain('"api"');
    const add = await h.runInProcess(['env', 'add', 'svc', '--provider', 'oauth2', '--url', 'https://api.example.test', '--token-endpoint', `${peer.issuer}/token`, '--client-id', MACHINE_CLIENT, '--client-secret', '-'], { input: `${MACHINE_SECRET}\n` });
    expect(add.code, add.stderr).toBe(0);
    // Only the token endpoint given: client credentials is the one method offered, so the default.
    const show = await h.runInProcess(['env', 'show', 'svc', '--json']);
    expect(JSON.parse(show.stdout).signInMethods.map((m: { id: string }) => m.id)).toEqual(['client-credentials']);
    const login = await h.runInProcess(['login', '--env', 'svc']);
    expect(login.code, login.stderr).toBe(0);
    const browser = await h.runInProcess(['login', '--env', 'svc', '--method', 'browser']);
    expect(browser.code).not.toBe(0);
    expect(browser.stderr).toMatch(/has no sign-in method "browser" \(browser needs the authorization endpoint: set it with env edit --authorization-endpoint\); its methods: client-credentials/);
    const device = await h.runInProcess(['login', '--env', 'svc', '--device']);
    expect(device.stderr).toMatch(/has no device sign-in \(device needs the device authorization endpoint: set it with env edit --device-authorization-endpoint\)/);
    // Given later, the browser method is offered first again.
    expect((await h.runInProcess(['env', 'edit', 'svc', '--authorization-endpoint', `${peer.issuer}/auth`])).code).toBe(0);
    expect(JSON.parse((await h.runInProcess(['env', 'show', 'svc', '--json'])).stdout).signInMethods[0].id).toBe('browser');
  });
});
