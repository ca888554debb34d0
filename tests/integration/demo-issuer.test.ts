import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENVIRONMENTS, DEMO_OIDC_MACHINE_ENVIRONMENT } from '../../src-main/core/app/demo-environments.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { cliFixture, keychainUnreachable } from '../helpers/cli.js';
import { movableClock } from '../helpers/clock.js';
import { startDemoServerCli } from '../helpers/demo-server-cli.js';
import { followIssuerPages } from '../helpers/issuer-pages.js';

/**
 * The demo server's OpenID Connect issuer (issue 21) as a new user meets it: `demo-setup` adds the
 * OpenID environments, and the CLI signs in to them with the browser (the issuer's own login and
 * consent pages, followed over HTTP as a person would fill them in), a device code approved on the
 * issuer's pages, and client credentials; the session renews with a rotated refresh token, and a user
 * whose sessions were ended on the issuer's home page gets the refusal in plain words.
 */
const OIDC = DEMO_ENVIRONMENTS.oidc;
const MACHINE = DEMO_OIDC_MACHINE_ENVIRONMENT;
const alice = DEMO_CREDENTIALS.oidc.users.find((u) => u.email.startsWith('alice'))!;
const bob = DEMO_CREDENTIALS.oidc.users.find((u) => u.email.startsWith('bob'))!;

const unreachable = await keychainUnreachable();
let demo: DemoServer;
beforeAll(async () => {
  // interval 1: the device sign-in polls a second apart (RFC 8628 §3.2), not the default 5.
  demo = await startDemoServer({ port: 0, openId: { deviceIntervalSeconds: 1 } });
});
afterAll(() => demo.close());

const { newHome } = cliFixture();
type Home = ReturnType<typeof newHome>;

async function demoHome(): Promise<Home> {
  const h = newHome();
  const r = await h.runInProcess(['demo-setup', '--url', demo.url]);
  expect(r.code, r.stderr).toBe(0);
  return h;
}

/** The first URL the CLI opened in the recording browser (tests/helpers/cli.ts); a bounded wait. */
async function openedUrl(h: Home): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const url = h.openedUrls()[0];
    if (url) return url;
    await new Promise((r) => setTimeout(r, i < 50 ? 2 : 20));
  }
  throw new Error('the CLI opened no page');
}

function identities(statusJson: string, env: string): Array<Record<string, unknown>> {
  return (JSON.parse(statusJson) as { environments: Array<{ name: string; identities: Array<Record<string, unknown>> }> }).environments.find((e) => e.name === env)!.identities;
}

/** Signs in with the browser method as `who`, in process, on the clock `now`. */
async function browserSignIn(h: Home, issuer: string, who: { email: string; password: string }, now?: () => number) {
  const login = h.runInProcess(['login', '--env', OIDC], now ? { now } : {});
  const page = await followIssuerPages(issuer, await openedUrl(h), { login: who.email, password: who.password });
  const r = await login;
  expect(r.code, r.stderr).toBe(0);
  return page;
}

