// npm's allowScripts policy (package.json): keytar's native build and esbuild's check run, Electron's
// download never does, and no dependency's install script is left unreviewed. npm 11.16+ reads the
// field (docs: npm help install-scripts, config `strict-allow-scripts`); npm 12 blocks unlisted scripts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { hasInstallScript?: boolean; optional?: boolean }>;
};
const policy = pkg.allowScripts ?? {};

describe('allowScripts', () => {
  it('runs keytar and esbuild, keeps electron out', () => {
    expect(policy).toMatchObject({ keytar: true, esbuild: true, electron: false });
  });

  it('covers every locked package that has an install script, so npm never runs (or, on npm 12, skips) one unreviewed', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    expect(withScripts.filter((name) => !(name in policy))).toEqual([]);
  });

  it('uses name-only entries: our lockfiles omit resolved URLs, and npm refuses a pinned approval it cannot verify', () => {
    // @npmcli/arborist script-allowed.js: with omit-lockfile-registry-resolved a pkg@1.2.3 allow "is refused".
    expect(Object.keys(policy).filter((k) => /.@/.test(k))).toEqual([]);
  });
});
