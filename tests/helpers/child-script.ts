import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll } from 'vitest';

export const root = resolve(import.meta.dirname, '../..');

/**
 * Child processes for cross-process tests: Node 20 cannot run TypeScript, so each script is bundled
 * into .tmp/ next to node_modules (so its imports resolve) and removed after the file's tests.
 */
export function childScripts(prefix: string): (name: string, source: string) => Promise<string> {
  let dir: string | undefined;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return async (name, source) => {
    mkdirSync(join(root, '.tmp'), { recursive: true });
    dir ??= mkdtempSync(join(root, '.tmp', prefix));
    const outfile = join(dir, `${name}.mjs`);
    await build({
      stdin: { contents: source, resolveDir: root, loader: 'ts', sourcefile: `${name}.ts` },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    return outfile;
  };
}
