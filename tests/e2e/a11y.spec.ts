/**
 * Accessibility: axe-core (WCAG 2.x A/AA rules, plus label-content-name-mismatch) on the screens a
 * user meets, light and dark, failing on any serious or critical violation (issue 25).
 * The first run, the demo, a signed-in and a signed-out identity, the Edit dialog and the open palette
 * go through the web bridge against the embedded demo server; the states the demo cannot reach
 * without waiting an hour (an expired session, a failed refresh, an expiring production session) use
 * the same renderer and stylesheet over the in-memory API (tests/e2e/fixtures/harness.tsx).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { DEMO_CREDENTIALS } from '../../src-main/core/demo-server/index.js';
import { buildHarness } from './fixtures/build-harness.mjs';
import { serveStatic } from './fixtures/serve-static.mjs';
import { expect, test } from './fixtures/bridge.js';
import { envRow } from './fixtures/window.js';

const SB = 'Demo Supabase';
const SS = 'Demo session API';

// body's background in each theme (--bg): the page has switched once it is painted in it.
const BODY_BG = { light: 'rgb(246, 247, 249)', dark: 'rgb(21, 23, 27)' } as const;

/**
 * axe's result for the page in both themes. label-content-name-mismatch (WCAG 2.5.3, "Label in Name")
 * is experimental in axe, so off by default: it is turned on, as a voice-control user needs it.
 */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('body')).toHaveCSS('background-color', BODY_BG[colorScheme]);
    // Colour transitions (buttons) finish before the colours are judged; a spinner's animation or the
    // clipboard countdown's width may run on.
    await page.waitForFunction(() => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running' || a.transitionProperty === 'width'));
    const { violations } = await new AxeBuilder({ page }).options({ rules: { 'label-content-name-mismatch': { enabled: true } } }).analyze();
    const serious = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${(n.any[0]?.message ?? n.failureSummary ?? '').slice(0, 200)}`));
    expect(serious, `${screen}, ${colorScheme} theme`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}


test('the first run, the demo, signed in and out, the Edit dialog and the palette pass axe in both themes', async ({ app: page }) => {
  // A dozen axe scans in two themes over five demo environments: past the default two minutes on a
  // loaded machine (the scan itself, not a wait), so the whole walk gets five.
  test.setTimeout(300_000);
  await expect(page.getByRole('heading', { name: 'Welcome to TokenDesk' })).toBeVisible();
  await expectAccessible(page, 'first run');

  await page.getByRole('button', { name: 'Try the demo server' }).click();
  const form = page.getByRole('form', { name: `Sign in to ${SB}` });
  await expect(form).toBeVisible();
  await expectAccessible(page, 'the demo: the sign-in form');

  const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email === 'owner@connectgain.test')!;
  await form.getByLabel('Email', { exact: true }).fill(owner.email);
  await form.getByLabel('Password', { exact: true }).fill(owner.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(form).toBeHidden();
  // The status pill of the issue, in the identity list and in the selected sidebar row.
  await expect(page.getByRole('list', { name: `Identities in ${SB}` }).getByText(/valid · /)).toBeVisible();
  await expect(envRow(page, SB)).toContainText('owner@connectgain.test');
  await expectAccessible(page, 'a signed-in identity');

  await page.getByRole('button', { name: `Edit environment ${SB}` }).click();
  await expect(page.getByRole('dialog', { name: /Edit/ })).toBeVisible();
  await expectAccessible(page, 'the Edit dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  await page.keyboard.press('Control+K');
  await expect(page.getByRole('dialog', { name: 'Command palette' })).toBeVisible();
  await expectAccessible(page, 'the open palette');
  await page.keyboard.press('Escape');

  // The session API's other pills (remembered password, accounts) in the other demo environment.
  await envRow(page, SS).click();
  const restricted = DEMO_CREDENTIALS.session.find((c) => c.email === 'restricted@test.com')!;
  const ssForm = page.getByRole('form', { name: `Sign in to ${SS}` });
  await ssForm.getByLabel('Email', { exact: true }).fill(restricted.email);
  await ssForm.getByLabel('Password', { exact: true }).fill(restricted.password);
  await ssForm.getByLabel('Remember password').check();
  await ssForm.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('group', { name: 'Account' })).toBeVisible();
  await expectAccessible(page, 'a session API identity with accounts');

  await envRow(page, SB).click();
  await page.getByRole('button', { name: 'Sign out owner@connectgain.test (this session only)' }).click();
  await expect(page.getByRole('list', { name: `Identities in ${SB}` }).getByRole('listitem').filter({ hasText: 'owner@connectgain.test' })).toContainText('signed out');
  await expectAccessible(page, 'a signed-out identity');
});

test.describe('states the demo reaches only with time (the in-memory API)', () => {
  let harness: { url: string; close: () => Promise<unknown> };
  test.beforeAll(async () => {
    harness = await serveStatic(await buildHarness());
  });
  test.afterAll(async () => {
    await harness.close();
  });

  const open = async (page: Page, env: string) => {
    await page.goto(`${harness.url}/?scenario=demo&latency=0`);
    await envRow(page, env).click();
    await expect(envRow(page, env)).toHaveAttribute('aria-current', 'true');
  };

  test('an expired session, a failed refresh and a signed-out identity', async ({ page }) => {
    await open(page, 'sandbox');
    await expect(page.getByRole('list', { name: 'Identities in sandbox' })).toContainText('expired');
    await expectAccessible(page, 'an expired identity');
    await open(page, 'staging');
    await expectAccessible(page, 'a failed refresh');
    await open(page, 'local');
    await expect(page.getByRole('list', { name: 'Identities in local' })).toContainText('signed out');
    await expectAccessible(page, 'a signed-in and a signed-out identity');
  });

  test('production, its Edit dialog, and a sign-in form', async ({ page }) => {
    await open(page, 'production');
    await expect(page.getByText('PRODUCTION · production')).toBeVisible();
    await expectAccessible(page, 'production, expiring');
    await page.getByRole('button', { name: 'Edit environment production' }).click();
    await expect(page.getByRole('dialog', { name: /Edit/ })).toBeVisible();
    // One banner landmark (the top bar): a dialog's title row is not a second one (axe: landmark-no-duplicate-banner, moderate).
    await expect(page.getByRole('banner')).toHaveCount(1);
    await expectAccessible(page, 'the Edit dialog of production');
    await page.keyboard.press('Escape');
    await open(page, 'qa-session');
    await expect(page.getByRole('form', { name: 'Sign in to qa-session' })).toBeVisible();
    await expectAccessible(page, 'a sign-in form');
  });

  test('a project environment with its actions, its Edit in file and Copy dialogs', async ({ page }) => {
    await page.goto(`${harness.url}/?scenario=demo&latency=0`);
    await page.getByRole('button', { name: 'Open project file…' }).click();
    await page.getByLabel('Path of a tokendesk.json on this machine').fill('/home/dana/src/shop/tokendesk.json');
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByRole('list', { name: 'Environments of the project shop' }).getByRole('button', { name: /^staging/ }).click();
    await expect(page.getByText(/^From the project/)).toBeVisible();
    await expectAccessible(page, 'a project environment');
    await page.getByRole('button', { name: /^Edit in file: staging in / }).click();
    await expect(page.getByTestId('project-file-notice')).toBeVisible();
    await expectAccessible(page, 'Edit in file');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Copy to my environments: staging' }).click();
    await expect(page.getByLabel('Name of the copy')).toBeVisible();
    await expectAccessible(page, 'Copy to my environments');
  });
});
