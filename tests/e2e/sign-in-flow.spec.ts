/**
 * Issue 20 in Chromium: the window renders a sign-in flow of several steps from the contract alone —
 * the method picker by keyboard, a second question refused then answered, a device code followed to
 * the end — over the in-memory API's multi-step methods (fixtures/fake-api.ts `flows`), since the
 * real multi-step methods are other providers' (the password flow runs against the real core in
 * user-day.spec.ts). axe judges each step in both themes.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { buildHarness } from './fixtures/build-harness.mjs';
import { seriousViolations } from './fixtures/screens.js';
import { serveStatic } from './fixtures/serve-static.mjs';

let harness: { url: string; close: () => Promise<unknown> };
test.beforeAll(async () => {
  harness = await serveStatic(await buildHarness());
});
test.afterAll(async () => {
  await harness.close();
});

type Fake = { flowProgress(m: string): void; approveFlow(email: string): void; liveFlows(): number };
const fake = (page: Page) => page.evaluateHandle(() => (window as unknown as { __fake: Fake }).__fake);

async function expectAccessible(page: Page, what: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousViolations(new AxeBuilder({ page }).include('.signin')), `${what}, ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('an emailed code and a device code, step by step, by keyboard', async ({ page }) => {
  await page.goto(`${harness.url}/?scenario=demo&latency=0&flows=1`);
  await page.getByRole('navigation', { name: 'Environments' }).getByRole('button', { name: /^qa-session/ }).click();
  const form = page.getByRole('form', { name: 'Sign in to qa-session' });
  const methods = form.getByRole('group', { name: 'Sign in with' });
  await expect(methods.getByRole('radio')).toHaveCount(4);
  await expectAccessible(page, 'the method picker');

  // Arrow keys move between the methods (a radio group), and the fields follow the method.
  await methods.getByRole('radio', { name: /^Email and password/ }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(methods.getByRole('radio', { name: /^Emailed code/ })).toBeChecked();
  await expect(form.getByLabel('Password', { exact: true })).toHaveCount(0);
  await form.getByLabel('Email', { exact: true }).fill('code@test.com');
  await form.getByLabel('Email', { exact: true }).press('Enter');

  const question = form.getByRole('group', { name: 'Enter the code' });
  await expect(question.getByLabel('Code')).toBeFocused();
  await question.getByLabel('Code').fill('000000');
  await question.getByLabel('Code').press('Enter');
  await expect(form.getByText('That code is not right: check the email and try again')).toBeVisible();
  await expect(question.getByLabel('Code')).toHaveValue('');
  await expectAccessible(page, 'a question refused');
  await question.getByLabel('Code').fill('123456');
  await question.getByRole('button', { name: 'Verify' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Signed in as code@test.com');

  // Another user, with a device code: the code, then the progress, then done.
  await page.getByRole('button', { name: 'Sign in as another user' }).click();
  await form.getByRole('radio', { name: /^Device code/ }).check();
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(form.getByRole('textbox', { name: 'Device code' })).toHaveValue('WDJB-MJHT');
  await expect(form.getByText(/^The code expires in \d+:\d\d$/)).toBeVisible();
  await expectAccessible(page, 'the device code');
  const api = await fake(page);
  await api.evaluate((f) => f.flowProgress('Approved: fetching the session…'));
  await expect(form.getByRole('region', { name: 'Signing in' })).toContainText('Approved: fetching the session…');
  await expectAccessible(page, 'the progress');
  await api.evaluate((f) => f.approveFlow('device@test.com'));
  await expect(form).toBeHidden();
  await expect(page.getByRole('list', { name: 'Identities in qa-session' })).toContainText('device@test.com');
  expect(await api.evaluate((f) => f.liveFlows())).toBe(0);
});

test('Escape in a step cancels the flow and comes back to the form', async ({ page }) => {
  await page.goto(`${harness.url}/?scenario=demo&latency=0&flows=1`);
  await page.getByRole('navigation', { name: 'Environments' }).getByRole('button', { name: /^qa-session/ }).click();
  const form = page.getByRole('form', { name: 'Sign in to qa-session' });
  await form.getByRole('radio', { name: /^Device code/ }).check();
  await form.getByRole('button', { name: 'Sign in' }).click();
  await form.getByRole('textbox', { name: 'Device code' }).focus();
  await page.keyboard.press('Escape');
  await expect(form.getByRole('group', { name: 'Sign in with' })).toBeVisible();
  const api = await fake(page);
  await expect.poll(() => api.evaluate((f) => f.liveFlows())).toBe(0);
});
