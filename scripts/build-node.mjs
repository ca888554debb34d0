// Bundles the Node entry points (CLI, web bridge) into single files: fewer modules to resolve at
// start-up keeps `tokendesk token` close to a bare `node` start. Native and runtime deps stay external.
import { build } from 'esbuild';
import { readFileSync, existsSync, rmSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {});
// The CLI bundles its JS dependencies too (one file to read instead of hundreds to resolve); only the
// native keychain binding stays external.
const cliExternal = ['keytar'];

const entries = [
  // The CLI's full program is split into chunks so each command loads only what it uses (the demo
  // server, exports, providers and axios are dynamic imports). The entry, tokendesk.mjs, is one file
  // of its own holding the `tokendesk token` fast path (src-main/cli/fast-token.ts): loading it is a
  // single module read, with no commander, zod or axios; it imports ./program.mjs only to fall back.
  {
    in: 'src-main/cli/program.ts',
    out: 'out/cli/program.mjs',
    external: cliExternal,
    split: true,
    front: { in: 'src-main/cli/index.ts', out: 'out/cli/tokendesk.mjs', banner: '#!/usr/bin/env node' },
  },
  { in: 'src-main/web-bridge/index.ts', out: 'out/web/web-bridge.mjs' },
].filter((e) => existsSync(e.in));

// Bundled CommonJS dependencies expect these.
const CJS_SHIMS = [
  "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __f2p } from 'node:url'; import { dirname as __dn } from 'node:path';",
  'const require = __cr(import.meta.url); const __filename = __f2p(import.meta.url); const __dirname = __dn(__filename);',
].join('\n');

/**
 * In the front, Node's built-in modules are taken with require, not import: Node builds an ES module
 * facade of a built-in by reading every export, which runs lazy getters (`fs.promises`,
 * `process.stdin`…) and loads dozens of internal modules the fast path never uses.
 */
const builtinsViaRequire = {
  name: 'builtins-via-require',
  setup(b) {
    const builtin = new Set(builtinModules);
    const isBuiltin = (p) => p.startsWith('node:') || builtin.has(p);
    b.onResolve({ filter: /.*/ }, (a) => {
      if (!isBuiltin(a.path)) return undefined;
      return a.namespace === 'builtin-require' ? { path: a.path, external: true } : { path: a.path, namespace: 'builtin-require' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (a) => ({ contents: `module.exports = require(${JSON.stringify(a.path)});`, loader: 'js' }));
  },
};

/** The front's `import('./program.js')` is the split build's entry beside it, not bundled in. */
const programBeside = {
  name: 'program-beside',
  setup(b) {
    b.onResolve({ filter: /^\.\/program\.js$/ }, () => ({ path: './program.mjs', external: true }));
  },
};

/**
 * A split build lands in a scratch folder and is moved in file by file (chunks first, the entry last),
 * so a CLI started meanwhile — by a test running beside a rebuild — never finds the folder missing.
 * Chunks are content-hashed; ones unused for ten minutes are removed.
 */
function install(scratch, target, last) {
  mkdirSync(join(target, 'chunks'), { recursive: true });
  const chunks = join(scratch, 'chunks');
  for (const f of existsSync(chunks) ? readdirSync(chunks) : []) renameSync(join(chunks, f), join(target, 'chunks', f));
  // The entry users start (and its map) last: it imports the program, which imports the chunks.
  const files = readdirSync(scratch).filter((f) => f !== 'chunks');
  const isLast = (f) => last !== undefined && f.startsWith(last);
  for (const f of [...files.filter((f) => !isLast(f)), ...files.filter(isLast)]) renameSync(join(scratch, f), join(target, f));
  rmSync(scratch, { recursive: true, force: true });
  for (const f of readdirSync(join(target, 'chunks'))) {
    const p = join(target, 'chunks', f);
    if (Date.now() - statSync(p).mtimeMs > 10 * 60_000) rmSync(p, { force: true });
  }
}

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, logLevel: 'warning' };

for (const e of entries) {
  const scratch = e.split ? join(dirname(dirname(e.out)), `.build-${basename(dirname(e.out))}-${process.pid}`) : undefined;
  await build({
    ...common,
    ...(scratch
      ? { entryPoints: { [basename(e.out, '.mjs')]: e.in }, outdir: scratch, splitting: true, outExtension: { '.js': '.mjs' }, chunkNames: 'chunks/[name]-[hash]' }
      : { entryPoints: [e.in], outfile: e.out }),
    external: e.external ?? external,
    banner: { js: [e.banner ?? '', CJS_SHIMS].join('\n') },
  });
  if (e.front) {
    await build({
      ...common,
      entryPoints: [e.front.in],
      outfile: join(scratch ?? dirname(e.out), basename(e.front.out)),
      external: e.external ?? external,
      plugins: [builtinsViaRequire, programBeside],
      // `require` only (for the built-ins and keytar): the one ES import left is node:module's.
      banner: { js: [e.front.banner ?? '', "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"].join('\n') },
    });
  }
  if (scratch) install(scratch, dirname(e.out), e.front && basename(e.front.out));
}
