import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

/** Every module a bundle pulls in at run time from `entry` (type-only imports are erased, so skipped). */
function runtimeGraph(entry: string): { files: string[]; packages: Set<string> } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const todo = [resolve(ROOT, entry)];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
        continue;
      }
      const target = resolve(dirname(file), spec);
      if (/\.(css|html|svg|png)$/.test(target)) continue;
      const ts = target.replace(/\.js$/, '.ts');
      const tsx = target.replace(/\.js$/, '.tsx');
      todo.push(safeExists(ts) ? ts : tsx);
    }
  }
  return { files: [...seen].map((f) => relative(ROOT, f)), packages };
}

function safeExists(p: string): boolean {
  try {
    readFileSync(p);
    return true;
  } catch {
    return false;
  }
}

describe('what the preload and the renderer bundle', () => {
  it('the sandboxed preload: electron and the contract’s pure data only (no zod, no core)', () => {
    const { files, packages } = runtimeGraph('src-preload/index.ts');
    expect([...packages]).toEqual(['electron']);
    expect(files.filter((f) => !f.startsWith('src-preload/')).sort()).toEqual(['src-main/contract/methods.ts']);
  });

  it('the renderer: nothing from src-main but the contract’s pure-data modules, and no zod', () => {
    const { files, packages } = runtimeGraph('src-renderer/main.tsx');
    expect(packages.has('zod')).toBe(false);
    const fromMain = files.filter((f) => f.startsWith('src-main/'));
    expect(fromMain.length).toBeGreaterThan(0);
    for (const f of fromMain) expect(f).toMatch(/^src-main\/contract\/(methods|providers|provider-kinds|servers|validators|settings|auth-params|unsafe-text|bridge|format-time)\.ts$/);
  });
});
