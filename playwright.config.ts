import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * Debian's Chromium where it exists (our machines cannot download Playwright's browsers);
 * CHROMIUM_PATH picks another; elsewhere Playwright's own Chromium (npx playwright install).
 */
const chromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const launchOptions = {
  ...(chromium && { executablePath: chromium }),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export default defineConfig({
  workers: 1,
  reporter: 'list',
  timeout: 120_000,
  expect: { timeout: 10_000 },
  outputDir: 'test-results',
  use: {
    launchOptions,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
  },
  projects: [
    // The renderer in Chromium through the web bridge (out/web/web-bridge.mjs, after `npm run build`).
    { name: 'web', testDir: 'tests/e2e', testMatch: /.*\.spec\.ts$/ },
    // The Electron app via Playwright's _electron; these skip themselves where no Electron binary exists.
    { name: 'electron', testDir: 'tests/electron', testMatch: /.*\.e2e\.ts$/ },
  ],
});
