// Prints one closing line over both runners ("N passed, N failed, N skipped"), read from their JSON
// reports, after the skipped tests by file and name: a runner that skips (no tmpfs, no display, another
// OS) says which tests did not run, and the tests print why.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { skippedTests } from './test-plan.mjs';

const read = (f) => {
  try {
    return JSON.parse(readFileSync(f, 'utf8'));
  } catch {
    return undefined;
  }
};
const v = read('.tmp/vitest.json');
const p = read('.tmp/playwright.json');
const passed = (v?.numPassedTests ?? 0) + (p?.stats?.expected ?? 0) + (p?.stats?.flaky ?? 0);
const failed = (v?.numFailedTests ?? 0) + (p?.stats?.unexpected ?? 0);
const skipped = (v?.numPendingTests ?? 0) + (v?.numTodoTests ?? 0) + (p?.stats?.skipped ?? 0);
for (const line of skippedTests(v, p, fileURLToPath(new URL('..', import.meta.url)))) console.log(`Skipped: ${line}`);
if (!v || !p) console.log(`Summary: a report is missing (${!v ? 'vitest' : 'playwright'})`);
console.log(`Summary: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || !v || !p ? 1 : 0);
