// The runners of `npm test` after typecheck, lint and build (scripts/test-plan.mjs), started with node
// itself so that they run the same from sh and from Windows' cmd.exe; then the one summary line.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPORTS, TEST_STEPS } from './test-plan.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** A package's bin entry, so it runs under this node without a shim. */
function binOf(pkg, name) {
  const manifest = require.resolve(`${pkg}/package.json`);
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin[name]);
}

// A report left by an earlier run must not stand in for a runner that did not run this time.
for (const r of REPORTS) rmSync(join(root, r), { force: true });
let failed;
for (const step of TEST_STEPS) {
  const entry = step.bin ? binOf(...step.bin) : join(root, step.script);
  const r = spawnSync(process.execPath, [entry, ...step.args], { stdio: 'inherit', cwd: root, env: { ...process.env, ...step.env } });
  if (r.status !== 0) {
    failed = `${step.name} failed (${r.error?.message ?? (r.signal ? `signal ${r.signal}` : `exit ${r.status}`)})`;
    break;
  }
}
const summary = spawnSync(process.execPath, [join(root, 'scripts/test-summary.mjs')], { stdio: 'inherit', cwd: root });
if (failed) console.error(`npm test: ${failed}`);
process.exit(failed || summary.status !== 0 ? 1 : 0);
