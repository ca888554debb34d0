import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { Readable } from 'node:stream';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { deleteAllForHome } from '../../src-main/core/secrets/keychain.js';
import { openCore } from '../../src-main/core/open.js';
import { createFactory } from '../../src-main/cli/factory.js';
import { runCli } from '../../src-main/cli/program.js';
import { makeHome } from './home.js';
import { keychainUnreachableReason } from './keychain-reach.js';

export const root = resolve(import.meta.dirname, '../..');
/** The built CLI, run as a user would (`node scripts/build-node.mjs` first). */
export const CLI = join(root, 'out/cli/tokendesk.cjs');
const OPENED_URLS = 'opened-urls.txt';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to stdin, then closed (stdin is a pipe, never a TTY). */
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /**
   * runInProcess only: the core's clock (tests/helpers/clock.ts), so a session can be signed in "in
   * the past" or renewed "later" without a sleep. A spawned binary always has the real clock.
   */
  now?: () => number;
}

/**
 * A throwaway TOKENDESK_HOME (`dir`) with its own keychain service, beside a `work` folder (the
 * cwd, for files the test writes) and a `bin` folder with a `tokendesk` on PATH.
 */
export class CliHome {
  readonly dir: string;
  readonly work: string;
  readonly bin: string;
  private readonly cleanupDir: () => void;

  constructor() {
    const h = makeHome('tokendesk-cli-test-');
    this.cleanupDir = h.cleanup;
    this.dir = join(h.dir, 'home');
    this.work = join(h.dir, 'work');
    this.bin = join(h.dir, 'bin');
    for (const d of [this.dir, this.work, this.bin]) mkdirSync(d);
    const wrapper = join(this.bin, 'tokendesk');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
    chmodSync(wrapper, 0o755);
    // The browser every run gets (TOKENDESK_BROWSER, cli/browser.ts): it records the URL it is given, so
    // a test sees what a sign-in opened and no test starts a real browser.
    writeFileSync(
      join(this.bin, 'record-browser.cjs'),
      `require('node:fs').appendFileSync(${JSON.stringify(join(this.work, OPENED_URLS))}, process.argv.slice(2).join(' ') + '\\n');\n`,
    );
  }

  /** The URLs the CLI opened in "the browser" (the recorder above), in order. */
  openedUrls(): string[] {
    const file = join(this.work, OPENED_URLS);
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TOKENDESK_HOME: this.dir,
      PATH: `${this.bin}${delimiter}${process.env.PATH ?? ''}`,
      // Double quotes, not JSON: on Windows the opener keeps backslashes as they are (splitCommand).
      TOKENDESK_BROWSER: `"${process.execPath}" "${join(this.bin, 'record-browser.cjs')}"`,
    };
    delete env.TOKENDESK_ENV; // a developer's own default must not leak into the tests
    return { ...env, ...extra };
  }

  /** Runs `tokendesk ARGS…` to completion. */
  run(args: string[], opts: RunOptions = {}): Promise<CliResult> {
    if (opts.now) throw new Error('a spawned binary has the real clock: use runInProcess() for now');
    return collect(spawn(process.execPath, [CLI, ...args], { env: this.env(opts.env), cwd: this.work }), opts);
  }

  /**
   * Runs `tokendesk ARGS…` in this process (gh's factory: the test's streams, a core on this home),
   * with the same stdout, stderr and exit status as the binary. Not for what needs a process of its
   * own: exec (signals, the child), pipes, relative paths (the cwd), the `token` fast path (index.ts),
   * TOKENDESK_ENV (commander reads it from process.env).
   */
  async runInProcess(args: string[], opts: RunOptions = {}): Promise<CliResult> {
    if (opts.env && 'TOKENDESK_ENV' in opts.env) throw new Error('TOKENDESK_ENV is read from process.env: use run() for it');
    if (args[0] === 'exec' || args[0] === 'demo-server') throw new Error(`${args[0]} needs a process of its own: use run()`);
    let stdout = '';
    let stderr = '';
    const env = this.env(opts.env);
    const f = createFactory(
      {
        stdin: Readable.from(opts.input === undefined || opts.input === '' ? [] : [Buffer.from(opts.input)]),
        stdout: { write: (c: string | Uint8Array) => (stdout += c.toString()) },
        stderr: { write: (c: string | Uint8Array) => (stderr += c.toString()) },
        env,
      },
      () => openCore({ home: this.dir, ...(opts.now && { now: opts.now }) }),
    );
    const code = await runCli(['node', 'tokendesk', ...args], f);
    return { code, signal: null, stdout, stderr };
  }

  /** Runs a shell script with `tokendesk` on PATH. */
  sh(script: string, opts: RunOptions = {}): Promise<CliResult> {
    return collect(spawn('sh', ['-c', script], { env: this.env(opts.env), cwd: this.work }), opts);
  }

  /** Every file of the config folder, concatenated: to prove no secret is written there. */
  folderText(): string {
    const parts: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else parts.push(readFileSync(p, 'utf8'));
      }
    };
    walk(this.dir);
    return parts.join('\n');
  }

  async cleanup(): Promise<void> {
    await deleteAllForHome(this.dir).catch(() => undefined);
    this.cleanupDir();
  }
}

