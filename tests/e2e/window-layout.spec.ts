/**
 * Issue 25 (window), in Chromium through the web bridge at 900x600: notifications stay off the panel
 * in use, a long environment name takes at most two lines, and the sidebar does not cut a name short
 * beside its status badge. Layout, so measured in a real browser (happy-dom lays nothing out).
 */
import type { Locator } from '@playwright/test';
import { DEMO_CREDENTIALS } from '../../src-main/core/demo-server/index.js';
import { expect, test } from './fixtures/bridge.js';
import { envRow, sidebar } from './fixtures/window.js';

const SB = 'Demo Supabase';
const SS = 'Demo session API';
const LONG = 'Customer onboarding staging for the partner team in EU west (shared, read-mostly, rotated weekly)';

/** Lines a block of text takes, from its height and its computed line height. */
const lines = (l: Locator) => l.evaluate((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)));
/** Whether the text is cut (an ellipsis or a clamp hides some of it). */
const cut = (l: Locator) => l.evaluate((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);

test.use({ viewport: { width: 900, height: 600 } });

test('at 900 px: toasts off the panel, a long name on two lines, a sidebar name whole beside its badge', async ({ app: page }) => {
  // A fresh bridge (fixtures/bridge.ts) greets with the first run; the checks below hold either way.
  const welcome = page.getByRole('button', { name: 'Try the demo server' });
  await expect(welcome.or(sidebar(page))).toBeVisible();
  if (await welcome.isVisible()) await welcome.click();
  await envRow(page, SS).click();
  const user = DEMO_CREDENTIALS.session.find((c) => c.email === 'restricted@test.com')!;
  const form = page.getByRole('form', { name: `Sign in to ${SS}` });
  const another = page.getByRole('button', { name: 'Sign in as another user' });
  await expect(form.or(another)).toBeVisible();
  if (!(await form.isVisible())) await another.click();
  await form.getByLabel('Email', { exact: true }).fill(user.email);
  await form.getByLabel('Password', { exact: true }).fill(user.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(form).toBeHidden();
  await page.getByRole('button', { name: 'Copy Authorization header' }).click();

  // The demo session environment shows a badge now; its name is still whole.
  const row = envRow(page, SS);
  await expect(row.locator('.status')).toBeVisible();
  expect.soft(await cut(row.locator('.env-name')), 'the sidebar name is cut').toBe(false);

  // Notifications: at most two, and none over the environment's panel.
  const toasts = page.getByRole('region', { name: 'Notifications' }).locator('.toast');
  await expect(toasts.first()).toBeVisible();
  expect.soft(await toasts.count(), 'toasts shown').toBeLessThanOrEqual(2);
  const panel = (await page.locator('.env-view').boundingBox())!;
  for (const box of await Promise.all((await toasts.all()).map((t) => t.boundingBox()))) {
    expect.soft(box!.x + box!.width, 'a toast reaches into the panel').toBeLessThanOrEqual(panel.x);
  }

  // A long name, production-like with its tag: two lines in the heading, not four.
  const url = (await page.locator('.env-meta .url').textContent())!.trim();
  await sidebar(page).getByRole('button', { name: 'Add environment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add environment' });
  await dialog.getByLabel('Name').fill(LONG);
  await dialog.getByLabel('Base URL').fill(url);
  await dialog.getByLabel('Anon key').fill(DEMO_CREDENTIALS.anonKey);
  await dialog.getByLabel('Production-like').check();
  await dialog.getByRole('button', { name: 'Add environment' }).click();
  await expect(dialog).toBeHidden();
  await expect(envRow(page, LONG)).toHaveAttribute('aria-current', 'true');
  const heading = page.locator('[data-env-heading] .env-heading-name');
  await expect.soft(heading).toHaveText(LONG);
  expect.soft(await lines(heading), 'lines of the heading').toBeLessThanOrEqual(2);
  await expect(heading).toHaveAttribute('title', LONG);

  // Who is signed in is never cut beside the status, Check and Sign out (it was "owner@connectgain.t…"
  // at 900 px): a long email wraps after its @.
  await envRow(page, SB).click();
  const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email === 'owner@connectgain.test')!;
  const sbForm = page.getByRole('form', { name: `Sign in to ${SB}` });
  await sbForm.getByLabel('Email', { exact: true }).fill(owner.email);
  await sbForm.getByLabel('Password', { exact: true }).fill(owner.password);
  await sbForm.getByRole('button', { name: 'Sign in' }).click();
  await expect(sbForm).toBeHidden();
  const email = page.getByRole('list', { name: `Identities in ${SB}` }).locator('.identity-email').first();
  await expect(email).toHaveText(owner.email);
  expect.soft(await cut(email), 'the identity email is cut').toBe(false);
});
