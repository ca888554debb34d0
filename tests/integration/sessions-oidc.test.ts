import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../src-main/core/open.js';
import { oidcProvider } from '../../src-main/core/providers/oidc/index.js';
import { createHttpClient } from '../../src-main/core/http/client.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { decodeSession } from '../../src-main/core/sessions/session-codec.js';
import { cliFixture } from '../helpers/cli.js';
import { makeHome } from '../helpers/home.js';
import { approveDeviceCode, completeInteraction, MACHINE_CLIENT, MACHINE_SECRET, PUBLIC_CLIENT, startOidcPeer, type OidcPeer } from '../helpers/oidc-peer.js';
import { RefreshScheduler } from '../../src-main/core/sessions/scheduler.js';
import { identityView } from '../../src-main/core/app/state-view.js';
import { movableClock } from '../helpers/clock.js';

/**
 * The OpenID Connect kind (issue 21) through the core and the CLI: a browser sign-in stored in the vault,
 * renewed with a rotated refresh token, and a refresh token another tool already spent ending the
 * session in plain words. The peer is oidc-provider on 127.0.0.1 (tests/helpers/oidc-peer.ts).
 */
let peer: OidcPeer;
beforeAll(async () => {
  // interval 1: the CLI's device sign-in polls a second apart (RFC 8628 §3.2), not 5.
  peer = await startOidcPeer({ deviceInterval: 1 });
});
afterAll(() => peer.close());

const homes: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of homes.splice(0)) await c();
});

async function signedInCore() {
  const home = makeHome('tokendesk-oidc-');
  homes.push(home.cleanup);
  let offset = 0;
  const core = openCore({ home: home.dir, now: () => Date.now() + offset });
  await core.envs.add({ name: 'idp', provider: 'oidc', baseUrl: peer.issuer, settings: { clientId: PUBLIC_CLIENT } });
  const step = await core.sessions.beginSignIn('idp', 'browser');
  if (step.kind !== 'open-url') throw new Error(`expected open-url, got ${step.kind}`);
  const [page, done] = await Promise.all([completeInteraction(peer.issuer, step.url, 'erin'), core.sessions.continueSignIn(step.flowId)]);
  expect(page.text).toContain('You may close this tab');
  if (done.kind !== 'done') throw new Error(`expected done, got ${done.kind}`);
  const identity = done.result;
  const stored = async () => decodeSession(await core.secrets.get(secretKeys.session(identity.id)));
  return { core, identity, stored, later: (ms: number) => (offset = ms) };
}

describe('OpenID Connect sessions through the core', () => {
  it('a browser sign-in is stored; renewing ahead of expiry stores the rotated refresh token before handing out the new access token', async () => {
    const { core, identity, stored, later } = await signedInCore();
    expect(identity).toMatchObject({ email: 'erin@example.test', subject: 'erin' });
    const first = await stored();
    expect(first).toMatchObject({ provider: 'oidc' });
    expect(first!.refreshToken).toBeTruthy();
    later(3600_000 - 30_000); // inside the margin: due for renewal
    const fresh = await core.sessions.getFreshToken('idp');
    const second = await stored();
    expect(fresh.session.accessToken).not.toBe(first!.accessToken);
    expect(second!.refreshToken).not.toBe(first!.refreshToken);
    expect(second!.accessToken).toBe(fresh.session.accessToken);
  });

  it('a refresh token another tool already spent ends the session with a plain message', async () => {
    const { core, stored, later } = await signedInCore();
    const current = (await stored())!;
    // Another tool holding a copy renews first: the stored refresh token is now spent (rotation).
    await oidcProvider.refresh({ baseUrl: peer.issuer, http: createHttpClient(), now: Date.now, settings: { clientId: PUBLIC_CLIENT } }, current);
    // While the access token still lives, it is handed out with the refusal as a warning (manager.onRenewFailure).
    later(3600_000 - 30_000);
    const kept = await core.sessions.getFreshToken('idp');
    expect(kept.session.accessToken).toBe(current.accessToken);
    expect(kept.warning).toMatch(/revoked, expired or already used/);
    // Once it has expired, the session ends with the reason in plain words.
    later(3600_000 + 1000);
    const err = await core.sessions.getFreshToken('idp').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'session_expired', serverCode: 'invalid_grant' });
    expect((err as Error).message).toMatch(/ended: The OpenID Connect server refused the refresh token \(invalid_grant.*revoked, expired or already used\. Sign in again\./);
    expect((err as Error).message).not.toContain(current.refreshToken!);
    expect(await stored()).toBeUndefined();
  });
});

