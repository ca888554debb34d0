// `npm test` on the three runners: Windows runs npm scripts in cmd.exe, where neither a .sh script nor
// `sh -c '…'` starts; only Linux wraps the runners in scripts/with-keyring.sh (gnome-keyring over D-Bus).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyringCommand, skippedTests, TEST_STEPS } from '../../scripts/test-plan.mjs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('the test command', () => {
  it('npm test and test:unit start nothing that needs sh (cmd.exe runs them on Windows)', () => {
    for (const name of ['test', 'test:unit']) {
      const script = pkg.scripts[name]!;
      expect(script).not.toMatch(/(^|[\s&|;])sh\s/);
      expect(script).not.toMatch(/\.sh\b/);
      expect(script).not.toMatch(/(^|\s)[A-Z_]+=\S/); // VAR=value before a command is sh syntax
    }
    expect(pkg.scripts.test).toBe('npm run typecheck && npm run lint && npm run build && node scripts/with-keyring.mjs node scripts/test-run.mjs');
  });

  it('wraps in scripts/with-keyring.sh on Linux only, and not twice', () => {
    const argv = ['node', 'scripts/test-run.mjs'];
    expect(keyringCommand({ platform: 'linux', env: {}, argv })).toEqual(['sh', ['scripts/with-keyring.sh', 'node', 'scripts/test-run.mjs']]);
    expect(keyringCommand({ platform: 'linux', env: { TOKENDESK_KEYRING_READY: '1' }, argv })).toEqual(['node', ['scripts/test-run.mjs']]);
    expect(keyringCommand({ platform: 'darwin', env: {}, argv })).toEqual(['node', ['scripts/test-run.mjs']]);
    expect(keyringCommand({ platform: 'win32', env: {}, argv })).toEqual(['node', ['scripts/test-run.mjs']]);
    expect(() => keyringCommand({ platform: 'linux', env: {}, argv: [] })).toThrow(/no command/);
  });

  it('runs vitest, electronegativity and Playwright, writing the JSON reports the summary reads', () => {
    expect(TEST_STEPS.map((s) => s.name)).toEqual(['vitest', 'electronegativity', 'playwright']);
    expect(TEST_STEPS[0]!.args).toContain('--outputFile.json=.tmp/vitest.json');
    expect(TEST_STEPS[2]!.env).toEqual({ PLAYWRIGHT_JSON_OUTPUT_NAME: '.tmp/playwright.json' });
  });

  it('the summary names every skipped test, with Playwright\'s reason', () => {
    const vitest = {
      testResults: [
        {
          name: '/repo/tests/integration/config-full-disk.test.ts',
          assertionResults: [
            { status: 'passed', fullName: 'a passing test' },
            { status: 'pending', fullName: 'config writes on a nearly full disk (a real 64 KB tmpfs) fails with ENOSPC' },
          ],
        },
        { name: '/repo/tests/unit/x.test.ts', assertionResults: [{ status: 'todo', fullName: 'later' }] },
      ],
    };
    const playwright = {
      suites: [
        {
          file: 'app.e2e.ts',
          suites: [
            {
              file: 'app.e2e.ts',
              specs: [{ title: 'renders', file: 'app.e2e.ts', tests: [{ status: 'skipped', annotations: [{ type: 'skip', description: 'no display' }] }] }],
            },
          ],
        },
        { file: 'user-day.spec.ts', specs: [{ title: 'a day', file: 'user-day.spec.ts', tests: [{ status: 'expected', annotations: [] }] }] },
      ],
    };
    expect(skippedTests(vitest, playwright, '/repo/')).toEqual([
      'tests/integration/config-full-disk.test.ts › config writes on a nearly full disk (a real 64 KB tmpfs) fails with ENOSPC',
      'tests/unit/x.test.ts › later',
      'app.e2e.ts › renders (no display)',
    ]);
    expect(skippedTests(undefined, undefined)).toEqual([]);
  });
});
