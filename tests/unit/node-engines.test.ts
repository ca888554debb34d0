/**
 * Issue 25 (Install): `npm install` warned EBADENGINE because package.json claimed Node >= 20.19 while
 * parts of the tree want more. What package.json's engines claims must be true of every installed
 * package the CLI, the web UI and the tests use; the desktop build's extra need (electron-builder →
 * @electron/rebuild, node-abi) is stated in the README and checked before `npm run dist` starts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { partition, rangeNotAdmitted, readLock, versionRefused } from '../../scripts/node-engines.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const lock = readLock(root);
const parts = partition(lock);

describe('Node versions', () => {
  it('every Node that package.json’s engines admits is admitted by each package the CLI, the web UI and the tests use', () => {
    expect(parts.runtime.size).toBeGreaterThan(10);
    expect(rangeNotAdmitted(lock, parts.runtime, pkg.engines.node), 'runtime dependencies').toEqual([]);
    expect(rangeNotAdmitted(lock, parts.develop, pkg.engines.node), 'build, lint and test tools').toEqual([]);
  });

  it('the README names the Node the desktop build needs, and `npm run dist` checks it first', () => {
    const stated = /`npm run dist`, needs Node (\d+\.\d+)/.exec(readme)?.[1];
    expect(stated, 'README: "`npm run dist`, needs Node X.Y"').toBeDefined();
    const version = `${stated}.0`;
    expect(semver.satisfies(version, pkg.engines.node), 'the stated version builds and tests too').toBe(true);
    expect(versionRefused(lock, parts.dist, version), 'the desktop build’s packages on the stated version').toEqual([]);
    // The gate is real: the oldest Node the engines admit is refused by the desktop build's tools.
    expect(versionRefused(lock, parts.dist, semver.minVersion(pkg.engines.node)!.version)).not.toEqual([]);
    expect(pkg.scripts.dist).toMatch(/^node scripts\/check-dist-node\.mjs && /);
  });
});
