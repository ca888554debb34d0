import module from 'node:module';
import { mark } from './startup-trace.js';

// Node ≥ 22.1 keeps V8's compiled code of the chunks below between runs; Node 20 has no such cache
// (the call is absent there), so it costs nothing.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
mark('entry');

// The fast path's chunk holds no commander, zod or axios: `tokendesk token` on a valid session loads
// only it. Everything else (and every case it is unsure of) runs the full CLI with the same argv.
const { fastToken } = await import('./fast-token.js');
mark('fast path loaded');
if (!(await fastToken(process.argv))) {
  const { main } = await import('./program.js');
  mark('full CLI loaded');
  await main(process.argv);
}
