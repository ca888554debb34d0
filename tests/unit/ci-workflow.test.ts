// The GitHub Actions workflow (.github/workflows/ci.yml) cannot run here: it is parsed and its promises
// checked — every OS runs npm ci and npm test with a real Electron, and a tag builds and releases installers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  needs?: string;
  'runs-on': string;
  strategy?: { matrix: { os: string[] } };
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  steps: Step[];
}

// js-yaml is already installed (through eslint 7, electronegativity's): version 3 names the safe loader safeLoad, 4 load.
const yaml = createRequire(import.meta.url)('js-yaml') as { safeLoad?: (s: string) => unknown; load: (s: string) => unknown };
const text = readFileSync(new URL('../../.github/workflows/ci.yml', import.meta.url), 'utf8');
const wf = (yaml.safeLoad ?? yaml.load)(text) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const { test: testJob, dist, release } = wf.jobs as Record<'test' | 'dist' | 'release', Job>;
const runs = (job: Job) => job.steps.map((s) => s.run ?? '');

describe('CI workflow', () => {
  it('runs on pushes, pull requests and v* tags, on Linux, macOS and Windows', () => {
    expect(Object.keys(wf.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect((wf.on.push as { tags: string[] }).tags).toEqual(['v*']);
    for (const job of [testJob, dist]) {
      expect(job.strategy?.matrix.os.map((os) => os.split('-')[0])).toEqual(['ubuntu', 'macos', 'windows']);
      expect(job['runs-on']).toBe('${{ matrix.os }}');
    }
  });

  it('installs with npm ci (npm 11 for allowScripts), fetches Electron with its own installer, then npm test', () => {
    const r = runs(testJob);
    const at = (cmd: string) => r.findIndex((x) => x === cmd || x.endsWith(` ${cmd}`));
    expect(r).toContain('npm install -g npm@11');
    expect(at('npm ci')).toBeGreaterThan(-1);
    expect(at('node node_modules/electron/install.js')).toBeGreaterThan(at('npm ci'));
    expect(at('xvfb-run -a npm test')).toBeGreaterThan(at('node node_modules/electron/install.js'));
    expect(at('npm test')).toBeGreaterThan(at('node node_modules/electron/install.js'));
    // The _electron test fails instead of skipping where the binary was meant to be fetched.
    expect(testJob.env?.TOKENDESK_REQUIRE_ELECTRON).toBe('1');
  });

  it('Linux gets .ci/run\'s apt packages (Chromium from Playwright), the Electron window under xvfb-run', () => {
    const ciRun = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    const list = /for pkg in ([^;]+); do/.exec(ciRun)![1]!.trim().split(/\s+/);
    const apt = testJob.steps.find((s) => s.run?.includes('apt-get install'))!;
    expect(apt.if).toBe("runner.os == 'Linux'");
    for (const pkg of list.filter((p) => p !== 'chromium')) expect(apt.run).toMatch(new RegExp(`\\s${pkg}(\\s|$)`));
    expect(testJob.steps.find((s) => s.run === 'xvfb-run -a npm test')?.if).toBe("runner.os == 'Linux'");
  });

  it('macOS and Windows run npm test as it is (cmd.exe on Windows, the OS keychain), not through sh', () => {
    const step = testJob.steps.find((s) => s.run === 'npm test')!;
    expect(step.if).toBe("runner.os != 'Linux'");
    // npm test is portable now (tests/unit/test-command.test.ts): no script-shell override hides a sh dependency.
    expect(testJob.steps.some((s) => /script-shell/.test(s.run ?? ''))).toBe(false);
  });

  it('only .ci/run (root) makes a missing tmpfs a failure; GitHub\'s runners (not root, CI=true) skip those tests', () => {
    const ciRun = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    expect(ciRun.indexOf('export TOKENDESK_REQUIRE_TMPFS=1')).toBeGreaterThan(-1);
    expect(ciRun.indexOf('export TOKENDESK_REQUIRE_TMPFS=1')).toBeLessThan(ciRun.lastIndexOf('npm test'));
    expect(JSON.stringify(wf.jobs)).not.toContain('TOKENDESK_REQUIRE_TMPFS'); // no job or step sets it (comments aside)
  });

  it('a tag builds the installers on each OS and attaches them to a GitHub release', () => {
    expect(dist.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(dist.needs).toBe('test');
    expect(runs(dist)).toContain('npm run dist');
    const upload = dist.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(String(upload.with?.path)).toMatch(/\.AppImage[\s\S]*\.deb[\s\S]*\.dmg[\s\S]*\.exe/);
    expect(release.needs).toBe('dist');
    expect(release.permissions?.contents).toBe('write');
    expect(release.steps.some((s) => s.uses?.startsWith('softprops/action-gh-release'))).toBe(true);
  });
});
