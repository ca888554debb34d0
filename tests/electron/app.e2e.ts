// Electron end-to-end: the app started the way `npm start` starts it (`electron .`, the package's main),
// through the real UI: it renders, signs in to the embedded demo server, copies the Authorization
// header, and the clipboard is cleared. Any page error, console error or CSP violation, from the first
// page load on, fails the test. Needs a real Electron binary, a display on Linux (DISPLAY or
// WAYLAND_DISPLAY: CI runs it under xvfb-run) and a Secret Service, as in `npm test`; where one is missing
// the test is skipped with the reason printed — unless TOKENDESK_REQUIRE_ELECTRON=1 (CI), then it fails.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type Page } from '@playwright/test';
import { displayMissing, thisMachine } from '../helpers/platform-guards.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };

/** The binary electron's index.js hands out (node_modules/electron/path.txt under dist/), without requiring it. */
function electronBinary(): { path?: string; reason?: string } {
  const dir = join(root, 'node_modules', 'electron');
  try {
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8');
    const path = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist'), rel);
    return existsSync(path) ? { path } : { reason: `the Electron binary is missing (${path})` };
  } catch {
    return { reason: 'no Electron binary on this machine (npm install leaves it out; `npm start` or `node node_modules/electron/install.js` fetches it)' };
  }
}

const binary = electronBinary();
const mainEntry = join(root, pkg.main);
const reason =
  binary.reason ?? (existsSync(mainEntry) ? undefined : `the app is not built (${pkg.main} is missing; run \`npm run build\`)`) ?? displayMissing(thisMachine());
const required = process.env.TOKENDESK_REQUIRE_ELECTRON === '1';
if (reason && !required) console.log(`[tests/electron] skipped: ${reason}`);

const SB = 'Demo Supabase';

/**
 * Page errors, console errors and CSP violations since the window's first load: Playwright keeps a page's
 * last 200 of each from the moment it attached (before the page ran), so nothing logged before the test
 * could add a listener is missed.
 */
async function problemsOf(page: Page): Promise<string[]> {
  const messages = await page.consoleMessages({ filter: 'all' });
  const errors = await page.pageErrors({ filter: 'all' });
  return [
    ...errors.map((e) => `page error: ${e.message}`),
    ...messages.filter((m) => m.type() === 'error' || /Content[- ]Security[- ]Policy/i.test(m.text())).map((m) => `console ${m.type()}: ${m.text()}`),
  ];
}

test.describe('TokenDesk desktop app', () => {
  test.skip(Boolean(reason) && !required, reason ?? '');

  let home = '';
  test.beforeEach(() => {
    if (reason) throw new Error(`TOKENDESK_REQUIRE_ELECTRON=1 but ${reason}`);
    home = mkdtempSync(join(tmpdir(), 'tokendesk-e2e-electron-'));
  });
  test.afterEach(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test('renders, signs in to the demo server, copies the Authorization header and clears the clipboard', async () => {
    const app = await electron.launch({
      executablePath: binary.path,
      cwd: root,
      // `.` like `npm start`: Electron reads package.json's main. --no-sandbox only where the test itself
      // runs as root (a CI container), where Chromium refuses its sandbox.
      args: ['.', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, TOKENDESK_HOME: home, ELECTRON_RENDERER_URL: '' },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      // The first load alone: a CSP that blocks the app's own script or style shows here.
      expect(await problemsOf(page)).toEqual([]);

      // The page sees the preload's named functions only: no Node, no ipcRenderer.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys(window.tokendesk ?? {}).includes('invoke'))).toBe(false);

      await expect(page.getByRole('heading', { name: 'Welcome to TokenDesk' })).toBeVisible();
      // A short clear delay so the test sees the clipboard emptied.
      await page.evaluate(() => window.tokendesk!.updateSettings({ clipboardClearSeconds: 2 }));

      await page.getByRole('button', { name: 'Try the demo server' }).click();
      const form = page.getByRole('form', { name: `Sign in to ${SB}` });
      await expect(form).toBeVisible();
      await form.getByLabel('Email').fill('owner@connectgain.test');
      await form.getByLabel('Password', { exact: true }).fill('demo-password');
      await form.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('list', { name: `Identities in ${SB}` }).getByText(/valid · \d+:\d\d(:\d\d)? left/)).toBeVisible();

      await page.getByRole('button', { name: 'Copy Authorization header', exact: true }).click();
      const readClipboard = () => app.evaluate(({ clipboard }) => clipboard.readText());
      expect(await readClipboard()).toMatch(/^Authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      await expect.poll(readClipboard, { timeout: 10_000 }).toBe('');
      await expect(page.getByRole('region', { name: 'Notifications' }).getByText('Clipboard cleared').first()).toBeVisible();

      // Navigation away from the app page is refused.
      const appUrl = page.url();
      await page.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await page.waitForTimeout(300);
      expect(page.url()).toBe(appUrl);

      expect(await problemsOf(page)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
