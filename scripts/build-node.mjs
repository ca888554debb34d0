// Bundles the Node entry points (CLI, web bridge) into single files: fewer modules to resolve at
// start-up keeps `tokendesk token` close to a bare `node` start. Native and runtime deps stay external.
import { build } from 'esbuild';
import { readFileSync, existsSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {});
// The CLI bundles its JS dependencies too (one file to read instead of hundreds to resolve); only the
// native keychain binding stays external.
const cliExternal = ['keytar'];

const entries = [
  { in: 'src-main/cli/index.ts', out: 'out/cli/tokendesk.mjs', banner: '#!/usr/bin/env node', external: cliExternal },
  { in: 'src-main/web-bridge/index.ts', out: 'out/web/web-bridge.mjs' },
].filter((e) => existsSync(e.in));

for (const e of entries) {
  await build({
    entryPoints: [e.in],
    outfile: e.out,
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
