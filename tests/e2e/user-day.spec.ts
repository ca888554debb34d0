/**
 * A new user's day, in Chromium, through the web bridge, against the embedded demo server:
 * first run → demo → add an environment → wrong then right password → switch identity and account →
 * search permissions → copy every kind of item (reading the clipboard) → export a Postman file →
 * palette → sign out. Screenshots of the main screens, light and dark, go to docs/screenshots/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { DEMO_CREDENTIALS } from '../../src-main/core/demo-server/index.js';
import { DEMO_ORGANIZATION_ID } from '../../src-main/core/demo-server/users.js';
import { clipboard, expect, test } from './fixtures/bridge.js';
import { dismissToasts, envRow, identities, sidebar, startDemo, toasts } from './fixtures/window.js';

const shots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
mkdirSync(shots, { recursive: true });

const SB = 'Demo Supabase';
const SS = 'Demo session API';
const PROD = 'Production (demo)';
const supa = (email: string) => DEMO_CREDENTIALS.supabase.find((c) => c.email === email)!;
const sess = (email: string) => DEMO_CREDENTIALS.session.find((c) => c.email === email)!;

/** The same screen in light and dark, at the current viewport. */
async function shoot(page: Page, name: string, opts: { keepToasts?: boolean } = {}): Promise<void> {
  // (Clicking a toast's close button would also close an open dialog: it is a click outside.)
  if (!opts.keepToasts) await dismissToasts(page);
  await page.mouse.move(0, 0);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(shots, `${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function signIn(page: Page, env: string, email: string, password: string, opts: { another?: boolean; remember?: boolean } = {}): Promise<Locator> {
  if (opts.another) await page.getByRole('button', { name: 'Sign in as another user' }).click();
  const form = page.getByRole('form', { name: `Sign in to ${env}` });
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('Password', { exact: true }).fill(password);
  if (opts.remember) await form.getByLabel('Remember password').check();
  await form.getByRole('button', { name: 'Sign in' }).click();
  return form;
}

/** Clicks a copy button; checks the toast's words and returns what landed on the clipboard. */
async function copy(page: Page, button: string, toast: RegExp | string): Promise<string> {
  await dismissToasts(page);
  await page.getByRole('button', { name: button, exact: true }).click();
  await expect(toasts(page).getByText(toast)).toBeVisible();
  return clipboard(page);
}

test('a new user’s day', async ({ app: page }) => {
  // The whole day in one test (five demo environments, two themes per screenshot): over the default
  // two minutes on a loaded machine, though no single step is slow.
  test.setTimeout(300_000);
  const downloads = test.info().outputPath('downloads');
  mkdirSync(downloads, { recursive: true });

  await test.step('first run: welcome, then the demo server', async () => {
    await expect(page.getByRole('heading', { name: 'Welcome to TokenDesk' })).toBeVisible();
    expect(new URL(page.url()).search, 'the secret leaves the address bar').toBe('');
    await shoot(page, 'welcome');
    await startDemo(page, SB);
    await expect(envRow(page, SS)).toBeVisible();
    await expect(page.getByRole('form', { name: `Sign in to ${SB}` })).toBeVisible();
    await shoot(page, 'sign-in');
  });

  await test.step('add an environment, validated as you type', async () => {
    const demoUrl = (await page.locator('.env-meta .url').textContent())!.trim();
    await sidebar(page).getByRole('button', { name: 'Add environment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add environment' });
    await dialog.getByLabel('Name').fill(PROD);
    await dialog.getByLabel('Base URL').fill('ftp://wrong');
    await expect(dialog.getByText('Enter an http(s) URL such as https://api.example.com')).toBeVisible();
    // The CLI's words: a space, a password in the URL, a path TokenDesk adds itself.
    await dialog.getByLabel('Base URL').fill(`${demoUrl}/rest /v1`);
    await expect(dialog.getByText(/^The URL contains a space or a line break/)).toBeVisible();
    await dialog.getByLabel('Base URL').fill(demoUrl.replace('http://', 'http://me:hunter2@'));
    await expect(dialog.getByText(/user name or password .* That is a secret/)).toBeVisible();
    await dialog.getByLabel('Base URL').fill(`${demoUrl}/rest/v1`);
    await dialog.getByRole('button', { name: `Use ${demoUrl}` }).click();
    await expect(dialog.getByLabel('Base URL')).toHaveValue(demoUrl);
    await dialog.getByLabel('Anon key').fill('not-a-key');
    await expect(dialog.getByText(/An anon key is a JWT/)).toBeVisible();
    await dialog.getByLabel('Anon key').fill(DEMO_CREDENTIALS.anonKey);
    await expect(dialog.getByText(/An anon key is a JWT/)).toBeHidden();
    await expect(dialog.getByLabel('Production-like')).toBeChecked();
    await shoot(page, 'add-environment');
    // Escape on the half-filled form asks first; keeping it loses nothing.
    await dialog.getByLabel('Name').press('Escape');
    await expect(dialog.getByRole('alertdialog', { name: 'Discard what you typed?' })).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Keep editing' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog.getByLabel('Name')).toHaveValue(PROD);
    await dialog.getByRole('button', { name: 'Add environment' }).click();
    await expect(dialog).toBeHidden();
    await expect(envRow(page, PROD)).toHaveAttribute('aria-current', 'true');
    await expect(page.getByText(`PRODUCTION · ${PROD}`)).toBeVisible();
    const form = await signIn(page, PROD, 'owner@connectgain.test', supa('owner@connectgain.test').password);
    await expect(form).toBeHidden();
    await shoot(page, 'production');
  });

  await test.step('sign in with a wrong, then the right password', async () => {
    await envRow(page, SB).click();
    const form = await signIn(page, SB, 'owner@connectgain.test', 'wrong-password');
    await expect(form.getByRole('alert')).toHaveText(/Invalid login credentials/);
    await form.getByLabel('Password', { exact: true }).fill(supa('owner@connectgain.test').password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect(form).toBeHidden();
    await expect(identities(page, SB).getByText(/valid · \d+:\d\d(:\d\d)? left/)).toBeVisible();
    await expect(envRow(page, SB)).toContainText('owner@connectgain.test');
  });

  await test.step('a second identity, and switching back in one click', async () => {
    await signIn(page, SB, 'agent@connectgain.test', supa('agent@connectgain.test').password, { another: true });
    const agent = page.getByRole('radio', { name: 'Use agent@connectgain.test as the active identity' });
    const owner = page.getByRole('radio', { name: 'Use owner@connectgain.test as the active identity' });
    await expect(agent).toBeChecked();
    // One click anywhere on the row (here the email) switches.
    await identities(page, SB).getByText('owner@connectgain.test', { exact: true }).click();
    await expect(owner).toBeChecked();
    await expect(envRow(page, SB)).toContainText('owner@connectgain.test');
    // With the keyboard: an arrow key moves and switches, and focus stays on the identity.
    await owner.focus();
    await page.keyboard.press('ArrowDown');
    await expect(agent).toBeChecked();
    await expect(envRow(page, SB)).toContainText('agent@connectgain.test');
    await expect(agent).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(owner).toBeChecked();
    await expect(owner).toBeFocused();
    await expect(identities(page, SB).getByText('renews itself (refresh token)').first()).toBeVisible();
    await expect(envRow(page, SB)).toContainText('owner@connectgain.test');
    await expect(page.getByRole('region', { name: 'Signed in as' })).toContainText('Olive Owner');
    await expect(page.getByRole('region', { name: 'Token' }).getByText(/Stored in: /)).toBeVisible();
    await shoot(page, 'main');
  });

  await test.step('session API: accounts and permissions', async () => {
    await envRow(page, SS).click();
    await expect(page.getByRole('form', { name: `Sign in to ${SS}` }).getByText(/renew the session/)).toBeVisible();
    await signIn(page, SS, 'restricted@test.com', sess('restricted@test.com').password, { remember: true });
    await expect(identities(page, SS).getByText('renews itself (remembered password)')).toBeVisible();
    const accounts = page.getByRole('group', { name: 'Account' });
    await expect(accounts.getByText('★ primary')).toBeVisible();
    await expect(accounts.getByRole('radio', { name: /Acme Corp/ })).toBeChecked();
    await accounts.getByRole('radio', { name: /Globex/ }).check();
    await expect(accounts.getByRole('radio', { name: /Globex/ })).toBeChecked();
    await page.reload();
    await expect(page.getByRole('group', { name: 'Account' }).getByRole('radio', { name: /Globex/ })).toBeChecked();

    await signIn(page, SS, 'test@test.com', sess('test@test.com').password, { another: true });
    await expect(page.getByRole('region', { name: 'Signed in as' })).toContainText('test@test.com');
    await expect(identities(page, SS).getByRole('listitem').filter({ hasText: 'test@test.com' }).filter({ hasNotText: 'restricted' })).toContainText('does not renew itself: password not remembered');
    const perms = page.getByRole('region', { name: 'Permissions' });
    const search = perms.getByRole('searchbox', { name: 'Search permissions' });
    await search.fill('applications');
    await expect(perms.getByTestId('permission')).toHaveCount(2);
    await expect(perms.getByTestId('permission').filter({ hasText: 'writeApplications' })).toContainText('role');
    await search.fill('misc');
    await expect(perms.getByTestId('permission')).toHaveText([/miscPermission\s*direct/]);
    await search.fill('');
    await shoot(page, 'session-api');

    await signIn(page, SS, 'many@test.com', sess('many@test.com').password, { another: true });
    await expect(page.getByRole('region', { name: 'Signed in as' })).toContainText('many@test.com');
    await expect(perms.getByText('5000 permissions')).toBeVisible();
    await search.fill('benchPermission49');
    await expect(perms.getByText('100 of 5000 permissions')).toBeVisible();
    await expect(perms.getByTestId('permission').first()).toContainText('benchPermission4900');
  });

  await test.step('copy every kind of item and read the clipboard', async () => {
    await envRow(page, SB).click();
    const who = `owner@connectgain.test (${SB})`;
    const auth = await copy(page, 'Copy Authorization header', `Copied Authorization header for ${who}`);
    await expect(toasts(page).getByText(/Clipboard clears in \d+ s/)).toBeVisible();
    expect(auth).toMatch(/^Authorization: Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const token = auth.replace('Authorization: Bearer ', '');
    expect(await copy(page, 'Copy apikey header', /Copied apikey header/)).toBe(`apikey: ${DEMO_CREDENTIALS.anonKey}`);
    expect(await copy(page, 'Copy X-API-Key header', /Copied X-API-Key header/)).toBe(`X-API-Key: ${DEMO_CREDENTIALS.apiKey}`);
    expect(await copy(page, 'Copy raw token', /Copied [Tt]oken for/)).toBe(token);
    const curl = await copy(page, 'Copy as curl', /Copied curl command/);
    expect(curl).toMatch(/^curl /);
    expect(curl).toContain(`Authorization: Bearer ${token}`);
    // Postman's Bulk Edit takes key:value lines; the single-use refresh token stays out unless ticked.
    const all = await copy(page, 'Copy all Postman variables (bulk edit)', /Copied .*Postman variables/);
    expect(all.split('\n')).toContain(`user_jwt_token:${token}`);
    expect(all).not.toMatch(/^\s*[{[]/);
    expect(all).not.toMatch(/refresh_token:\S/);
    await expect(toasts(page).getByText(/The refresh token was left out: Supabase refresh tokens are single-use/)).toBeVisible();
    await page.getByLabel('Include the refresh token').check();
    const withRefresh = await copy(page, 'Copy all Postman variables (bulk edit)', /Copied .*Postman variables/);
    expect(withRefresh).toMatch(/refresh_token:\S+/);
    await page.getByLabel('Include the refresh token').uncheck();

    await page.locator('summary', { hasText: 'Postman variables' }).click();
    const demoUrl = (await page.locator('.env-meta .url').textContent())!.trim();
    expect(await copy(page, 'Copy Postman variable url', /Copied .*url/)).toBe(demoUrl);
    expect(await copy(page, 'Copy Postman variable user_jwt_token', /Copied .*user_jwt_token/)).toBe(token);
    expect(await copy(page, 'Copy Postman variable organization_id', /Copied .*organization_id/)).toBe(DEMO_ORGANIZATION_ID);

    // Repeated copies are one toast that updates, not a stack.
    await dismissToasts(page);
    for (const name of ['Copy raw token', 'Copy as curl', 'Copy apikey header']) await page.getByRole('button', { name, exact: true }).click();
    await expect(toasts(page).getByText(/Copied apikey header/)).toBeVisible();
    await expect(toasts(page).locator('.toast')).toHaveCount(1);

    // In a browser Ctrl+Shift+C is "inspect element": the web UI says and takes Alt+Shift+C.
    await expect(page.getByRole('region', { name: 'Copy' }).getByText('Alt+Shift+C copies the Authorization header')).toBeVisible();
    await page.evaluate(() => navigator.clipboard.writeText('something else'));
    await page.keyboard.press('Alt+Shift+C');
    await expect(toasts(page).getByText(`Copied Authorization header for ${who}`)).toBeVisible();
    expect(await clipboard(page)).toBe(auth);
    await shoot(page, 'copied');
  });

  await test.step('export a Postman environment, without and with secrets', async () => {
    const [plain] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save Postman environment' }).click()]);
    expect(plain.suggestedFilename()).toMatch(/\.postman_environment\.json$/);
    const path = join(downloads, plain.suggestedFilename());
    await plain.saveAs(path);
    const env = JSON.parse(readFileSync(path, 'utf8')) as { name: string; values: Array<{ key: string; value: string }> };
    expect(env.name).toBe(SB);
    expect(env.values.find((v) => v.key === 'url')?.value).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.stringify(env)).not.toContain(DEMO_CREDENTIALS.anonKey);

    const [secret] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save with secrets' }).click()]);
    const secretPath = join(downloads, `secret-${secret.suggestedFilename()}`);
    await secret.saveAs(secretPath);
    expect(readFileSync(secretPath, 'utf8')).toContain(DEMO_CREDENTIALS.anonKey);
  });

  await test.step('the command palette jumps and copies', async () => {
    await dismissToasts(page);
    await page.keyboard.press('Control+K');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.getByRole('combobox', { name: 'Command palette' }).fill('go to demo session');
    await shoot(page, 'palette', { keepToasts: true });
    await page.keyboard.press('Enter');
    await expect(palette).toBeHidden();
    await expect(envRow(page, SS)).toHaveAttribute('aria-current', 'true');
    await page.keyboard.press('Control+K');
    await page.getByRole('combobox', { name: 'Command palette' }).fill('copy raw token');
    await page.keyboard.press('Enter');
    await expect(toasts(page).getByText(new RegExp(`Copied [Tt]oken for many@test\\.com( · [^()]+)? \\(${SS}\\)`))).toBeVisible();

    // The theme, chosen in the palette, outlives a reload; System follows the OS again.
    await page.keyboard.press('Control+K');
    await page.getByRole('combobox', { name: 'Command palette' }).fill('theme dark');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('button', { name: 'Theme: Dark. Switch to System' })).toBeVisible();
    await page.getByRole('button', { name: 'Theme: Dark. Switch to System' }).click();
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  });

  await test.step('at 900×600 it still reads well', async () => {
    await envRow(page, SB).click();
    await page.setViewportSize({ width: 900, height: 600 });
    await shoot(page, 'main-900x600');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await test.step('sign out (this session only)', async () => {
    await page.getByRole('button', { name: 'Sign out owner@connectgain.test (this session only)' }).click();
    await expect(toasts(page).getByText('Signed out owner@connectgain.test')).toBeVisible();
    const row = identities(page, SB).getByRole('listitem').filter({ hasText: 'owner@connectgain.test' });
    await expect(row).toContainText('signed out');
    await expect(row.getByRole('button', { name: 'Sign in again as owner@connectgain.test' })).toBeVisible();
  });
});

test('the web UI opened without its secret says where the address is and takes it pasted', async ({ page, bridge }) => {
  await page.goto(bridge.origin);
  const help = page.getByRole('alert');
  await expect(help.getByRole('heading', { name: 'This page needs the address with this run’s secret' })).toBeVisible();
  await expect(help).toContainText('The terminal that started it (npm run web, or npm start when it opened the browser) printed the address');
  // The bridge's own host and port, as its terminal printed them (issue 25: the page said 5174).
  await expect(help).toContainText(`a line like ${bridge.origin}/?token=…`);
  await expect(help.getByLabel('Address from the terminal')).toBeFocused();
  await shoot(page, 'web-secret');
  await help.getByLabel('Address from the terminal').fill(bridge.url);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Environments' }).or(page.getByRole('heading', { name: 'Welcome to TokenDesk' })).first()).toBeVisible();
  expect(new URL(page.url()).search, 'the secret leaves the address bar').toBe('');
});
