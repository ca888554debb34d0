import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { identityView } from '../../src-main/core/app/state-view.js';
import { openCore } from '../../src-main/core/open.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { RefreshScheduler } from '../../src-main/core/sessions/scheduler.js';
import { decodeSession } from '../../src-main/core/sessions/session-codec.js';
import { cliFixture } from '../helpers/cli.js';
import { makeHome } from '../helpers/home.js';
import { completeInteraction, PUBLIC_CLIENT, startOidcPeer, type OidcPeer } from '../helpers/oidc-peer.js';

/**
 * Issue 21: who signed in (ID token and userinfo: sub, email, name, picture), the scopes granted, the
 * ID token kept in the vault and exported, and a refresh token with an end of its own (Keycloak's
 * refresh_expires_in) announced before it comes. The peer is oidc-provider on 127.0.0.1.
 */
let peer: OidcPeer;
let keycloakLike: OidcPeer;
const REFRESH_LIFETIME_S = 1800;
beforeAll(async () => {
  [peer, keycloakLike] = await Promise.all([startOidcPeer(), startOidcPeer({ refreshExpiresIn: REFRESH_LIFETIME_S })]);
});
afterAll(() => Promise.all([peer.close(), keycloakLike.close()]));

const homes: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of homes.splice(0)) await c();
});

async function signedIn(issuer: string, login: string) {
  const home = makeHome('tokendesk-oidc-id-');
  homes.push(home.cleanup);
  let offset = 0;
  const now = () => Date.now() + offset;
  const core = openCore({ home: home.dir, now });
  await core.envs.add({ name: 'idp', provider: 'oidc', baseUrl: issuer, settings: { clientId: PUBLIC_CLIENT } });
  const step = await core.sessions.beginSignIn('idp', 'browser');
  if (step.kind !== 'open-url') throw new Error(`expected open-url, got ${step.kind}`);
  const [, done] = await Promise.all([completeInteraction(issuer, step.url, login), core.sessions.continueSignIn(step.flowId)]);
  if (done.kind !== 'done') throw new Error(`expected done, got ${done.kind}`);
  const identity = done.result;
  const stored = async () => (await core.sessions.readSession(identity.id))!;
  return { core, identity, stored, now, later: (ms: number) => (offset = ms), dir: home.dir };
}

describe('the identity of an OpenID Connect sign-in', () => {
  it('sub, email, name and picture from the ID token and userinfo; the scopes granted; the ID token in the vault, never in the profile file', async () => {
    const { core, identity, stored, now, dir } = await signedIn(peer.issuer, 'quinn');
    const s = await stored();
    expect(s.profile).toMatchObject({ userId: 'quinn', email: 'quinn@example.test', displayName: 'User quinn', picture: 'https://avatars.example.test/quinn.png' });
    // The scopes granted, not those asked: offline_access was asked, and oidc-provider grants it only with prompt=consent.
    expect(s.profile.scopes).toEqual(['openid', 'profile', 'email']);
    expect(s.idToken).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    // The vault holds it with the other tokens: the raw vault entry, not only the decoded session.
    expect(decodeSession(await core.secrets.get(secretKeys.session(identity.id)))?.idToken).toBe(s.idToken);
    const view = identityView(identity, s, true, { now: now(), marginSeconds: 60, refreshing: false, provider: 'oidc' });
    expect(view.profile).toMatchObject({ picture: 'https://avatars.example.test/quinn.png', hasIdToken: true, scopes: ['openid', 'profile', 'email'] });
    expect(JSON.stringify(view)).not.toContain(s.idToken!);
    const profileFiles = readdirSync(join(dir, 'profiles')).map((f) => readFileSync(join(dir, 'profiles', f), 'utf8'));
    expect(profileFiles.join('\n')).toContain('avatars.example.test/quinn.png');
    expect(profileFiles.join('\n')).not.toContain(s.idToken!);
  });

  it('a renewal stores the ID token it sends, and the profile keeps the picture', async () => {
    const { core, stored, later } = await signedIn(peer.issuer, 'rita');
    const first = await stored();
    later(3600_000 - 30_000);
    // The peer signs with its own (real) clock, in whole seconds: an ID token issued in the same second
    // as the first is the same string, and the test could not tell a stored new one from the old.
    await new Promise((r) => setTimeout(r, 1100));
    await core.sessions.getFreshToken('idp');
    const second = await stored();
    expect(second.accessToken).not.toBe(first.accessToken);
    // oidc-provider sends a new ID token with each refresh of an openid grant.
    expect(second.idToken).toMatch(/^eyJ/);
    expect(second.idToken).not.toBe(first.idToken);
    expect(second.profile.picture).toBe('https://avatars.example.test/rita.png');
  });
});

