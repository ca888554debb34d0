/**
 * Issue 21 in the window, against the real core through the web bridge and the demo server's OpenID
 * issuer: the browser sign-in (the wait while the browser is away, then the issuer's own login and
 * consent pages filled in as a person would, in the tab the window opened), the device code (the code
 * large, copy, the verification page, the countdown; approved on the issuer's pages), and a dead
 * refresh token (the user's sessions ended on the issuer's home page: the identity ends with the
 * reason and one action, "Sign in"). Screenshots go to .tmp/look/ (light and dark, 900 and 1280
 * wide) for a person to look at; axe judges each.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { DEMO_CREDENTIALS, startDemoServer } from '../../src-main/core/demo-server/index.js';
import { expect, test } from './fixtures/bridge.js';
import { look } from './fixtures/screens.js';
import { envRow, identities, startDemo } from './fixtures/window.js';

// Each test looks at several screens in two themes and two widths, with axe on each: slow on a loaded machine.
test.describe.configure({ timeout: 300_000 });

const OIDC = 'Demo OpenID Connect';
const alice = DEMO_CREDENTIALS.oidc.users.find((u) => u.email.startsWith('alice'))!;
const bob = DEMO_CREDENTIALS.oidc.users.find((u) => u.email.startsWith('bob'))!;

/** The issuer's own pages in the tab the window opened: sign in as `who`, then Allow. */
async function signInAtIssuer(tab: Page, who: { email: string; password: string }, shot?: string): Promise<void> {
  await tab.getByLabel('Email').fill(who.email);
  await tab.getByLabel('Password').fill(who.password);
  if (shot) await look(tab, `${shot}-login`);
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await expect(tab.getByRole('heading', { name: /^Allow / })).toBeVisible();
  if (shot) await look(tab, `${shot}-consent`);
  await tab.getByRole('button', { name: 'Allow' }).click();
}

async function browserSignIn(page: Page, context: BrowserContext, env: string, who: { email: string; password: string }, shot?: string): Promise<void> {
  await envRow(page, env).click();
  const form = page.getByRole('form', { name: `Sign in to ${env}` });
  await expect(form.getByRole('radio', { name: /^Sign in with the browser/ })).toBeChecked();
  // The window opens the authorization URL in a new tab by itself (bridge-client.ts openExternal).
  const opened = context.waitForEvent('page');
  await form.getByRole('button', { name: 'Sign in' }).click();
  // The issuer loads oidc-provider at its first request (demo-server/oidc-issuer.ts): seconds on a loaded machine.
  await expect(form.getByRole('heading', { name: 'Continue in your browser' })).toBeVisible({ timeout: 45_000 });
  await expect(form.getByRole('textbox', { name: 'Sign-in address' })).toHaveValue(/\/oidc\/auth\?/);
  const tab = await opened;
  await tab.waitForLoadState();
  if (shot) await look(page, `${shot}-wait`);
  await signInAtIssuer(tab, who, shot);
  // The loopback listener answers the tab, and the window has the identity.
  await expect(tab.getByText('You may close this tab and return to TokenDesk.')).toBeVisible();
  await tab.close();
  await expect(identities(page, env).getByText(who.email)).toBeVisible();
}

test('browser sign-in: the window waits while the issuer\'s own pages sign the user in', async ({ app: page, context }) => {
  await startDemo(page, OIDC);
  await browserSignIn(page, context, OIDC, alice, 'oidc-browser');
  await expect(identities(page, OIDC).getByText('renews itself (refresh token)')).toBeVisible();
  await look(page, 'oidc-signed-in');
});

test('device code: the code large, copy, the verification page, the countdown; approved there', async ({ app: page, context }) => {
  await startDemo(page, OIDC);
  await envRow(page, OIDC).click();
  const form = page.getByRole('form', { name: `Sign in to ${OIDC}` });
  await form.getByRole('radio', { name: /^Device code/ }).check();
  await form.getByRole('button', { name: 'Sign in' }).click();
  const code = form.getByRole('textbox', { name: 'Device code' });
  await expect(code).toHaveValue(/^[A-Z]{4}-[A-Z]{4}$/);
  await expect(form.getByText(/The code expires in \d+:\d\d/)).toBeVisible();
  await form.getByRole('button', { name: 'Copy device code' }).click();
  await expect(form.getByText('Copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await code.inputValue());
  await look(page, 'oidc-device');

  const opened = context.waitForEvent('page');
  await form.getByRole('button', { name: 'Open the verification page' }).click();
  const tab = await opened;
  // The verification page carries the code: the person checks it matches, then signs in and allows.
  await expect(tab.getByRole('heading', { name: 'Is this the code TokenDesk shows?' })).toBeVisible();
  await expect(tab.getByText(await code.inputValue(), { exact: true })).toBeVisible();
  await look(tab, 'oidc-device-confirm');
  await tab.getByRole('button', { name: 'Yes, continue' }).click();
  await signInAtIssuer(tab, bob);
  await expect(tab.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  await tab.close();
  await expect(identities(page, OIDC).getByText(bob.email)).toBeVisible();
});

test('a dead refresh token: the user\'s sessions ended at the issuer; the identity ends with the reason and "Sign in"', async ({ app: page, context }) => {
  // An issuer of its own with 20-second access tokens, so the renewal (and its refusal) comes within the test.
  const demo = await startDemoServer({ port: 0, openId: { accessTokenTtlSeconds: 20 } });
  try {
    await page.getByRole('button', { name: 'Add environment' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add environment' });
    await dialog.getByRole('group', { name: 'Provider' }).getByRole('radio', { name: /^OpenID Connect/ }).check();
    await dialog.getByLabel('Name', { exact: true }).fill('Short-lived IdP');
    await dialog.getByLabel('Base URL').fill(demo.issuer);
    await dialog.getByLabel('Client ID', { exact: true }).fill(DEMO_CREDENTIALS.oidc.publicClient);
    await dialog.getByRole('button', { name: 'Add environment' }).click();
    await expect(dialog).toBeHidden();
    await browserSignIn(page, context, 'Short-lived IdP', alice);

    // The issuer's home page, as a person uses it: "End Alice's sessions".
    const home = await context.newPage();
    await home.goto(`${demo.issuer}/`);
    await home.getByRole('button', { name: 'End Alice’s sessions' }).click();
    await expect(home.getByRole('status')).toHaveText(/Ended the sessions of alice@oidc\.test \(1 refresh token revoked\)/);
    await look(home, 'oidc-issuer-home');
    await home.close();

    // The background renewal is refused; once the access token has run out, the session has ended.
    const row = identities(page, 'Short-lived IdP').getByRole('listitem');
    await expect(row.getByRole('button', { name: `Sign in again as ${alice.email}` })).toBeVisible({ timeout: 45_000 });
    // A refusal while the access token still lives keeps it (an error on the row); the session ends once
    // it has run out and the next renewal finds it refused: up to the token's 20 s later.
    await expect(row).toContainText('ended by the server', { timeout: 45_000 });
    await expect(row).toContainText(/refused the refresh token/);
    await expect(row).toContainText(/revoked, expired or already used/);
    // Nothing left to copy: the only action is to sign in again.
    await expect(page.getByRole('button', { name: 'Authorization header' })).toHaveCount(0);
    await look(page, 'oidc-dead-refresh');
  } finally {
    await demo.close();
  }
});
