#!/usr/bin/env node
// Renderer benchmark (not a test), in Chromium with an in-memory API:
//  1. first render with 200 environments x 5 identities (from script start to all sidebar rows in the DOM);
//  2. per-keystroke filter time over a 5,000-entry permission list (input event -> React commit -> layout),
//     and the same for the 200-row sidebar filter. Goal: within one frame (16 ms).
// Usage: node scripts/bench-renderer.mjs [--runs 5]
import { chromium } from 'playwright-core';
import { buildHarness } from '../tests/e2e/fixtures/build-harness.mjs';
import { serveStatic } from '../tests/e2e/fixtures/serve-static.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const ENVS = 200;
const IDS = 5;
const PERMS = 5000;

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: at(0.5), p95: at(0.95), max: s[s.length - 1] };
};
const ms = (x) => `${x.toFixed(1)} ms`;

const srv = await serveStatic(await buildHarness());
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const url = `${srv.url}/?scenario=bench&envs=${ENVS}&permissions=${PERMS}&latency=0&expectRows=${ENVS}`;

  const first = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(url);
    await page.waitForFunction(() => window.__renderedAt !== undefined, null, { timeout: 30_000 });
    first.push(await page.evaluate(() => window.__renderedAt - window.__t0));
  }
  const f = stats(first);
  console.log(`first render, ${ENVS} environments x ${IDS} identities: median ${ms(f.median)}, max ${ms(f.max)} (${runs} runs; API answer in-memory)`);

  /** Types `text` one character at a time into the input; returns per-keystroke sync times. */
  const typeTimed = (selector, text) =>
    page.evaluate(
      ({ selector, text }) => {
        const input = document.querySelector(selector);
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
        const times = [];
        let value = '';
        for (const ch of text) {
          value += ch;
          const t0 = performance.now();
          setter.call(input, value);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          void document.body.offsetHeight; // include style and layout
          times.push(performance.now() - t0);
        }
        setter.call(input, '');
        input.dispatchEvent(new Event('input', { bubbles: true }));
        return times;
      },
      { selector, text },
    );

  await page.waitForSelector('[aria-label="Search permissions"]');
  const count = await page.locator('.perm-count').innerText();
  const permTimes = [];
  for (let i = 0; i < runs; i++) permTimes.push(...(await typeTimed('[aria-label="Search permissions"]', 'benchpermission4999')));
  const p = stats(permTimes);
  const over = permTimes.filter((t) => t > 16).length;
  console.log(`permission filter (${count}), per keystroke: median ${ms(p.median)}, p95 ${ms(p.p95)}, max ${ms(p.max)}; ${over}/${permTimes.length} over 16 ms ${p.p95 <= 16 ? '✓ within a frame' : '✗ over a frame'}`);

  const envTimes = [];
  for (let i = 0; i < runs; i++) envTimes.push(...(await typeTimed('[aria-label="Filter environments"]', 'environment-19')));
  const e = stats(envTimes);
  console.log(`sidebar filter (${ENVS} environments), per keystroke: median ${ms(e.median)}, p95 ${ms(e.p95)}, max ${ms(e.max)} ${e.p95 <= 16 ? '✓ within a frame' : '✗ over a frame'}`);
} finally {
  await browser.close();
  await srv.close();
}
