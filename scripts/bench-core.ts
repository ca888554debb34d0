/**
 * Benchmark (not a test): prints, in one run,
 *  1. sign-in time through the core against the raw HTTP request it makes (ratio);
 *  2. startup secret loading (one keychain round trip) with 1 and with 100 identities.
 * Run inside a keychain session: scripts/with-keyring.sh node scripts/run-ts.mjs scripts/bench-core.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCore } from '../src-main/core/open.js';
import { DEMO_CREDENTIALS, startDemoServer } from '../src-main/core/demo-server/index.js';
import { secretKeys } from '../src-main/core/secrets/types.js';

const ROUNDS = 30;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(n: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

const server = await startDemoServer({ port: 0 });
const owner = DEMO_CREDENTIALS.supabase[0]!;
const homes: string[] = [];
const newHome = () => {
  const d = mkdtempSync(join(tmpdir(), 'tokendesk-bench-'));
  homes.push(d);
  return d;
};

try {
  const core = openCore({ home: newHome() });
  await core.envs.add({ name: 'bench', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey });
  const raw = () =>
    fetch(`${server.url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: server.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: owner.email, password: owner.password }),
    }).then((r) => r.json());
  await raw();
  await core.sessions.signIn('bench', owner);
  const rawMs = await time(ROUNDS, raw);
  const coreMs = await time(ROUNDS, () => core.sessions.signIn('bench', owner));
  console.log(`sign-in   raw HTTP ${rawMs.toFixed(2)} ms | core (HTTP + validation + keychain + config) ${coreMs.toFixed(2)} ms | ratio ${(coreMs / rawMs).toFixed(2)}x`);

  for (const n of [1, 100]) {
    const c = openCore({ home: newHome() });
    for (let i = 0; i < n; i++) await c.secrets.set(secretKeys.session(`id-${i}`), JSON.stringify({ i, pad: 'x'.repeat(800) }));
    const ms = await time(10, () => c.secrets.loadAll());
    console.log(`startup   load all secrets with ${String(n).padStart(3)} identities: ${ms.toFixed(2)} ms (one keychain round trip)`);
  }
} finally {
  await server.close();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
}