export function collect(child: ChildProcess, opts: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; stdout: ${stdout}; stderr: ${stderr}`));
    }, opts.timeoutMs ?? 15_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin?.end(opts.input ?? '');
  });
}

/** Lines of stderr, for "exactly one clear line" checks. */
export function stderrLines(r: CliResult): string[] {
  return r.stderr.split('\n').filter((l) => l.trim() !== '');
}

/**
 * Whether the real Secret Service answers. In CI it must (the suite runs under scripts/with-keyring.sh);
 * elsewhere the CLI tests are skipped with a reason.
 */
export async function keychainUnreachable(): Promise<string | undefined> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build it with "node scripts/build-node.mjs" first`);
  const reason = await keychainUnreachableReason();
  if (reason === undefined) return undefined;
  if (process.env.CI) throw new Error(`CLI tests need the Secret Service (${reason}); run them through scripts/with-keyring.sh`);
  console.warn(`Skipping CLI tests: ${reason} (run through scripts/with-keyring.sh)`);
  return reason;
}

export const DEMO_SUPABASE = 'Demo Supabase';
export const DEMO_SESSION = 'Demo session API';

/**
 * The per-file setup every CLI test shares: fresh homes, cleaned after each test, and with `demo`
 * one demo server for the whole file.
 */
export function cliFixture(opts: { demo?: boolean } = {}) {
  let demo: DemoServer | undefined;
  const homes: CliHome[] = [];
  if (opts.demo) {
    beforeAll(async () => {
      demo = await startDemoServer({ port: 0 });
    });
    afterAll(async () => {
      await demo?.close();
    });
  }
  afterEach(async () => {
    for (const h of homes.splice(0)) await h.cleanup();
  });
  const server = (): DemoServer => {
    if (!demo) throw new Error('this test file has no demo server: cliFixture({ demo: true })');
    return demo;
  };
  const newHome = (): CliHome => {
    const h = new CliHome();
    homes.push(h);
    return h;
  };
  /** A fresh home with both demo environments pointing at `url` (the file's demo server by default). */
  const demoHome = async (url = server().url): Promise<CliHome> => {
    const h = newHome();
    // Set-up in process: the same code as the binary, without a Node start per step.
    const r = await h.runInProcess(['demo-setup', '--url', url]);
    expect(r.code, r.stderr).toBe(0);
    return h;
  };
  /** Both demo environments, signed in: owner (Supabase) and the restricted session-API user. */
  const signedIn = async (): Promise<CliHome> => {
    const h = await demoHome();
    const a = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' });
    expect(a.code, a.stderr).toBe(0);
    const b = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'restricted@test.com'], { input: 'stringstring\n' });
    expect(b.code, b.stderr).toBe(0);
    return h;
  };
  return { demo: server, newHome, demoHome, signedIn };
}

/**
 * Runs `tokendesk ARGS…` on a pseudo-terminal (tests/helpers/pty-run.py, Python's pty module), since a
 * pipe never gets questions: each step waits for a prompt (a regular expression) and types the answer.
 */
export function onTerminal(env: NodeJS.ProcessEnv, args: string[], steps: Array<[string, string]>): Promise<{ code: number | null; output: string; unanswered: string[] }> {
  const spec = JSON.stringify({ argv: [process.execPath, CLI, ...args], steps, timeout: 20 });
  return new Promise((resolvePromise, reject) => {
    execFile('python3', [join(root, 'tests/helpers/pty-run.py'), spec], { env, timeout: 30_000 }, (err, stdout) => {
      if (err) reject(err);
      else resolvePromise(JSON.parse(stdout) as { code: number | null; output: string; unanswered: string[] });
    });
  });
}
