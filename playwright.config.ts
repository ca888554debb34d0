import { defineConfig } from '@playwright/test';

/** Debian's Chromium (no Playwright browser download on these machines). */
const launchOptions = {
  executablePath: '/usr/bin/chromium',
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
