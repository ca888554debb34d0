// Bundles the Node entry points (CLI, web bridge) into single files: fewer modules to resolve at
// start-up keeps `tokendesk token` close to a bare `node` start. Native and runtime deps stay external.
import { build } from 'esbuild';
import { readFileSync, existsSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';

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

for (const e of entries) {
  if (e.split) rmSync(dirname(e.out), { recursive: true, force: true });
  await build({
    ...(e.split
      ? { entryPoints: { [basename(e.out, '.mjs')]: e.in }, outdir: dirname(e.out), splitting: true, outExtension: { '.js': '.mjs' }, chunkNames: 'chunks/[name]-[hash]' }
      : { entryPoints: [e.in], outfile: e.out }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: e.external ?? external,
    sourcemap: true,
    banner: { js: [e.banner ?? '', "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __f2p } from 'node:url'; import { dirname as __dn } from 'node:path';",
      // Bundled CommonJS dependencies (write-file-atomic, proper-lockfile…) expect these.
      'const require = __cr(import.meta.url); const __filename = __f2p(import.meta.url); const __dirname = __dn(__filename);',].join('\n') },
    logLevel: 'warning',
  });
}
