// Runs @doyensec/electronegativity over the Electron sources and fails on any finding that is not
// explained in security/electronegativity-allowlist.json (each entry: { check, file, reason }, and
// optionally `sample`: then only a finding on exactly that source text is explained, so a later
// change to the flagged code, e.g. a weaker CSP, needs a new review).
// The tool itself always exits 0 and its CLI is unreliable here, so its programmatic runner is used.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
// dist/runner.js ends with `module.exports = exports.default`: the module is the function itself.
const runner = require('@doyensec/electronegativity/dist/runner.js');
const run = typeof runner === 'function' ? runner : runner.default;

const INPUTS = ['src-main', 'src-preload'];
const ALLOWLIST_FILE = resolve(root, 'security/electronegativity-allowlist.json');

function loadAllowList() {
  const list = JSON.parse(readFileSync(ALLOWLIST_FILE, 'utf8'));
  if (!Array.isArray(list)) throw new Error(`${ALLOWLIST_FILE} must be a JSON array`);
  for (const e of list) {
    if (!e || typeof e.check !== 'string' || typeof e.file !== 'string' || typeof e.reason !== 'string' || e.reason.trim().length < 10) {
      throw new Error(`Every allow-list entry needs check, file and a real reason: ${JSON.stringify(e)}`);
    }
  }
  return list;
}

const allowList = loadAllowList();
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;

// One scan over main and preload together: the global checks (CSP, navigation limits, permission
// handler) look across all files, so scanning the folders apart reports false "missing" findings.
const work = mkdtempSync(join(tmpdir(), 'tokendesk-eng-'));
for (const input of INPUTS) cpSync(resolve(root, input), join(work, input), { recursive: true });

const findings = [];
const parseErrors = [];
// The tool logs progress and warnings on the console; keep only our summary.
const log = console.log;
const warn = console.warn;
let result;
console.log = () => {};
console.warn = () => {};
try {
  result = await run({
    input: work,
    output: undefined,
    isSarif: false,
    customScan: [],
    // A global check that looks up Electron security releases online: not applicable offline.
    excludeFromScan: ['availablesecurityfixesglobalcheck'],
    severitySet: undefined,
    confidenceSet: undefined,
    isRelative: false,
    electronUpgrade: undefined,
    electronVersionOverride: electronVersion,
  });
} finally {
  console.log = log;
  console.warn = warn;
  rmSync(work, { recursive: true, force: true });
}
const toRepoPath = (file) => (file && file !== 'N/A' ? relative(work, resolve(work, String(file))) : '(global)');
for (const issue of result.issues) {
  findings.push({
    check: issue.id,
    file: toRepoPath(issue.file),
    line: issue.location?.line,
    description: issue.description,
    sample: issue.sample,
    manualReview: Boolean(issue.manualReview),
  });
}
for (const e of result.errors) if (!e.tolerable) parseErrors.push(`${toRepoPath(e.file)}: ${e.message}`);

const matches = (a, f) => a.check === f.check && (a.file === f.file || a.file === '*') && (a.sample === undefined || a.sample === f.sample);
const explained = (f) => allowList.some((a) => matches(a, f));
const unexplained = findings.filter((f) => !explained(f));
const unusedAllow = allowList.filter((a) => !findings.some((f) => matches(a, f)));

for (const e of parseErrors) console.warn(`electronegativity could not parse ${e}`);
for (const a of unusedAllow) console.warn(`allow-list entry no longer needed: ${a.check} in ${a.file}`);
if (unexplained.length) {
  console.error(`electronegativity: ${unexplained.length} finding(s) not explained in security/electronegativity-allowlist.json:`);
  for (const f of unexplained) {
    console.error(`  ${f.check}  ${f.file}${f.line ? `:${f.line}` : ''}${f.manualReview ? ' (review)' : ''}\n      ${f.description}${f.sample ? `\n      ${String(f.sample).slice(0, 200)}` : ''}`);
  }
  console.error('Fix the code, or (for a genuine false positive) add { check, file, reason } to the allow-list or an `// eng-disable CHECK_ID` comment with the reason.');
  process.exit(1);
}
console.log(`electronegativity (Electron ${electronVersion}): ${findings.length} finding(s), all explained (${allowList.length} allow-list entries); scanned ${INPUTS.join(', ')}.`);