/** A machine client signed in with client credentials; its secret only in the vault. */
async function machineCore() {
  const home = makeHome('tokendesk-oidc-');
  homes.push(home.cleanup);
  let offset = 0;
  const now = () => Date.now() + offset;
  const core = openCore({ home: home.dir, now });
  await core.envs.add({ name: 'svc', provider: 'oidc', baseUrl: peer.issuer, settings: { clientId: MACHINE_CLIENT }, secrets: { clientSecret: MACHINE_SECRET } });
  const step = await core.sessions.beginSignIn('svc', 'client-credentials');
  if (step.kind !== 'done') throw new Error(`expected done, got ${step.kind}`);
  const identity = step.result;
  const stored = async () => decodeSession(await core.secrets.get(secretKeys.session(identity.id)));
  return { core, identity, stored, now, later: (ms: number) => (offset = ms), home: home.dir };
}

describe('OpenID Connect client credentials renew themselves', () => {
  it('a due client-credentials token is renewed by the same grant: a new token is stored and handed out, the view counts it as renewable', async () => {
    const { core, identity, stored, later, now } = await machineCore();
    const first = (await stored())!;
    expect(first).toMatchObject({ provider: 'oidc', renewsBy: 'client-credentials' });
    expect(first.refreshToken).toBeUndefined();
    expect(identityView(identity, first, true, { now: now(), marginSeconds: 60, refreshing: false, provider: 'oidc' })).toMatchObject({ renewal: 'client_credentials', canRenew: true });
    later(3600_000 - 30_000); // inside the margin
    const fresh = await core.sessions.getFreshToken('svc');
    expect(fresh.warning).toBeUndefined();
    expect(fresh.session.accessToken).not.toBe(first.accessToken);
    const second = (await core.sessions.readSession(identity.id))!;
    expect(second.accessToken).toBe(fresh.session.accessToken);
    expect(second).toMatchObject({ renewsBy: 'client-credentials', profile: { userId: MACHINE_CLIENT } });
    expect(second.expiresAt).toBeGreaterThan(first.expiresAt);
  });

  it('the background scheduler renews a due client-credentials session instead of only warning that it ends', async () => {
    const { core, stored, later, now } = await machineCore();
    const first = (await stored())!;
    const events = { refreshing: () => undefined, expiring: (id: string) => expiring.push(id), changed: () => undefined };
    const expiring: string[] = [];
    const scheduler = new RefreshScheduler({ sessions: core.sessions, secrets: core.secrets, readConfig: () => core.config.read(), events, now });
    later(3600_000 - 30_000);
    await scheduler.tick('due');
    const second = (await stored())!;
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(expiring).toEqual([]);
  });

  it('a secret the provider no longer accepts keeps the still-valid token, with the refusal as a warning', async () => {
    const { core, stored, later } = await machineCore();
    const first = (await stored())!;
    await core.envs.update('svc', { secrets: { clientSecret: 'rotated-away-secret' } });
    later(3600_000 - 30_000);
    const kept = await core.sessions.getFreshToken('svc');
    expect(kept.session.accessToken).toBe(first.accessToken);
    expect(kept.warning).toMatch(/Could not renew the session \(The OpenID Connect server refused the client credentials/);
    expect(kept.warning).not.toContain('rotated-away-secret');
  });
});

const { newHome } = cliFixture();

describe('OpenID Connect through tokendesk', () => {
  it('env add --provider oidc, login --method browser opens the authorization URL and waits for the callback; status shows the user', async () => {
    const h = newHome();
    const add = await h.runInProcess(['env', 'add', 'idp', '--provider', 'oidc', '--url', peer.issuer, '--client-id', PUBLIC_CLIENT]);
    expect(add.code, add.stderr).toBe(0);
    const login = h.runInProcess(['login', '--env', 'idp', '--method', 'browser']);
    // The recording browser (tests/helpers/cli.ts) notes the URL the CLI opened; bounded wait for it.
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = h.openedUrls()[0];
      if (!url) await new Promise((r) => setImmediate(r));
      if (!url && i > 100) await new Promise((r) => setTimeout(r, 20));
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\?/);
    await completeInteraction(peer.issuer, url!, 'frank');
    const r = await login;
    expect(r.code, r.stderr).toBe(0);
    const status = await h.runInProcess(['status', '--json']);
    const env = (JSON.parse(status.stdout) as { environments: Array<{ name: string; identities: Array<Record<string, unknown>> }> }).environments.find((e) => e.name === 'idp')!;
    expect(env.identities[0]).toMatchObject({ signedIn: true, email: 'frank@example.test', renewal: 'refresh-token' });
  });
});

