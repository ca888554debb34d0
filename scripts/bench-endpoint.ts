/**
 * Benchmark (not a test), issue 23: a token through the local credential endpoint against the median
 * of a bare Node loopback HTTP GET of a constant, both measured in this run, sampled in turn over the
 * same kind of keep-alive connection, so a load spike hits both sides of the ratio alike.
 * Run inside a keychain session: scripts/with-keyring.sh node scripts/run-ts.mjs scripts/bench-endpoint.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCore } from '../src-main/core/open.js';
import { DEMO_CREDENTIALS, startDemoServer } from '../src-main/core/demo-server/index.js';
import { deleteAllForHome } from '../src-main/core/secrets/keychain.js';
import { ensureEndpointSecret, startEndpoint } from '../src-main/core/endpoint/index.js';

const ROUNDS = 3000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function get(agent: Agent, port: number, path: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${path}: ${res.statusCode} ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

const demo = await startDemoServer({ port: 0 });
const home = mkdtempSync(join(tmpdir(), 'tokendesk-bench-endpoint-'));
const bare = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('constant');
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
const barePort = (bare.address() as AddressInfo).port;
try {
  const core = openCore({ home });
  await core.envs.add({ name: 'bench', provider: 'supabase', baseUrl: demo.url, anonKey: demo.anonKey });
  await core.sessions.signIn('bench', DEMO_CREDENTIALS.supabase[0]!);
  const secret = await ensureEndpointSecret(core.secrets, core.lock);
  const endpoint = await startEndpoint({ core, port: 0, servedBy: 'serve' });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const viaEndpoint = () => get(agent, endpoint.port, '/v1/token?env=bench', { Authorization: `Bearer ${secret}`, 'User-Agent': 'bench' });
  const constant = () => get(agent, barePort, '/', {});
  const token = await viaEndpoint();
  if (!token.startsWith('eyJ')) throw new Error('the endpoint did not serve a token');
  for (let i = 0; i < 200; i++) await Promise.all([viaEndpoint(), constant()]); // warm up both
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    await constant();
    a.push(performance.now() - t);
    t = performance.now();
    await viaEndpoint();
    b.push(performance.now() - t);
  }
  const bareMs = median(a);
  const endpointMs = median(b);
  console.log(`endpoint  bare loopback GET of a constant ${(bareMs * 1000).toFixed(0)} µs | a token through the endpoint ${(endpointMs * 1000).toFixed(0)} µs (median of ${ROUNDS})`);
  console.log(`TARGET endpoint token: ${(endpointMs * 1000).toFixed(0)} µs vs bare loopback GET ${(bareMs * 1000).toFixed(0)} µs = ${(endpointMs / bareMs).toFixed(2)}x (target ≤ 1.5x)`);
  agent.destroy();
  await endpoint.close();
} finally {
  bare.close();
  await demo.close();
  await deleteAllForHome(home).catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
}
