#!/usr/bin/env node
// Wall time of `tokendesk token` on a valid session against a bare `node -e 0`, measured in the same
// run (median of N each, interleaved so machine load hits both alike). Not a test: it prints figures.
// Needs the built CLI (node scripts/build-node.mjs) and a keychain: scripts/with-keyring.sh node scripts/bench-cli.mjs
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// BENCH_CLI compares another build of the CLI (it must resolve the same node_modules).
const cli = resolve(process.env.BENCH_CLI ?? join(root, 'out/cli/tokendesk.mjs'));
const runs = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 21);
if (!existsSync(cli)) {
  console.error('bench-cli: build the CLI first: node scripts/build-node.mjs');
  process.exit(1);
}

const home = mkdtempSync(join(tmpdir(), 'tokendesk-bench-'));
const env = { ...process.env, TOKENDESK_HOME: home };
const tokendesk = (args, input) => execFileSync(process.execPath, [cli, ...args], { env, input, encoding: 'utf8' });

/** The demo server in a child process (the bench is plain .mjs and cannot import the TypeScript core). */
function startDemo() {
  const child = spawn(process.execPath, [cli, 'demo-server', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) res({ child, url: m[1] });
    });
    child.once('exit', (code) => rej(new Error(`demo server exited (${code})`)));
  });
}

function time(args) {
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const demo = await startDemo();
try {
  tokendesk(['demo-setup', '--url', demo.url]);
  tokendesk(['login', '--env', 'Demo Supabase', '--email', 'owner@connectgain.test'], 'demo-password\n');
  time([cli, 'token', '--env', 'Demo Supabase']); // warm the file cache once
  const bare = [];
  const token = [];
  for (let i = 0; i < runs; i++) {
    bare.push(time(['-e', '0']));
    token.push(time([cli, 'token', '--env', 'Demo Supabase']));
  }
  const b = median(bare);
  const t = median(token);
  console.log(`node -e 0                 median ${b.toFixed(1)} ms  (n=${runs})`);
  console.log(`tokendesk token (valid)   median ${t.toFixed(1)} ms  (n=${runs})`);
  console.log(`ratio                     ${(t / b).toFixed(2)}x  (target ≤ 2x)`);
} finally {
  demo.child.kill('SIGTERM');
  try {
    execFileSync(process.execPath, ['-e', `import('keytar').then(async (k) => { const kt = k.default ?? k; const { createHash } = await import('node:crypto'); const s = 'TokenDesk ' + createHash('sha256').update(${JSON.stringify(home)}).digest('hex').slice(0, 16); for (const c of await kt.findCredentials(s)) await kt.deletePassword(s, c.account); })`], { cwd: root, stdio: 'ignore' });
  } catch {
    // best effort: a throwaway keyring under with-keyring.sh disappears anyway
  }
  rmSync(home, { recursive: true, force: true });
}
