import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, collect, type CliHome, type CliResult } from './cli.js';

/**
 * `tokendesk demo-server ARGS` of the built CLI in `h`, once it says it runs ("Press Ctrl-C to stop."):
 * what it printed until then, the process (to signal), and its end (within 45 s).
 */
export async function startDemoServerCli(h: CliHome, args: string[]): Promise<{ out: string; child: ChildProcess; done: Promise<CliResult> }> {
  const child = spawn(process.execPath, [CLI, 'demo-server', ...args], { env: h.env() });
  const done = collect(child, { timeoutMs: 45_000 });
  let out = '';
  await new Promise<void>((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Press Ctrl-C to stop.')) resolve();
    });
  });
  return { out, child, done };
}
