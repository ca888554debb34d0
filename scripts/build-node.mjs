// Bundles the Node entry points (CLI, web bridge) into single files: fewer modules to resolve at
// start-up keeps `tokendesk token` close to a bare `node` start. Native and runtime deps stay external.
import { build } from 'esbuild';
import { readFileSync, existsSync, rmSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {});
// The CLI bundles its JS dependencies too (one file to read instead of hundreds to resolve); only the
// native keychain binding stays external.
const cliExternal = ['keytar'];

const entries = [
  // Split into chunks so each command loads only what it uses (the demo server, exports, providers
  // and axios are dynamic imports): `tokendesk token` stays close to a bare Node start.
  { in: 'src-main/cli/index.ts', out: 'out/cli/tokendesk.mjs', banner: '#!/usr/bin/env node', external: cliExternal, split: true },
  { in: 'src-main/web-bridge/index.ts', out: 'out/web/web-bridge.mjs' },
].filter((e) => existsSync(e.in));

/**
 * A split build lands in a scratch folder and is moved in file by file (chunks first, the entry last),
 * so a CLI started meanwhile — by a test running beside a rebuild — never finds the folder missing.
 * Chunks are content-hashed; ones unused for ten minutes are removed.
 */
function install(scratch, target) {
  mkdirSync(join(target, 'chunks'), { recursive: true });
  const chunks = join(scratch, 'chunks');
  for (const f of existsSync(chunks) ? readdirSync(chunks) : []) renameSync(join(chunks, f), join(target, 'chunks', f));
  for (const f of readdirSync(scratch)) if (f !== 'chunks') renameSync(join(scratch, f), join(target, f));
  rmSync(scratch, { recursive: true, force: true });
  for (const f of readdirSync(join(target, 'chunks'))) {
    const p = join(target, 'chunks', f);
    if (Date.now() - statSync(p).mtimeMs > 10 * 60_000) rmSync(p, { force: true });
  }
}

for (const e of entries) {
  const scratch = e.split ? join(dirname(dirname(e.out)), `.build-${basename(dirname(e.out))}-${process.pid}`) : undefined;
  await build({
    ...(scratch
      ? { entryPoints: { [basename(e.out, '.mjs')]: e.in }, outdir: scratch, splitting: true, outExtension: { '.js': '.mjs' }, chunkNames: 'chunks/[name]-[hash]' }
      : { entryPoints: [e.in], outfile: e.out }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: e.external ?? external,
    sourcemap: true,
    banner: { js: [e.banner ?? '', "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __f2p } from 'node:url'; import { dirname as __dn } from 'node:path';",
      // Bundled CommonJS dependencies expect these.
      'const require = __cr(import.meta.url); const __filename = __f2p(import.meta.url); const __dirname = __dn(__filename);',].join('\n') },
    logLevel: 'warning',
  });
  if (scratch) install(scratch, dirname(e.out));
}
