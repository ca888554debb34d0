import { processIo, Terminal, type IoStreams } from './output.js';
import { openCore, type Core } from '../core/facade.js';
import { canPrompt, readPassphrase } from './prompt.js';
import { createBrowserOpener, type BrowserOpener } from './browser.js';

/**
 * What every command is given (gh's cmdutil.Factory): the run's streams and a terminal on them, the
 * core (opened on first use, so `--help` and usage errors never touch the keychain), and where the
 * exit status goes. The binary builds it from the process; tests build one on a folder and buffers
 * and run commands in process (CliHome.runInProcess, tests/helpers/cli.ts).
 */
export interface Factory {
  readonly io: IoStreams;
  readonly term: Terminal;
  core(): Core;
  /** Opens a URL in the user's browser (browser.ts; openOrPrint prints it when none opens). Tests inject a fake. */
  readonly browser: BrowserOpener;
  /** A status other than success without an error (status: nobody signed in; exec: the command's own). */
  setExitCode(code: number): void;
  exitCode(): number | undefined;
}

export function createFactory(
  io: IoStreams,
  open: () => Core,
  browser: BrowserOpener = createBrowserOpener({ platform: process.platform, env: io.env }),
): Factory {
  let core: Core | undefined;
  let code: number | undefined;
  return {
    io,
    term: new Terminal(io),
    browser,
    core: () => (core ??= open()),
    setExitCode: (c) => {
      code = c;
    },
    exitCode: () => code,
  };
}

/** The binary's factory: the process's streams, TOKENDESK_HOME's core, the process's exit status. */
export function processFactory(): Factory {
  const io = processIo();
  // The file secret store's passphrase: a hidden prompt when there is a terminal, else its file or an error.
  const f: Factory = createFactory(io, () => openCore(canPrompt(io) ? { passphrasePrompt: (purpose) => readPassphrase(f, purpose) } : {}));
  return {
    ...f,
    // Set at once, so an early exit (a reader that closed the pipe) still ends with it.
    setExitCode: (c) => {
      f.setExitCode(c);
      process.exitCode = c;
    },
  };
}

/** A command's action with the factory bound: `.action(withFactory(f, login))`. */
export function withFactory<A extends unknown[], R>(f: Factory, fn: (f: Factory, ...args: A) => R): (...args: A) => R {
  return (...args) => fn(f, ...args);
}