type Home = ReturnType<typeof newHome>;

/** The first URL the CLI opened in the recording browser (tests/helpers/cli.ts); a bounded wait. */
async function openedUrl(h: Home): Promise<string | undefined> {
  let url: string | undefined;
  for (let i = 0; i < 400 && !url; i++) {
    url = h.openedUrls()[0];
    if (!url) await new Promise((r) => setTimeout(r, i < 50 ? 1 : 20));
  }
  return url;
}

function identitiesOf(statusJson: string, envName: string): Array<Record<string, unknown>> {
  return (JSON.parse(statusJson) as { environments: Array<{ name: string; identities: Array<Record<string, unknown>> }> }).environments.find((e) => e.name === envName)!.identities;
}

describe('tokendesk login --device / --client-credentials, env add --client-secret-stdin', () => {
  it('env add --client-secret-stdin keeps the piped secret in the vault; login --client-credentials signs the machine in; status says it renews by client credentials', async () => {
    const h = newHome();
    const add = await h.runInProcess(['env', 'add', 'svc', '--provider', 'oidc', '--url', peer.issuer, '--client-id', MACHINE_CLIENT, '--client-secret-stdin'], { input: `${MACHINE_SECRET}\n` });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout + add.stderr).not.toContain(MACHINE_SECRET);
    const login = await h.runInProcess(['login', '--env', 'svc', '--client-credentials']);
    expect(login.code, login.stderr).toBe(0);
    const status = await h.runInProcess(['status', '--json']);
    expect(identitiesOf(status.stdout, 'svc')[0]).toMatchObject({ signedIn: true, renewal: 'client-credentials' });
    expect(status.stdout).not.toContain(MACHINE_SECRET);
  });

  it('env edit --client-secret-stdin replaces the secret: a wrong one is refused at the next login, and never echoed', async () => {
    const h = newHome();
    expect((await h.runInProcess(['env', 'add', 'svc', '--provider', 'oidc', '--url', peer.issuer, '--client-id', MACHINE_CLIENT, '--client-secret-stdin'], { input: `${MACHINE_SECRET}\n` })).code).toBe(0);
    const edit = await h.runInProcess(['env', 'edit', 'svc', '--client-secret-stdin'], { input: 'not-the-secret-42\n' });
    expect(edit.code, edit.stderr).toBe(0);
    const login = await h.runInProcess(['login', '--env', 'svc', '--client-credentials']);
    expect(login.code).not.toBe(0);
    expect(login.stderr).toMatch(/refused the client credentials/);
    expect(login.stderr).not.toContain('not-the-secret-42');
    const both = await h.runInProcess(['env', 'edit', 'svc', '--client-secret-stdin', '--client-secret', '-'], { input: 'x\n' });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--client-secret-stdin and --client-secret cannot be used together/);
  });

  it('login --device shows the user code on stderr, opens the verification page, and signs in once it is approved', async () => {
    const h = newHome();
    expect((await h.runInProcess(['env', 'add', 'idp', '--provider', 'oidc', '--url', peer.issuer, '--client-id', PUBLIC_CLIENT])).code).toBe(0);
    const login = h.runInProcess(['login', '--env', 'idp', '--device']);
    const url = await openedUrl(h);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/device/);
    await approveDeviceCode(peer, url!, 'gina');
    const r = await login;
    expect(r.code, r.stderr).toBe(0);
    // verification_uri_complete carries the code (RFC 8628 §3.3.1); the CLI shows it on stderr too.
    const code = new URL(url!).searchParams.get('user_code');
    expect(code).toBeTruthy();
    expect(r.stderr).toContain(code!);
    const status = await h.runInProcess(['status', '--json']);
    expect(identitiesOf(status.stdout, 'idp')[0]).toMatchObject({ signedIn: true, email: 'gina@example.test', renewal: 'refresh-token' });
  });

  it('--device where the environment has no device sign-in, or with another --method: a usage error that says why', async () => {
    const h = newHome();
    expect((await h.runInProcess(['env', 'add', 'pat', '--provider', 'bearer', '--url', 'https://api.example.test'])).code).toBe(0);
    const none = await h.runInProcess(['login', '--env', 'pat', '--device']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--device does not apply: "pat" \(Pasted token\) has no device sign-in; its methods: /);
    const cc = await h.runInProcess(['login', '--env', 'pat', '--client-credentials']);
    expect(cc.code).toBe(2);
    expect(cc.stderr).toMatch(/--client-credentials does not apply/);
    expect((await h.runInProcess(['env', 'add', 'idp', '--provider', 'oidc', '--url', peer.issuer, '--client-id', PUBLIC_CLIENT])).code).toBe(0);
    const clash = await h.runInProcess(['login', '--env', 'idp', '--device', '--method', 'browser']);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/--device means --method device: it cannot be used with --method browser/);
    expect(h.openedUrls()).toEqual([]);
  });
});

