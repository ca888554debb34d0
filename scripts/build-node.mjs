// Bundles the Node entry points (CLI, web bridge) into single files: fewer modules to resolve at
// start-up keeps `tokendesk token` close to a bare `node` start. Native and runtime deps stay external.
import { build } from 'esbuild';
import { readFileSync, existsSync, rmSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {});
// The CLI bundles its JS dependencies too (one file to read instead of hundreds to resolve); only the
// native keychain binding stays external.
const cliExternal = ['keytar'];

const entries = [
  // The CLI's full program is split into chunks so each command loads only what it uses (the demo
  // server, exports, providers and axios are dynamic imports). The entry, tokendesk.cjs, is one file
  // of its own holding the `tokendesk token` fast path (src-main/cli/fast-token.ts): loading it is a
  // single module read, with no commander, zod or axios; it imports ./program.mjs only to fall back.
  // It is CommonJS: an ES module entry starts Node's ES module loader first (~4 ms of `token`'s ~80).
  {
    in: 'src-main/cli/program.ts',
    out: 'out/cli/program.mjs',
    external: cliExternal,
    split: true,
    front: { in: 'src-main/cli/index.ts', out: 'out/cli/tokendesk.cjs', banner: '#!/usr/bin/env node' },
  },
  { in: 'src-main/web-bridge/index.ts', out: 'out/web/web-bridge.mjs' },
].filter((e) => existsSync(e.in));

// Bundled CommonJS dependencies expect these.
const CJS_SHIMS = [
  "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __f2p } from 'node:url'; import { dirname as __dn } from 'node:path';",
  'const require = __cr(import.meta.url); const __filename = __f2p(import.meta.url); const __dirname = __dn(__filename);',
].join('\n');

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

// The entry's name before it became CommonJS: an `npm link` made then still points at it, so it stays
// as a one-line hand-over to the new entry (a stale full copy would run old code).
rmSync('out/cli/tokendesk.mjs.map', { force: true });

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
      format: 'cjs',
      entryPoints: [e.front.in],
      outfile: join(scratch ?? dirname(e.out), basename(e.front.out)),
      external: e.external ?? external,
      plugins: [programBeside],
      // CommonJS has no import.meta: the sources' `import.meta.url` (createRequire) becomes the file's URL.
      define: { 'import.meta.url': '__tokendeskFileUrl' },
      banner: { js: [e.front.banner ?? '', "const __tokendeskFileUrl = require('node:url').pathToFileURL(__filename).href;"].join('\n') },
    });
  }
  if (scratch) install(scratch, dirname(e.out), e.front && basename(e.front.out));
}

mkdirSync('out/cli', { recursive: true });
writeFileSync('out/cli/tokendesk.mjs', "#!/usr/bin/env node\n// The entry is tokendesk.cjs; this name is kept for links made by an older build.\nimport './tokendesk.cjs';\n", { mode: 0o755 });
