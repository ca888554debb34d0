import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openCore, type Core } from '../../src-main/core/open.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
const restricted = DEMO_CREDENTIALS.session.find((c) => c.email.startsWith('restricted'))!;
const superAdmin = DEMO_CREDENTIALS.session.find((c) => c.email === 'test@test.com')!;

/** Every file under the config folder, concatenated: secrets must never appear there. */
function configFolderText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out += statSync(p).isDirectory() ? configFolderText(p) : readFileSync(p, 'utf8');
  }
  return out;
}

describe('session manager against the demo server and the real keychain', () => {
  let home: ReturnType<typeof makeHome>;
  let server: DemoServer;
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  let core: Core;

  async function setup(opts: Parameters<typeof startDemoServer>[0] = {}) {
    server = await startDemoServer({ port: 0, ...opts });
    core = openCore({ home: home.dir, now, retryDeadlineMs: 1500 });
    await core.envs.add({ name: 'staging', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey, apiKey: server.apiKey });
    await core.envs.add({ name: 'session-api', provider: 'session', baseUrl: server.url });
  }

  beforeEach(() => {
    home = makeHome();
    clockOffset = 0;
  });
  afterEach(async () => {
    await server?.close();
    home.cleanup();
  });

  it('signs in to Supabase, keeps tokens in the keychain only, and hands out the stored token while fresh', async () => {
    await setup();
    const identity = await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    expect(identity.displayName).toBeTruthy();
    const fresh = await core.sessions.getFreshToken('staging');
    expect(fresh.session.profile.claims?.email).toBe(owner.email);
    expect(fresh.session.refreshToken).toBeTruthy();
    expect(server.stats.refreshGrants).toBe(0);
    const files = configFolderText(home.dir);
    expect(files).toContain(owner.email);
    expect(files).not.toContain(fresh.session.accessToken);
    expect(files).not.toContain(fresh.session.refreshToken!);
    expect(files).not.toContain(server.anonKey);
  });

  it('refreshes inside the margin, stores the rotated refresh token, and N concurrent callers cause one refresh', async () => {
    await setup();
    await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    const before = await core.sessions.getFreshToken('staging');
    clockOffset = 3600_000 - 60_000; // one minute before expiry: inside the 120 s margin
    const results = await Promise.all(Array.from({ length: 10 }, () => core.sessions.getFreshToken('staging')));
    expect(server.stats.refreshGrants).toBe(1);
    const tokens = new Set(results.map((r) => r.session.accessToken));
    expect(tokens.size).toBe(1);
    expect(results[0]!.session.refreshToken).not.toBe(before.session.refreshToken);
    const stored = JSON.parse((await core.secrets.get(secretKeys.session(results[0]!.identity.id)))!);
    expect(stored.refreshToken).toBe(results[0]!.session.refreshToken);
    // Handed out with at least the margin left (local clock).
    expect(results[0]!.session.expiresAt - now()).toBeGreaterThan(120_000);
  });

  it('two cores (as two processes) on one config folder refresh once: the second re-reads the keychain', async () => {
    await setup();
    await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    const other = openCore({ home: home.dir, now, retryDeadlineMs: 1500 });
    clockOffset = 3600_000 - 30_000;
    const [a, b] = await Promise.all([core.sessions.getFreshToken('staging'), other.sessions.getFreshToken('staging')]);
    expect(server.stats.refreshGrants).toBe(1);
    expect(a.session.accessToken).toBe(b.session.accessToken);
  });

  it('scales the margin down for short-lived tokens instead of refreshing on every use', async () => {
    await setup({ accessTokenTtlSeconds: 30 });
    await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    for (let i = 0; i < 5; i++) await core.sessions.getFreshToken('staging');
    expect(server.stats.refreshGrants).toBe(0);
    clockOffset = 24_000; // 6 s left of 30: inside a quarter of the lifetime
    await core.sessions.getFreshToken('staging');
    expect(server.stats.refreshGrants).toBe(1);
  });

  it('computes expiry from the local clock, so a server clock two hours ahead does no harm', async () => {
    await setup({ clockSkewSeconds: 7200 });
    await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    await core.sessions.signIn('session-api', { email: superAdmin.email, password: superAdmin.password });
    const s = await core.sessions.getFreshToken('staging');
    expect(Math.abs(s.session.expiresAt - Date.now() - 3600_000)).toBeLessThan(5_000);
    const t = await core.sessions.getFreshToken('session-api');
    expect(Math.abs(t.session.expiresAt - Date.now() - 8 * 3600_000)).toBeLessThan(5_000);
    expect(server.stats.refreshGrants + server.stats.sessionLogins).toBe(1);
  });

  it('keeps a still-valid token when the refresh fails for a network reason, and changes nothing stored', async () => {
    await setup();
    await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    const identityId = (await core.config.read()).identities[0]!.id;
    const storedBefore = await core.secrets.get(secretKeys.session(identityId));
    await server.close();
    clockOffset = 3600_000 - 60_000;
    const fresh = await core.sessions.getFreshToken('staging');
    expect(fresh.warning).toMatch(/still valid/);
    expect(await core.secrets.get(secretKeys.session(identityId))).toBe(storedBefore);
    // Once expired with the server still down, the error names the cause and the session is kept.
    clockOffset = 3600_000 + 1000;
    const err = await rejection(core.sessions.getFreshToken('staging'), 'network_refused');
    expect(err.retryable).toBe(true);
    expect(await core.secrets.get(secretKeys.session(identityId))).toBe(storedBefore);
  });

  it('ends the session with a clear reason when the server rejects the refresh token after expiry', async () => {
    await setup();
    await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    const fresh = await core.sessions.getFreshToken('staging');
    // Sign out everywhere from "another device": the refresh token is gone server-side.
    await fetch(`${server.url}/auth/v1/logout?scope=global`, {
      method: 'POST',
      headers: { apikey: server.anonKey, Authorization: `Bearer ${fresh.session.accessToken}` },
    });
    clockOffset = 3600_000 - 60_000;
    const stillValid = await core.sessions.getFreshToken('staging');
    expect(stillValid.warning).toMatch(/Could not renew/);
    expect(stillValid.session.accessToken).toBe(fresh.session.accessToken);
    clockOffset = 3600_000 + 1000;
    const err = await rejection(core.sessions.getFreshToken('staging'), 'session_expired');
    expect(err.message).toMatch(/Sign in again/);
    expect(err.message).not.toContain(fresh.session.refreshToken!);
    expect(await core.sessions.readSession(fresh.identity.id)).toBeUndefined();
    const identity = (await core.config.read()).identities[0]!;
    expect(identity.lastError?.code).toBe('refresh_rejected');
  });

  it('renews a session-API session by signing in again only with a remembered password', async () => {
    await setup({ sessionTtlSeconds: 600 });
    await core.sessions.signIn('session-api', { email: restricted.email, password: restricted.password, remember: true });
    await core.sessions.signIn('session-api', { email: superAdmin.email, password: superAdmin.password });
    expect(server.stats.sessionLogins).toBe(2);
    clockOffset = 600_000 - 60_000;
    const renewed = await core.sessions.getFreshToken('session-api', restricted.email);
    expect(server.stats.sessionLogins).toBe(3);
    expect(renewed.warning).toBeUndefined();
    const notRenewable = await core.sessions.getFreshToken('session-api', superAdmin.email);
    expect(notRenewable.warning).toMatch(/cannot be renewed without a remembered password/);
    clockOffset = 600_000 + 1000;
    const err = await rejection(core.sessions.getFreshToken('session-api', superAdmin.email), 'session_expired');
    expect(err.message).toMatch(/remember password/);
    expect(configFolderText(home.dir)).not.toContain(restricted.password);
  });

  it('switches identity and tenant account, and rejects an account the user does not have', async () => {
    await setup();
    await core.sessions.signIn('session-api', { email: restricted.email, password: restricted.password });
    await core.sessions.signIn('session-api', { email: superAdmin.email, password: superAdmin.password });
    expect((await core.sessions.getFreshToken('session-api')).identity.email).toBe(superAdmin.email);
    await core.sessions.switchIdentity('session-api', restricted.email);
    const active = await core.sessions.getFreshToken('session-api');
    expect(active.identity.email).toBe(restricted.email);
    const accounts = active.session.profile.accounts;
    expect(accounts.length).toBeGreaterThan(1);
    const secondary = accounts.find((a) => !a.primary)!;
    await core.sessions.setActiveAccount('session-api', secondary.id);
    expect((await core.sessions.getFreshToken('session-api')).identity.activeAccountId).toBe(secondary.id);
    const before = readFileSync(core.config.path, 'utf8');
    await rejection(core.sessions.setActiveAccount('session-api', '999999'), 'not_found');
    expect(readFileSync(core.config.path, 'utf8')).toBe(before);
  });

  it('signing in again keeps each identity in its place; one already active and unchanged leaves the configuration file as it was', async () => {
    await setup();
    await core.sessions.signIn('session-api', { email: restricted.email, password: restricted.password });
    await core.sessions.signIn('session-api', { email: superAdmin.email, password: superAdmin.password });
    const order = async () => (await core.config.read()).identities.map((i) => i.email);
    expect(await order()).toEqual([restricted.email, superAdmin.email]);

    // The first identity again: it becomes the active one and stays first in the lists (it used to move last).
    await core.sessions.signIn('session-api', { email: restricted.email, password: restricted.password });
    expect(await order()).toEqual([restricted.email, superAdmin.email]);
    expect((await core.sessions.getFreshToken('session-api')).identity.email).toBe(restricted.email);

    // Once more: nothing in the configuration changes, so it is not even locked and re-read (the
    // store would find equal bytes and skip the write only after both), and the file stays as it was.
    const before = statSync(core.config.path, { bigint: true });
    const token = (await core.sessions.getFreshToken('session-api')).session.accessToken;
    const update = vi.spyOn(core.config, 'update');
    await core.sessions.signIn('session-api', { email: restricted.email, password: restricted.password });
    expect(update).not.toHaveBeenCalled();
    update.mockRestore();
    const after = statSync(core.config.path, { bigint: true });
    expect([after.ino, after.mtimeNs]).toEqual([before.ino, before.mtimeNs]);
    // ...while the new session itself is stored.
    expect((await core.sessions.getFreshToken('session-api')).session.accessToken).not.toBe(token);
  });

  it('a wrong password changes nothing stored and says why', async () => {
    await setup();
    await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    const before = readFileSync(core.config.path, 'utf8');
    const all = await core.secrets.loadAll();
    const err = await rejection(core.sessions.signIn('staging', { email: owner.email, password: 'wrong-password' }), 'invalid_credentials');
    expect(err.message).toBe('Invalid login credentials');
    expect(readFileSync(core.config.path, 'utf8')).toBe(before);
    expect(await core.secrets.loadAll()).toEqual(all);
  });

  it('signs out this session only (scope=local): another session of the same user keeps working', async () => {
    await setup();
    const otherLogin = await fetch(`${server.url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: server.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: owner.email, password: owner.password }),
    });
    const browserSession = (await otherLogin.json()) as { access_token: string };
    await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    await core.sessions.signOut('staging');
    await rejection(core.sessions.getFreshToken('staging'), 'not_signed_in');
    const user = await fetch(`${server.url}/auth/v1/user`, {
      headers: { apikey: server.anonKey, Authorization: `Bearer ${browserSession.access_token}` },
    });
    expect(user.status).toBe(200);
  });

  it('removing an environment deletes its secrets from the keychain', async () => {
    await setup();
    await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    expect((await core.secrets.loadAll()).size).toBeGreaterThan(0);
    await core.envs.remove('staging');
    const left = [...(await core.secrets.loadAll()).keys()];
    expect(left.every((k) => !k.includes('/anon_key') && !k.includes('/api_key') && !k.startsWith('identity/'))).toBe(true);
  });

  it('a sign-out during a renewal in flight wins: the renewed session is not written back', async () => {
    await setup({ latencyMs: 150 });
    await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    const identityId = (await core.config.read()).identities[0]!.id;
    clockOffset = 3600_000 - 60_000;
    const renewal = core.sessions.getFreshToken('staging');
    await new Promise((r) => setTimeout(r, 20)); // kept: the renewal is then in flight, inside the server's real 150 ms latency
    await core.sessions.signOut('staging');
    await renewal;
    expect(server.stats.refreshGrants).toBe(1);
    expect(await core.sessions.readSession(identityId)).toBeUndefined();
    await rejection(core.sessions.getFreshToken('staging'), 'not_signed_in');
  });

  it('keeps variables that look like secrets in the keychain, since variables are stored in plain text', async () => {
    await setup();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig';
    const staging = await core.envs.update('staging', { variables: { api_token: 'abc' } });
    const x = await core.envs.add({ name: 'x', provider: 'session', baseUrl: server.url, variables: { org: jwt } });
    const text = readFileSync(core.config.path, 'utf8');
    expect(text).not.toContain('"abc"');
    expect(text).not.toContain(jwt);
    expect(await core.secrets.get(secretKeys.variable(staging.id, 'api_token'))).toBe('abc');
    expect(await core.secrets.get(secretKeys.variable(x.id, 'org'))).toBe(jwt);
  });
});
