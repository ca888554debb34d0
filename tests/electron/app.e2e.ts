// Electron end-to-end: launch the built app, sign in to the embedded demo server, copy a header and
// read the clipboard in the main process. Needs a real Electron binary (and a Secret Service, as in
// `npm test`); where there is none the test is skipped with the reason printed.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import type { AppState } from '../../src-main/contract/types.js';
// window.tokendesk is typed by src-preload/global.d.ts.

const root = fileURLToPath(new URL('../..', import.meta.url));
const mainEntry = join(root, 'out', 'main', 'index.js');

function electronBinary(): { path?: string; reason?: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { reason: `the Electron binary is missing (${String(path)})` };
  } catch (e) {
    return { reason: `no Electron binary on this machine (${e instanceof Error ? e.message : 'require failed'})` };
  }
}

const binary = electronBinary();
const skipReason = binary.path ? (existsSync(mainEntry) ? undefined : 'the app is not built (run `npm run build`)') : binary.reason;
if (skipReason) console.log(`[tests/electron] skipped: ${skipReason}`);

test.describe('TokenDesk desktop app', () => {
  test.skip(Boolean(skipReason), skipReason ?? '');

  let home: string;
  test.beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'tokendesk-e2e-electron-'));
  });
  test.afterEach(() => rmSync(home, { recursive: true, force: true }));

  test('sign in to the demo server, copy the Authorization header, the clipboard holds it in main only', async () => {
    const app = await electron.launch({
      executablePath: binary.path,
      args: [mainEntry, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, TOKENDESK_HOME: home, ELECTRON_RENDERER_URL: '' },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');

      // The page sees the preload's named functions only: no Node, no ipcRenderer.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys(window.tokendesk ?? {}).includes('invoke'))).toBe(false);

      const state = (await page.evaluate(() => window.tokendesk!.startDemo({}))) as AppState;
      const env = state.environments.find((e) => e.provider === 'supabase');
      expect(env, 'a Supabase demo environment').toBeTruthy();

      await page.evaluate(
        ({ envId }) => window.tokendesk!.signIn({ envId, email: 'owner@connectgain.test', password: 'demo-password' }),
        { envId: env!.id },
      );
      const copied = await page.evaluate(({ envId }) => window.tokendesk!.copy({ envId, item: { kind: 'authorization-header' } }), { envId: env!.id });
      expect(copied.text).toBeUndefined(); // the renderer never holds the secret
      expect(copied.clearsInSeconds).toBe(60);

      const clip = await app.evaluate(({ clipboard }) => clipboard.readText());
      expect(clip).toMatch(/^Authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+$/);

      // Navigation away from the app page is refused.
      await page.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await page.waitForTimeout(300);
      expect(page.url()).toMatch(/^file:.*\/out\/renderer\/index\.html/);
    } finally {
      await app.close();
    }
  });
});
