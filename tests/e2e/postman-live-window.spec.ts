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
import { envRow, startDemo } from './fixtures/window.js';

const cli = fileURLToPath(new URL('../../out/cli/tokendesk.cjs', import.meta.url));
const ENV = 'Demo Supabase';

async function tokendesk(home: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args], { env: { ...process.env, TOKENDESK_HOME: home } });
  return stdout;
}

interface PostmanFile {
  _postman_exported_at?: string;
  values: Array<{ key: string; value: string }>;
}

/** A Postman environment file without its export time (two exports a second apart differ in it) and, with `blankSecret`, its secret. */
function timeless(text: string, blankSecret = false): unknown {
  const { _postman_exported_at: at, ...rest } = JSON.parse(text) as PostmanFile;
  expect(at).toEqual(expect.any(String));
  return blankSecret ? { ...rest, values: rest.values.map((v) => (v.key === 'tokendesk_secret' ? { ...v, value: '' } : v)) } : rest;
}

/** What the file's endpoint secret serves (a scoped secret's payload: core/endpoint/scoped-secret.ts), without its expiry and nonce. */
function scopeOf(text: string): { scope: Array<{ env: string }>; for: string } {
  const secret = (JSON.parse(text) as PostmanFile).values.find((v) => v.key === 'tokendesk_secret')!.value;
  expect(secret).toMatch(/^tdx1\./);
  const { scope, for: madeFor } = JSON.parse(Buffer.from(secret.split('.')[1]!, 'base64url').toString()) as { scope: Array<{ env: string }>; for: string };
  return { scope, for: madeFor };
}

test('the Copy panel copies the Postman pre-request script and saves the live environment, as the CLI prints them', async ({ app: page, bridge }) => {
  await startDemo(page, ENV);
  await envRow(page, ENV).click();
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
  // Each export makes its own secret for this environment (scoped, with its own expiry and nonce): the rest is the same.
  expect(timeless(saved, true)).toEqual(timeless(printed, true));
  const scopes = [saved, printed].map((t) => scopeOf(t));
  expect(scopes[0]).toEqual(scopes[1]);
  expect(scopes[0]!.scope).toHaveLength(1);
  expect(scopes[0]!.for).toBe('Postman');
  // Not the install secret, and no token.
  const install = (JSON.parse(await tokendesk(bridge.home, ['endpoint', '--json', '--show-secret'])) as { secret: string }).secret;
  expect(saved).not.toContain(install);
  // (the secret's payload is base64url JSON, so it starts with eyJ: only the rest is looked at)
  const secret = (JSON.parse(saved) as PostmanFile).values.find((v) => v.key === 'tokendesk_secret')!.value;
  expect(saved.replace(secret, '')).not.toMatch(/eyJ/);
});