describe.skipIf(unreachable !== undefined)('the demo OpenID issuer through tokendesk', { timeout: 60_000 }, () => {
  it('demo-setup adds the OpenID environments at <demo>/oidc: the public client, and the machine client with its secret in the vault only', async () => {
    const h = newHome();
    const r = await h.runInProcess(['demo-setup', '--url', demo.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Environment "${OIDC}" (oidc) → ${demo.url}/oidc`);
    expect(r.stdout).toContain(`Environment "${MACHINE}" (oidc) → ${demo.url}/oidc`);
    const shown = await h.runInProcess(['env', 'show', MACHINE, '--json']);
    expect(shown.stdout).toContain(DEMO_CREDENTIALS.oidc.machineClient);
    expect(h.folderText()).not.toContain(DEMO_CREDENTIALS.oidc.machineSecret);
  });

  it('browser: a wrong password is refused on the issuer\'s page; the right one and Allow sign the CLI in; the session renews with a rotated refresh token', async () => {
    const h = await demoHome();
    const clock = movableClock();
    const login = h.runInProcess(['login', '--env', OIDC], { now: clock.now });
    const url = await openedUrl(h);
    expect(url.startsWith(`${demo.issuer}/auth?`)).toBe(true);
    const wrong = await followIssuerPages(demo.issuer, url, { login: alice.email, password: 'not-it' });
    expect(wrong.seen).toEqual(['login', 'login']);
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Wrong email or password.');
    // The same authorization URL opened again, as a person would after a typo: a fresh sign-in page.
    const right = await followIssuerPages(demo.issuer, url, { login: alice.email, password: alice.password });
    expect(right.seen).toEqual(['login', 'consent']);
    expect(right.text).toContain('You may close this tab');
    const r = await login;
    expect(r.code, r.stderr).toBe(0);
    const status = await h.runInProcess(['status', '--json', '--env', OIDC]);
    expect(identities(status.stdout, OIDC)[0]).toMatchObject({ signedIn: true, email: alice.email, renewal: 'refresh-token' });

    const first = await h.runInProcess(['token', '--env', OIDC], { now: clock.now });
    expect(first.code, first.stderr).toBe(0);
    clock.advance(3600_000 - 30_000); // inside the renewal margin of the demo's one-hour token
    const renewed = await h.runInProcess(['token', '--env', OIDC], { now: clock.now });
    expect(renewed.code, renewed.stderr).toBe(0);
    expect(renewed.stdout.trim()).not.toBe(first.stdout.trim());
    // Stored, not only handed out: the next call gets the same token, and renews again from the rotated refresh token.
    expect((await h.runInProcess(['token', '--env', OIDC], { now: clock.now })).stdout).toBe(renewed.stdout);
    clock.advance(3600_000);
    const again = await h.runInProcess(['token', '--env', OIDC], { now: clock.now });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).not.toBe(renewed.stdout.trim());
  });

  it('device: the code on stderr, approved on the issuer\'s pages (sign in, allow, confirm the code); a denied one is said plainly', async () => {
    const h = await demoHome();
    const login = h.runInProcess(['login', '--env', OIDC, '--device']);
    const url = await openedUrl(h);
    expect(url.startsWith(`${demo.issuer}/device?user_code=`)).toBe(true);
    const code = new URL(url).searchParams.get('user_code')!;
    const page = await followIssuerPages(demo.issuer, url, { login: bob.email, password: bob.password });
    expect(page.seen).toContain('device-confirm');
    expect(page.seen).toContain('login');
    expect(page.text).toContain('You are signed in');
    const r = await login;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(code);
    const status = await h.runInProcess(['status', '--json', '--env', OIDC]);
    expect(identities(status.stdout, OIDC)[0]).toMatchObject({ signedIn: true, email: bob.email, renewal: 'refresh-token' });

    const h2 = await demoHome();
    const denied = h2.runInProcess(['login', '--env', OIDC, '--device']);
    // Typed by hand on the verification page without the code in its URL, then refused.
    const complete = new URL(await openedUrl(h2));
    const typed = complete.searchParams.get('user_code')!;
    complete.search = '';
    const no = await followIssuerPages(demo.issuer, complete.href, { login: bob.email, password: bob.password, userCode: typed, device: 'deny' });
    expect(no.seen).toEqual(['device-input', 'device-confirm', 'device-input']);
    expect(no.text).toContain('The sign-in was denied');
    const d = await denied;
    expect(d.code).not.toBe(0);
    expect(d.stderr).toMatch(/denied on the verification page: nothing was stored/);
  });

  it('client credentials: the machine environment signs in with the secret from the vault and renews by the same grant', async () => {
    const h = await demoHome();
    const clock = movableClock();
    const r = await h.runInProcess(['login', '--env', MACHINE, '--client-credentials'], { now: clock.now });
    expect(r.code, r.stderr).toBe(0);
    const status = await h.runInProcess(['status', '--json', '--env', MACHINE]);
    expect(identities(status.stdout, MACHINE)[0]).toMatchObject({ signedIn: true, renewal: 'client-credentials' });
    const first = await h.runInProcess(['token', '--env', MACHINE], { now: clock.now });
    clock.advance(3600_000 - 30_000);
    const renewed = await h.runInProcess(['token', '--env', MACHINE], { now: clock.now });
    expect(renewed.code, renewed.stderr).toBe(0);
    expect(renewed.stdout.trim()).not.toBe(first.stdout.trim());
  });

  it('"End … sessions" on the issuer\'s home page revokes the refresh token: the next renewal ends the session with the reason and "Sign in again"', async () => {
    // A fresh server: the count of refresh tokens ended is this test's alone.
    const own = await startDemoServer({ port: 0 });
    const h = newHome();
    expect((await h.runInProcess(['demo-setup', '--url', own.url])).code).toBe(0);
    const clock = movableClock();
    await browserSignIn(h, own.issuer, alice, clock.now);
    const home = await fetch(`${own.issuer}/`);
    const html = await home.text();
    expect(html).toContain(alice.email);
    expect(html).toContain(DEMO_CREDENTIALS.oidc.publicClient);
    const ended = await fetch(`${own.issuer}/demo/end-sessions`, { method: 'POST', body: new URLSearchParams({ login: alice.email }) });
    expect(await ended.text()).toMatch(/Ended the sessions of alice@oidc\.test \(1 refresh token revoked\)/);
    clock.advance(3600_000 + 1000); // the access token is gone: only the refresh token could help
    const r = await h.runInProcess(['token', '--env', OIDC], { now: clock.now });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/The OpenID Connect server refused the refresh token \(invalid_grant.*\): it was revoked, expired or already used\. Sign in again\./);
    await own.close();
  });
});

describe.skipIf(unreachable !== undefined)('the built CLI serves the issuer (oidc-provider bundled into out/cli)', { timeout: 60_000 }, () => {
  it('demo-server --setup: discovery answers at <url>/oidc, and the machine environment signs in with client credentials', async () => {
    const h = newHome();
    const { out, child, done } = await startDemoServerCli(h, ['--port', '0', '--setup']);
    try {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      expect(out).toContain(`OpenID Connect issuer: ${url}/oidc`);
      expect(out).toContain(`${alice.email}`);
      const disc = (await (await fetch(`${url}/oidc/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(disc).toMatchObject({ issuer: `${url}/oidc`, device_authorization_endpoint: `${url}/oidc/device/auth` });
      const r = await h.run(['login', '--env', MACHINE, '--client-credentials']);
      expect(r.code, r.stderr).toBe(0);
      const token = await h.run(['token', '--env', MACHINE]);
      expect(token.stdout.trim()).not.toBe('');
    } finally {
      child.kill('SIGTERM');
    }
    const r = await done;
    expect(r.code).toBe(0);
    // oidc-provider's notices about production use stay out of the demo's output.
    expect(r.stderr).not.toContain('oidc-provider');
  });
});
