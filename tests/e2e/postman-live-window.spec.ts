/**
 * Issue 23 (window), in Chromium through the web bridge: the Copy panel offers the live Postman pair,
 * and what it gives is what the CLI prints for the same environment in the same home: the collection
 * pre-request script (`export --format postman-script`) and the live environment (`--format postman
 * --live`, the endpoint's URL and secret, no token). Needs `npm run build` (the CLI is the built one).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { clipboard, expect, test } from './fixtures/bridge.js';

const cli = fileURLToPath(new URL('../../out/cli/tokendesk.cjs', import.meta.url));
const ENV = 'Demo Supabase';

async function tokendesk(home: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args], { env: { ...process.env, TOKENDESK_HOME: home } });
  return stdout;
}

/** A Postman environment file without its export time (the one field two exports a second apart differ in). */
function timeless(text: string): unknown {
  const { _postman_exported_at: at, ...rest } = JSON.parse(text) as Record<string, unknown>;
  expect(at).toEqual(expect.any(String));
  return rest;
}

test('the Copy panel copies the Postman pre-request script and saves the live environment, as the CLI prints them', async ({ app: page, bridge }) => {
  const welcome = page.getByRole('button', { name: 'Try the demo server' });
  await expect(welcome).toBeVisible();
  await welcome.click();
  await page.getByRole('navigation', { name: 'Environments' }).getByRole('button', { name: new RegExp(`^${ENV}`) }).click();
  const live = page.getByRole('group', { name: 'Postman with fresh tokens' });
  // Nobody is signed in: the script holds no token, so it is offered all the same.
  await expect(live).toContainText('so it must be running: this app runs it while it is open');

  await live.getByRole('button', { name: 'Copy Postman pre-request script' }).click();
  await expect(page.getByText(`Copied Postman pre-request script for ${ENV}`)).toBeVisible();
  const copied = await clipboard(page);
  expect(copied).toContain('pm.sendRequest');
  expect(copied).toBe(await tokendesk(bridge.home, ['export', '--env', ENV, '--format', 'postman-script']));

  const [download] = await Promise.all([page.waitForEvent('download'), live.getByRole('button', { name: 'Save live environment' }).click()]);
  expect(download.suggestedFilename()).toBe('Demo-Supabase-live.postman_environment.json');
  const file = join(test.info().outputPath(), download.suggestedFilename());
  await download.saveAs(file);
  const saved = readFileSync(file, 'utf8');
  const printed = await tokendesk(bridge.home, ['export', '--env', ENV, '--format', 'postman', '--live']);
  expect(timeless(saved)).toEqual(timeless(printed));
  // The endpoint's secret (the same install's), and no token.
  expect(saved).toMatch(/"key": "tokendesk_secret",\s*"value": "[A-Za-z0-9_-]{40,}"/);
});
