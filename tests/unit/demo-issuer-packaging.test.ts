/**
 * Where the demo issuer's oidc-provider comes from in each build. The CLI bundles it (scripts/build-node.mjs
 * keeps only keytar external) into a chunk of its own, loaded at the issuer's first request; the app's main
 * process and the web bridge import it at run time from node_modules, which electron-builder packs into
 * app.asar for every production dependency (its `files` only add the app's own output). A pure-JS ES
 * module, like openid-client, which the main process already loads the same way.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; build: { files: string[] } };
const read = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.js') || f.endsWith('.mjs')).map((f) => readFileSync(join(dir, f), 'utf8')) : []);

describe('oidc-provider in the builds', () => {
  it('is a production dependency, and electron-builder\'s files keep node_modules', () => {
    expect(pkg.dependencies['oidc-provider']).toBeDefined();
    expect(pkg.build.files.filter((f) => /node_modules/.test(f))).toEqual([]);
  });

  it.skipIf(!existsSync(join(root, 'out/main/index.js')))('the main process imports it only when the issuer is used (a dynamic import in the demo server\'s chunk)', () => {
    const main = readFileSync(join(root, 'out/main/index.js'), 'utf8');
    expect(main).not.toMatch(/from "oidc-provider"|import\("oidc-provider"\)/);
    expect(read(join(root, 'out/main/chunks')).filter((c) => c.includes('import("oidc-provider")'))).toHaveLength(1);
  });

  it.skipIf(!existsSync(join(root, 'out/cli/program.mjs')))('the CLI carries it in a chunk of its own, not in the program every command loads', () => {
    const program = readFileSync(join(root, 'out/cli/program.mjs'), 'utf8');
    expect(program).not.toContain('oidc-provider WARNING');
    // (Chunks of earlier builds linger for ten minutes: build-node.mjs install().)
    expect(read(join(root, 'out/cli/chunks')).filter((c) => c.includes('oidc-provider WARNING: Unsupported runtime')).length).toBeGreaterThan(0);
  });
});
