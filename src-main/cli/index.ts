import module from 'node:module';
import { mark } from './startup-trace.js';
import { fastToken } from './fast-token.js';
import { fastComplete } from './fast-complete.js';

// Node ≥ 22.1 keeps V8's compiled code of the chunks below between runs; Node 20 has no such cache
// (the call is absent there), so it costs nothing.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
mark('entry');

async function run(): Promise<void> {
  if (fastComplete(process.argv)) return;
  if (await fastToken(process.argv)) return;
  const { main } = await import('./program.js');
  mark('full CLI loaded');
  await main(process.argv);
}
void run();
