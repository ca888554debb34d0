import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FlowNotice } from '../../src-main/core/flows/types.js';
import { createHttpClient } from '../../src-main/core/http/client.js';
import { withSignal } from '../../src-main/core/http/with-signal.js';
import { openCore } from '../../src-main/core/open.js';
import { oidcProvider } from '../../src-main/core/providers/oidc/index.js';
import type { ProviderContext } from '../../src-main/core/providers/types.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { decodeSession } from '../../src-main/core/sessions/session-codec.js';
import { deferred } from '../helpers/deferred.js';
import { freePort } from '../helpers/free-port.js';
import { makeHome } from '../helpers/home.js';
import {
  BASIC_CLIENT,
  completeInteraction,
  CONFIDENTIAL_SECRET,
  JWT_CLIENT,
  JWT_CLIENT_KEY_PEM,
  POST_CLIENT,
  PUBLIC_CLIENT,
  startOidcPeer,
  type OidcPeer,
} from '../helpers/oidc-peer.js';
import { userIO } from '../helpers/scripted-flow.js';

/**
 * Issue 21's protocol gaps against oidc-provider (a certified OpenID Provider) on 127.0.0.1: every
 * client authentication method, a fixed redirect port, denied consent, and sign-out revoking the
 * refresh token (RFC 7009) — or saying plainly that the provider cannot.
 */
let peer: OidcPeer;
let bare: OidcPeer;
beforeAll(async () => {
  [peer, bare] = await Promise.all([startOidcPeer(), startOidcPeer({ revocation: false })]);
});
afterAll(() => Promise.all([peer.close(), bare.close()]));

const http = createHttpClient();

function ctxFor(signal: AbortSignal, settings: Record<string, string>, secrets: Record<string, string> = {}, issuer = peer.issuer): ProviderContext {
  return { baseUrl: issuer, http: withSignal(http, signal), now: Date.now, settings, secrets, signal };
}

/** A browser sign-in as `login` with these settings and secrets; `action: 'abort'` refuses at the provider's page. */
async function browserSignIn(login: string, settings: Record<string, string>, secrets: Record<string, string> = {}, action: 'approve' | 'abort' = 'approve') {
  const opened = deferred<Extract<FlowNotice, { kind: 'open-url' }>>();
  const io = userIO((n) => n.kind === 'open-url' && opened.resolve(n));
  const run = oidcProvider.signInWith('browser', ctxFor(io.signal, settings, secrets), io);
  run.catch(() => undefined);
  const notice = await Promise.race([opened.promise, run.then(() => undefined, () => undefined)]);
  if (!notice) return { run, notice };
  const page = await completeInteraction(peer.issuer, notice.url, login, undefined, action);
  return { run, notice, page };
}

describe('client authentication methods (RFC 6749 §2.3, OIDC Core §9)', () => {
  const cases: Array<[string, Record<string, string>, Record<string, string>]> = [
    ['none (a public client with PKCE)', { clientId: PUBLIC_CLIENT }, {}],
    ['client_secret_basic (the default with a secret)', { clientId: BASIC_CLIENT }, { clientSecret: CONFIDENTIAL_SECRET }],
    ['client_secret_post', { clientId: POST_CLIENT, clientAuth: 'client_secret_post' }, { clientSecret: CONFIDENTIAL_SECRET }],
    ['private_key_jwt (the default with a key)', { clientId: JWT_CLIENT }, { privateKey: JWT_CLIENT_KEY_PEM }],
  ];
  for (const [name, settings, secrets] of cases) {
    it(`${name}: a browser sign-in ends with the user's session and a refresh token, which renews`, async () => {
      const { run, page } = await browserSignIn(`user-${settings.clientId}`, settings, secrets);
      expect(page?.text).toContain('You may close this tab');
      const out = await run;
      expect(out.session.profile).toMatchObject({ userId: `user-${settings.clientId}` });
      expect(out.session.refreshToken).toBeTruthy();
      // The refresh grant authenticates the same way (oidc-provider rotates only a public client's refresh token).
      const io = userIO(() => undefined);
      const renewed = await oidcProvider.refresh(ctxFor(io.signal, settings, secrets), out.session);
      expect(renewed.accessToken).not.toBe(out.session.accessToken);
      expect(renewed.refreshToken).toBeTruthy();
    });
  }

  it('the method chosen is the one sent: none for a confidential client is refused (invalid_client) though a secret is stored, the secret never quoted', async () => {
    const { run } = await browserSignIn('mallory', { clientId: BASIC_CLIENT, clientAuth: 'none' }, { clientSecret: CONFIDENTIAL_SECRET });
    await expect(run).rejects.toMatchObject({ code: 'invalid_credentials', serverCode: 'invalid_client' });
    await expect(run).rejects.not.toThrow(CONFIDENTIAL_SECRET);
  });

  it('private_key_jwt also gets client credentials, with no secret at all', async () => {
    const io = userIO(() => undefined);
    const out = await oidcProvider.signInWith('client-credentials', ctxFor(io.signal, { clientId: JWT_CLIENT, scope: 'openid' }, { privateKey: JWT_CLIENT_KEY_PEM }), io);
    expect(out.session.profile.userId).toBe(JWT_CLIENT);
    expect(out.session.refreshToken).toBeUndefined();
  });

  it('a method whose secret or key is missing, or a key that is not one, is refused before any request, said plainly', async () => {
    const io = userIO(() => undefined);
    await expect(oidcProvider.signInWith('browser', ctxFor(io.signal, { clientId: JWT_CLIENT, clientAuth: 'private_key_jwt' }), io)).rejects.toThrow(/private_key_jwt needs the private key/);
    await expect(oidcProvider.signInWith('browser', ctxFor(io.signal, { clientId: POST_CLIENT, clientAuth: 'client_secret_post' }), io)).rejects.toThrow(/client_secret_post needs the client secret/);
    const bad = oidcProvider.signInWith('browser', ctxFor(io.signal, { clientId: JWT_CLIENT }, { privateKey: '-----BEGIN PRIVATE KEY-----\nnot-a-key-4f1e\n-----END PRIVATE KEY-----' }), io);
    await expect(bad).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/not a PEM private key/) });
    await expect(bad).rejects.not.toThrow(/not-a-key-4f1e/);
  });
});

