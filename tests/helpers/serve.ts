import { spawn } from 'node:child_process';
import { CLI, type CliHome } from './cli.js';
import { freePort } from './free-port.js';

export interface Serving {
  port: number;
  /** What it printed so far (one line once listening). */
  stdout(): string;
  /** SIGTERM, resolving with its exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL if still running (a cleanup). */
  kill(): void;
}

/** `tokendesk serve` of the built binary on a free port set with `endpoint port`, once it says it listens. */
export async function startServe(h: CliHome): Promise<Serving> {
  const port = await freePort();
  const set = await h.runInProcess(['endpoint', 'port', String(port)]);
  if (set.code !== 0) throw new Error(set.stderr);
  const child = spawn(process.execPath, [CLI, 'serve'], { env: h.env(), cwd: h.work });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (let i = 0; i < 200 && !stdout.includes('\n') && child.exitCode === null; i++) await new Promise((res) => setTimeout(res, 50));
  return {
    port,
    stdout: () => stdout,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
