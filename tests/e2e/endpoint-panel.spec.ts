/**
 * Issue 23 (window), in Chromium through the web bridge, whose app service serves the endpoint: the
 * Endpoint panel says where it is and whether it runs, copies the secret without showing it, and its
 * access log gains a line when a tool calls (a real call, with the copied secret). Where the default
 * port is taken on this machine (the desktop app, tokendesk serve) the panel must say so instead.
 */
import { request } from 'node:http';
import { clipboard, expect, test } from './fixtures/bridge.js';
import { sidebar } from './fixtures/window.js';

function status(url: string, secret: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: '/v1/status', headers: { Authorization: `Bearer ${secret}`, 'User-Agent': 'e2e-caller/1.0' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the Endpoint panel: URL, state, the secret copied not shown, and a call in its log', async ({ app: page }) => {
  const welcome = page.getByRole('button', { name: 'Try the demo server' });
  await expect(welcome.or(sidebar(page))).toBeVisible();
  if (await welcome.isVisible()) await welcome.click();
  await sidebar(page).getByRole('button', { name: 'Endpoint' }).click();
  const panel = page.getByRole('dialog', { name: 'Local credential endpoint' });
  await expect(panel).toBeVisible();
  const url = (await panel.locator('code.mono').first().textContent()) ?? '';
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  await panel.getByRole('button', { name: 'Copy the endpoint secret' }).click();
  await expect(page.getByText('Copied endpoint secret')).toBeVisible();
  const secret = await clipboard(page);
  expect(secret.length).toBeGreaterThanOrEqual(40);
  await expect(panel).not.toContainText(secret);

  if (await panel.getByText('Not running').isVisible()) {
    // Another program holds the port on this machine: the panel says which port and what to do.
    await expect(panel).toContainText(/Port \d+ is in use/);
    return;
  }
  await expect(panel.getByText('Running')).toBeVisible();
  expect(await status(url, secret)).toBe(200);
  await expect(panel.getByRole('region', { name: 'Endpoint access log' })).toContainText('e2e-caller/1.0');
  await expect(panel.getByRole('region', { name: 'Endpoint access log' })).toContainText('/v1/status');
});