describe('tokendesk token --min-valid', () => {
  it('renews first when less is left (the spawned binary, so the fast path steps aside), fails plainly when no token lasts that long', async () => {
    const h = newHome();
    const clock = movableClock(-40 * 60_000); // signed in 40 minutes ago: 20 of its 60 minutes are left
    expect((await h.runInProcess(['env', 'add', 'svc', '--provider', 'oidc', '--url', peer.issuer, '--client-id', MACHINE_CLIENT, '--client-secret-stdin'], { input: `${MACHINE_SECRET}\n` })).code).toBe(0);
    expect((await h.runInProcess(['login', '--env', 'svc', '--client-credentials'], { now: clock.now })).code).toBe(0);
    const plain = await h.run(['token', '--env', 'svc']);
    expect(plain.code, plain.stderr).toBe(0);
    const enough = await h.run(['token', '--env', 'svc', '--min-valid', '10m']);
    expect(enough.stdout).toBe(plain.stdout); // 20 min left: nothing to do
    const renewed = await h.run(['token', '--env', 'svc', '--min-valid', '30m']);
    expect(renewed.code, renewed.stderr).toBe(0);
    expect(renewed.stdout.trim()).not.toBe(plain.stdout.trim());
    expect((await h.run(['token', '--env', 'svc'])).stdout).toBe(renewed.stdout); // stored, not only handed out
    const tooLong = await h.run(['token', '--env', 'svc', '--min-valid', '2h']);
    expect(tooLong.code).not.toBe(0);
    expect(tooLong.stdout).toBe('');
    expect(tooLong.stderr).toMatch(/less than the 7200 s asked/);
    const bad = await h.run(['token', '--env', 'svc', '--min-valid', '10 minutes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--min-valid takes a duration such as 90s, 10m or 1h/);
  });
});
