#!/usr/bin/env node
// `npm run bench`: the CLI bench (bench-cli.mjs: `token`'s fast path against its floor, with a config
// holding an environment of every kind) and the core bench (bench-core.ts: a sign-in through the core
// against raw HTTP + one locked durable write), one after the other in one keychain session, then
// issue 20's two figures again at the end. Not a test: it prints ratios.
// Run inside a keychain session: node scripts/with-keyring.mjs node scripts/bench.mjs
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const targets = [];

function run(args) {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop();
      targets.push(...lines.filter((l) => l.startsWith('TARGET ')));
    });
    child.once('error', rej);
    child.once('exit', (code) => (code === 0 ? res() : rej(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

await run(['scripts/bench-cli.mjs', ...process.argv.slice(2)]);
console.log('');
await run(['scripts/run-ts.mjs', 'scripts/bench-core.ts']);
console.log('');
// Issue 23: a token through the local credential endpoint against a bare loopback GET (its own TARGET line).
await run(['scripts/run-ts.mjs', 'scripts/bench-endpoint.ts']);
console.log(`\nissue 20, both measured in this run:\n${targets.map((t) => `  ${t.slice('TARGET '.length)}`).join('\n')}`);
