/**
 * Issue 22 in the window, against the real core through the web bridge and the embedded demo GoTrue:
 * the Supabase environment's methods in the picker (its social sign-ins included), an emailed code
 * read from the demo mailbox, the TOTP step after a password (the identity then says aal2), and the
 * browser wait of a social sign-in with the redirect URL to allow, finished over HTTP as a browser
 * would. Screenshots go to .tmp/look/ (light and dark, 900 and 1280 wide); axe judges each.
 */
import type { Page } from '@playwright/test';
import { DEMO_SUPABASE_EXTRAS, totpNow, type DemoMessage } from '../../src-main/core/demo-server/index.js';
import { expect, test } from './fixtures/bridge.js';
import { look } from './fixtures/screens.js';
import { envRow, identities, shownUrl, startDemo } from './fixtures/window.js';

const SB = 'Demo Supabase';
// Each look is eight screenshots and two axe runs: a test of two looks needs more than the default.
test.setTimeout(300_000);

/** The demo, with Demo Supabase selected; its URL (the demo server's). */
async function demoSupabase(page: Page): Promise<string> {
  await startDemo(page, SB);
  await envRow(page, SB).click();
  return shownUrl(page);
}

const picker = (page: Page) => page.getByRole('form', { name: `Sign in to ${SB}` }).getByRole('group', { name: 'Sign in with' });

test('the method picker, then an emailed code read from the demo mailbox', async ({ app: page }) => {
  const demoUrl = await demoSupabase(page);
  const form = page.getByRole('form', { name: `Sign in to ${SB}` });
  for (const m of ['Email and password', 'Email code', 'Email link', 'Phone and password', 'Text message code', 'Continue with GitHub', 'Continue with Google', 'Import a browser session']) {
    await expect(picker(page).getByRole('radio', { name: new RegExp(`^${m}`) })).toHaveCount(1);
  }
  await look(page, 'sb-methods');

  await picker(page).getByRole('radio', { name: /^Email code/ }).check();
  await form.getByLabel('Email', { exact: true }).fill('agent@connectgain.test');
  await form.getByRole('button', { name: 'Sign in' }).click();
  const step = page.getByRole('group', { name: 'Enter the code' });
  await expect(step).toContainText('A code was sent to agent@connectgain.test');
  await look(page, 'sb-code');
  const [mail] = ((await (await fetch(`${demoUrl}/demo/mailbox.json?to=agent@connectgain.test`)).json()) as { messages: DemoMessage[] }).messages;
  await step.getByLabel('Code', { exact: true }).fill(mail!.otp);
  await step.getByRole('button', { name: 'Sign in' }).click();
  await expect(identities(page, SB).getByRole('listitem')).toContainText('agent@connectgain.test');
});

test('password, then the TOTP step; the identity shows aal2', async ({ app: page }) => {
  await demoSupabase(page);
  const form = page.getByRole('form', { name: `Sign in to ${SB}` });
  const { mfa } = DEMO_SUPABASE_EXTRAS;
  await form.getByLabel('Email', { exact: true }).fill(mfa.email);
  await form.getByLabel('Password', { exact: true }).fill(mfa.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  const step = page.getByRole('group', { name: 'Two-factor code' });
  await step.getByLabel('Code', { exact: true }).fill('000000');
  await step.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('group', { name: 'Two-factor code' })).toContainText('The authenticator code was not accepted');
  await look(page, 'sb-mfa');
  const again = page.getByRole('group', { name: 'Two-factor code' });
  await again.getByLabel('Code', { exact: true }).fill(totpNow(mfa.totpSecret, Date.now()));
  await again.getByRole('button', { name: 'Verify' }).click();
  const row = identities(page, SB).getByRole('listitem');
  await expect(row).toContainText('2FA · aal2');
  await look(page, 'sb-aal2');
});

test('social sign-in: the browser wait with the redirect URL to allow, finished in another browser', async ({ app: page }) => {
  await demoSupabase(page);
  const form = page.getByRole('form', { name: `Sign in to ${SB}` });
  await picker(page).getByRole('radio', { name: /^Continue with GitHub/ }).check();
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Continue in your browser' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Redirect URL to allow in the Supabase project' })).toHaveValue('http://127.0.0.1:*/callback');
  await look(page, 'sb-browser-wait');
  // The provider's page, played as a browser would: "Continue as owner@…", then GoTrue's callback, then TokenDesk's listener.
  const url = new URL(await page.getByRole('textbox', { name: 'Sign-in address' }).inputValue());
  const form2 = new URLSearchParams({ state: url.searchParams.get('state')!, redirect_uri: url.searchParams.get('redirect_uri')!, decision: 'allow:owner@connectgain.test' });
  const back = await fetch(`${url.origin}/demo/oauth/github/decide`, { method: 'POST', body: form2 });
  expect(await back.text()).toContain('You may close this tab');
  await expect(identities(page, SB).getByRole('listitem')).toContainText('owner@connectgain.test');
});