describe('a refresh token with an end of its own (refresh_expires_in)', () => {
  it('is kept; the view and the scheduler warn before it ends, though the session renews itself', async () => {
    const { core, identity, stored, now, later } = await signedIn(keycloakLike.issuer, 'sam');
    const s = await stored();
    expect(s.refreshExpiresAt! - s.obtainedAt).toBeGreaterThanOrEqual((REFRESH_LIFETIME_S - 2) * 1000);
    expect(s.refreshExpiresAt! - s.obtainedAt).toBeLessThanOrEqual(REFRESH_LIFETIME_S * 1000);
    const view = identityView(identity, s, true, { now: now(), marginSeconds: 60, refreshing: false, provider: 'oidc' });
    expect(view).toMatchObject({ canRenew: true, refreshExpiresAt: s.refreshExpiresAt, endWarningAt: s.refreshExpiresAt! - 10 * 60_000 });
    const expiring: Array<[string, number]> = [];
    const events = { refreshing: () => undefined, expiring: (id: string, _env: string, at: number) => expiring.push([id, at]), changed: () => undefined };
    const scheduler = new RefreshScheduler({ sessions: core.sessions, secrets: core.secrets, readConfig: () => core.config.read(), events, now });
    await scheduler.tick('due');
    expect(expiring).toEqual([]);
    // 25 of its 30 minutes gone: the access token (1 h) is not due, the refresh token's end is 5 min away.
    later((REFRESH_LIFETIME_S - 300) * 1000);
    await scheduler.tick('due');
    await scheduler.tick('due');
    expect(expiring).toEqual([[identity.id, s.refreshExpiresAt]]);
  });
});

const { newHome } = cliFixture();

describe('tokendesk status and export for an OpenID Connect identity', () => {
  it('status shows the scopes and the picture; a Postman export carries access_token, refresh_token and id_token, typed secret', async () => {
    const h = newHome();
    expect((await h.runInProcess(['env', 'add', 'idp', '--provider', 'oidc', '--url', peer.issuer, '--client-id', PUBLIC_CLIENT])).code).toBe(0);
    const login = h.runInProcess(['login', '--env', 'idp', '--method', 'browser']);
    let url: string | undefined;
    for (let i = 0; i < 400 && !url; i++) {
      url = h.openedUrls()[0];
      if (!url) await new Promise((r) => setTimeout(r, i < 50 ? 1 : 20));
    }
    await completeInteraction(peer.issuer, url!, 'tara');
    expect((await login).code).toBe(0);
    const status = await h.runInProcess(['status']);
    expect(status.stdout).toMatch(/scopes:\s+openid, profile, email/);
    const json = JSON.parse((await h.runInProcess(['status', '--json'])).stdout) as { environments: Array<{ identities: Array<Record<string, unknown>> }> };
    expect(json.environments[0]!.identities[0]).toMatchObject({ picture: 'https://avatars.example.test/tara.png', scopes: ['openid', 'profile', 'email'] });
    const out = await h.runInProcess(['export', '--env', 'idp', '--format', 'postman', '--refresh-token']);
    expect(out.code, out.stderr).toBe(0);
    const values = (JSON.parse(out.stdout) as { values: Array<{ key: string; value: string; type: string }> }).values;
    const byKey = Object.fromEntries(values.map((v) => [v.key, v]));
    for (const key of ['access_token', 'refresh_token', 'id_token']) {
      expect(byKey[key], key).toMatchObject({ type: 'secret' });
      expect(byKey[key]!.value.length, key).toBeGreaterThan(10);
    }
    expect(byKey.id_token!.value).toMatch(/^eyJ/);
    expect(status.stdout + JSON.stringify(json)).not.toContain(byKey.id_token!.value);
  });
});