describe('the redirect port', () => {
  it('a fixed port is the one the browser comes back to, and the redirect URI is shown to register', async () => {
    const port = await freePort();
    const { run, notice } = await browserSignIn('fixed', { clientId: PUBLIC_CLIENT, redirectPort: String(port) });
    expect(new URL(notice!.url).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);
    expect(notice!.copy).toEqual({ label: 'Redirect URI to register at the provider', value: `http://127.0.0.1:${port}/callback` });
    expect(notice!.message).toContain(`http://127.0.0.1:${port}/callback`);
    expect((await run).session.profile.userId).toBe('fixed');
  });

  it('a fixed port another program holds is a specific error naming the port, before the browser is sent anywhere', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as { port: number }).port;
    try {
      const { run, notice } = await browserSignIn('busy', { clientId: PUBLIC_CLIENT, redirectPort: String(port) });
      expect(notice).toBeUndefined();
      await expect(run).rejects.toMatchObject({ code: 'port_in_use', message: expect.stringContaining(`Port ${port} on 127.0.0.1 is in use`) });
    } finally {
      holder.close();
    }
  });
});

describe('refusals at the provider', () => {
  it('denied consent (the user cancels at the provider\'s page): said plainly, no session', async () => {
    const { run } = await browserSignIn('nina', { clientId: PUBLIC_CLIENT }, {}, 'abort');
    await expect(run).rejects.toMatchObject({ code: 'invalid_credentials', serverCode: 'access_denied', message: expect.stringMatching(/denied at the provider.*nothing was stored/) });
  });
});

describe('sign-out revokes the refresh token (RFC 7009)', () => {
  const homes: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of homes.splice(0)) await c();
  });

  async function signedIn(issuer: string, login: string) {
    const home = makeHome('tokendesk-oidc-revoke-');
    homes.push(home.cleanup);
    let offset = 0;
    const core = openCore({ home: home.dir, now: () => Date.now() + offset });
    await core.envs.add({ name: 'idp', provider: 'oidc', baseUrl: issuer, settings: { clientId: PUBLIC_CLIENT } });
    const step = await core.sessions.beginSignIn('idp', 'browser');
    if (step.kind !== 'open-url') throw new Error(`expected open-url, got ${step.kind}`);
    const [, done] = await Promise.all([completeInteraction(issuer, step.url, login), core.sessions.continueSignIn(step.flowId)]);
    if (done.kind !== 'done') throw new Error(`expected done, got ${done.kind}`);
    const session = decodeSession(await core.secrets.get(secretKeys.session(done.result.id)))!;
    return { core, session, later: (ms: number) => (offset = ms) };
  }

  const refreshAt = (issuer: string, session: Parameters<typeof oidcProvider.refresh>[1]) =>
    oidcProvider.refresh({ baseUrl: issuer, http, now: Date.now, settings: { clientId: PUBLIC_CLIENT } }, session);

  it('after sign-out the provider refuses the old refresh token', async () => {
    const { core, session } = await signedIn(peer.issuer, 'oscar');
    const out = await core.sessions.signOut('idp');
    expect(out.warning).toBeUndefined();
    await expect(refreshAt(peer.issuer, session)).rejects.toMatchObject({ code: 'refresh_rejected', serverCode: 'invalid_grant' });
  });

  it('an expired access token does not stop the revocation: the refresh token outlives it', async () => {
    const { core, session, later } = await signedIn(peer.issuer, 'olga');
    later(3600_000 + 60_000);
    const out = await core.sessions.signOut('idp');
    expect(out.warning).toBeUndefined();
    await expect(refreshAt(peer.issuer, session)).rejects.toMatchObject({ code: 'refresh_rejected' });
  });

  it('a provider without revocation: the sign-out says so plainly, and the token indeed lives on there', async () => {
    const { core, session } = await signedIn(bare.issuer, 'pablo');
    const out = await core.sessions.signOut('idp');
    expect(out.warning).toMatch(/offers no token revocation .*stays valid at the provider until it expires/);
    expect((await refreshAt(bare.issuer, session)).refreshToken).toBeTruthy();
  });
});
