// Bundles the Node entry points (CLI, web bridge) into single files: fewer modules to resolve at
// start-up keeps `tokendesk token` close to a bare `node` start. Native and runtime deps stay external.
import { build } from 'esbuild';
import { readFileSync, existsSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {});

const entries = [
  { in: 'src-main/cli/index.ts', out: 'out/cli/tokendesk.mjs', banner: '#!/usr/bin/env node' },
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
    external,
    sourcemap: true,
    banner: { js: [e.banner ?? '', "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"].join('\n') },
    logLevel: 'warning',
  });
}
