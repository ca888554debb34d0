/**
 * Issue 20's three additions in the window, against the real core through the web bridge and the
 * embedded demo server: a pasted token (the demo token chip, an identity with no expiry, a token the
 * API refuses), Supabase's "Import a browser session" (its help, a malformed paste, a real session
 * taken from the demo server over HTTP as a web app would), and the Session API kind's settings in
 * the Add environment form (paths, field names, a mapping refused at its field). Screenshots of each
 * go to .tmp/look/ (light and dark, 900 and 1280 wide) for a person to look at; axe judges each.
 */
import { DEMO_CREDENTIALS } from '../../src-main/core/demo-server/index.js';
import { expect, test } from './fixtures/bridge.js';
import { look } from './fixtures/screens.js';
import { envRow, identities, shownUrl, sidebar, startDemo } from './fixtures/window.js';

const TOKENS = 'Demo token API';
const SB = 'Demo Supabase';
const dana = DEMO_CREDENTIALS.bearer.find((t) => t.email === 'dana@pat.test')!;
const bot = DEMO_CREDENTIALS.bearer.find((t) => t.email === '')!;
const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;

test('a pasted token: the demo chip, no expiry, a refused token', async ({ app: page }) => {
  await startDemo(page, TOKENS);
  await envRow(page, TOKENS).click();
  const form = page.getByRole('form', { name: `Sign in to ${TOKENS}` });
  const token = form.getByLabel('Token', { exact: true });
  await expect(token).toBeVisible();
  await look(page, 'paste-token');
  await form.getByRole('button', { name: `Fill in demo token ${dana.label}` }).click();
  await expect(token).toHaveValue(dana.token);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(form).toBeHidden();
  // An opaque token names nobody: the identity is its hash, and it never ends by itself.
  const row = identities(page, TOKENS).getByRole('listitem');
  await expect(row).toContainText(/^Pasted token [0-9a-f]{12}/);
  await expect(row).toContainText('valid · no expiry');
  await expect(row).toContainText('needs no renewal');
  await expect(envRow(page, TOKENS)).toContainText(/Pasted token [0-9a-f]{12} · Pasted token/);
  const panel = page.getByRole('region', { name: 'Token' });
  await expect(panel.getByText('no expiry', { exact: true })).toBeVisible();
  // Not the year-long keeping time dressed up as an expiry date, nor a lifetime bar.
  await expect(panel.getByRole('meter', { name: 'Token lifetime left' })).toHaveCount(0);
  await expect(panel).not.toContainText(/in \d+:\d\d/);
  await look(page, 'pasted-token');
});

test('a pasted token the API refuses is said, and one naming nobody is "Pasted token <hash>"', async ({ app: page }) => {
  await startDemo(page, TOKENS);
  await envRow(page, TOKENS).click();
  const form = page.getByRole('form', { name: `Sign in to ${TOKENS}` });
  await form.getByLabel('Token', { exact: true }).fill('tdpat_revoked_000000000000');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(form.getByRole('alert')).toHaveText(/The API refused this token at \/pat\/v1\/me \(401\): Bad credentials; nothing was stored/);
  // The secret is not kept on screen after it was sent.
  await expect(form.getByLabel('Token', { exact: true })).toHaveValue('');
  await expect(identities(page, TOKENS)).toBeHidden();
  await look(page, 'paste-token-refused');

  await form.getByRole('button', { name: `Fill in demo token ${bot.label}` }).click();
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(form).toBeHidden();
  const row = identities(page, TOKENS).getByRole('listitem');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/^Pasted token [0-9a-f]{12}/);
  await expect(row).toContainText('no expiry');
  // Its label is not repeated as a name, nor shown as an email it does not have.
  await expect(row.getByText(/^Pasted token /)).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'Signed in as' }).getByText('Email')).toHaveCount(0);
});

/** Signs in over plain HTTP as the web app would, and gives what supabase-js keeps in Local Storage. */
async function browserSession(demoUrl: string): Promise<string> {
  const res = await fetch(`${demoUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: DEMO_CREDENTIALS.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email: owner.email, password: owner.password }),
  });
  expect(res.status).toBe(200);
  return JSON.stringify(await res.json());
}

test('Supabase: import a browser session, a malformed one refused first', async ({ app: page }) => {
  await startDemo(page, TOKENS);
  const demoUrl = await shownUrl(page);
  await envRow(page, SB).click();
  const form = page.getByRole('form', { name: `Sign in to ${SB}` });
  await form.getByRole('group', { name: 'Sign in with' }).getByRole('radio', { name: /^Import a browser session/ }).check();
  const pasted = form.getByRole('textbox', { name: /session/i });
  await expect(pasted).toBeVisible();
  await expect(form.getByText(/sb-<[^>]+>-auth-token/)).toBeVisible();
  await look(page, 'browser-session');

  await pasted.fill('{"access_token": "not a jwt"');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(form.getByRole('alert')).toHaveText(/The pasted JSON is not valid JSON/);
  await expect(identities(page, SB)).toBeHidden();
  await look(page, 'browser-session-error');

  await pasted.fill(await browserSession(demoUrl));
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(form).toBeHidden();
  await expect(identities(page, SB).getByText(owner.email)).toBeVisible();
  await expect(identities(page, SB).getByText('renews itself (refresh token)')).toBeVisible();
});

test('Session API at custom paths: the settings in the Add environment form, a bad mapping refused at its field', async ({ app: page }) => {
  await startDemo(page, TOKENS);
  await sidebar(page).getByRole('button', { name: 'Add environment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add environment' });
  await dialog.getByRole('group', { name: 'Provider' }).getByRole('radio', { name: /^Session API/ }).check();
  await dialog.getByLabel('Login path').scrollIntoViewIfNeeded();
  await look(page, 'session-api-form');
  for (const label of ['Login path', 'Session path', 'Logout path', 'Identifier field', 'Password field', 'Answer mappings']) {
    await expect(dialog.getByLabel(label, { exact: true })).toBeVisible();
  }
  await dialog.getByLabel('Name', { exact: true }).fill('Own API');
  await dialog.getByLabel('Base URL').fill('https://api.example.com');
  await dialog.getByLabel('Login path').fill('/v2/sessions');
  await dialog.getByLabel('Identifier field').fill('username');
  const map = dialog.getByLabel('Answer mappings', { exact: true });
  await map.fill('token=data.accessToken\nexpires data.expiresIn');
  await dialog.getByRole('button', { name: 'Add environment' }).click();
  await expect(dialog).toBeVisible();
  await expect(map).toHaveAttribute('aria-invalid', 'true');
  await expect(map).toHaveAccessibleDescription(/"expires data\.expiresIn" is not FIELD=dot\.path/);
  await look(page, 'session-api-settings');

  await map.fill('token=data.accessToken\nexpires=data.expiresIn');
  await dialog.getByRole('button', { name: 'Add environment' }).click();
  await expect(dialog).toBeHidden();
  await expect(envRow(page, 'Own API')).toBeVisible();
});
