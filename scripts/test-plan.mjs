// What `npm test` runs, as plain data and pure functions (tested in tests/unit/test-command.test.ts):
// the command must work from Windows' cmd.exe as well as from sh, so no step is a shell script except
// the Linux keyring wrapper, which only Linux uses.

/**
 * The command that runs `argv` with a keychain the tests may use. Linux: inside scripts/with-keyring.sh
 * (a private D-Bus session with a throwaway, unlocked gnome-keyring), unless one is already there
 * (TOKENDESK_KEYRING_READY=1). macOS and Windows: as is, against the Keychain / Credential Manager.
 */
export function keyringCommand({ platform, env, argv }) {
  if (argv.length === 0) throw new Error('with-keyring: no command given');
  if (platform === 'linux' && env.TOKENDESK_KEYRING_READY !== '1') return ['sh', ['scripts/with-keyring.sh', ...argv]];
  return [argv[0], argv.slice(1)];
}

/** The test runners after typecheck, lint and build, in order; the first failure stops the rest. */
export const TEST_STEPS = [
  { name: 'vitest', bin: ['vitest', 'vitest'], args: ['run', '--reporter=default', '--reporter=json', '--outputFile.json=.tmp/vitest.json'] },
  { name: 'electronegativity', script: 'scripts/electronegativity.mjs', args: [] },
  { name: 'playwright', bin: ['@playwright/test', 'playwright'], args: ['test', '--reporter=list,json'], env: { PLAYWRIGHT_JSON_OUTPUT_NAME: '.tmp/playwright.json' } },
];
export const REPORTS = ['.tmp/vitest.json', '.tmp/playwright.json'];

/**
 * Every skipped test by file and name (with Playwright's skip reason), so a run that skipped tests says
 * which: vitest's JSON report (pending/skipped/todo) and Playwright's (a test whose status is skipped).
 */
export function skippedTests(vitest, playwright, root = '') {
  const rel = (f) => (root && f.startsWith(root) ? f.slice(root.length).replace(/^[\\/]+/, '') : f).replaceAll('\\', '/');
  const out = [];
  for (const file of vitest?.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (['pending', 'skipped', 'todo'].includes(t.status)) out.push(`${rel(file.name)} › ${t.fullName}`);
    }
  }
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue;
        const why = (t.annotations ?? []).find((a) => a.type === 'skip' && a.description)?.description;
        out.push(`${rel(spec.file ?? file)} › ${spec.title}${why ? ` (${why})` : ''}`);
      }
    }
    for (const s of suite.suites ?? []) walk(s, s.file ?? file);
  };
  for (const s of playwright?.suites ?? []) walk(s, s.file ?? '');
  return out;
}
