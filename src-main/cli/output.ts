import { writeSync } from 'node:fs';
import { TokenDeskError, type ErrorCode } from '../core/errors.js';
import { escapeUnsafeInJson, sanitizeForDisplay } from '../core/text/sanitize.js';

/**
 * Everything the CLI prints goes through here, so stdout stays machine-readable (only what a command
 * exists to print) and every failure becomes one line on stderr plus an exit status scripts can test.
 * Text for people passes through sanitizeForDisplay: server messages and names from imported files
 * may carry escape sequences a terminal would obey.
 */
export const EXIT = {
  ok: 0,
  /** Any failure: bad input, wrong password, network, keychain… */
  error: 1,
  /** Bad command line (the usage is shown). */
  usage: 2,
  /** Sign-in needed: nobody signed in, or the session ended (like `gh`'s 4). */
  auth: 4,
  /** Interrupted at a prompt (128 + SIGINT). */
  interrupted: 130,
} as const;

const AUTH_CODES: ReadonlySet<ErrorCode> = new Set(['not_signed_in', 'session_expired']);

export const PROGRAM = 'tokendesk';

/** Ctrl-C / Ctrl-D at a prompt. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

/**
 * out() without creating process.stdout (a stream and its handle: ~2 ms of `tokendesk token`'s
 * ~80), for the CLI's hot path: the same bytes, written to fd 1 synchronously. A non-blocking pipe
 * that is full (EAGAIN) hands the rest to the stream, which waits for it; a failed write ends the run
 * as the stream's error handler does (EPIPE quietly, anything else with one line and exit 1).
 */
export function outSync(text: string): void {
  const clean = sanitizeForDisplay(text, { multiline: true });
  const bytes = Buffer.from(clean.endsWith('\n') ? clean : `${clean}\n`, 'utf8');
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') streamFailed('standard output', e as NodeJS.ErrnoException);
    guardOutputStreams();
    process.stdout.write(bytes.subarray(done));
  }
}

/** An error message is one line: a newline inside it would break "one line on stderr". */
function oneLine(s: string): string {
  return sanitizeForDisplay(s.replace(/\s*[\r\n]+\s*/g, ' ')).trim();
}

const STREAM_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is too large',
  EIO: 'input/output error',
  EBADF: 'it is not open for writing',
};

/**
 * A failed write to stdout or stderr ends the run with exit 1 and no stack trace: what was printed
 * is incomplete (`status > /dev/full`, a full disk). One line says so on stderr if stderr still
 * takes it. A closed pipe (`status | head`) is the reader's choice, so EPIPE stays a quiet exit
 * with the status so far.
 */
export function guardOutputStreams(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => streamFailed('standard output', e));
  process.stderr.on('error', (e: NodeJS.ErrnoException) => streamFailed('standard error', e));
}

function streamFailed(which: 'standard output' | 'standard error', e: NodeJS.ErrnoException): never {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  if (which === 'standard output') {
    const why = (e.code ? STREAM_ERRORS[e.code] : undefined) ?? 'the write failed';
    try {
      // Synchronous, so the line is out before the exit; stderr may be just as broken.
      writeSync(2, `${PROGRAM}: could not write to standard output: ${why}${e.code ? ` (${e.code})` : ''}\n`);
    } catch {
      // Nowhere left to say it: the exit status tells.
    }
  }
  process.exit(EXIT.error);
}

/** System errors (EACCES, ENOENT…) name a path and a code, never a secret: safe to show. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/** "in 59 min", "2 h 5 min ago": how long a token lives, at a glance. */
export function relativeTime(ms: number, now = Date.now()): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  const s = Math.round(abs / 1000);
  let text: string;
  if (s < 60) text = `${s} s`;
  else if (s < 3600) text = `${Math.floor(s / 60)} min`;
  else if (s < 86_400) text = withPart(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min');
  else text = withPart(Math.floor(s / 86_400), 'd', Math.floor((s % 86_400) / 3600), 'h');
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** "1 h", "1 h 5 min": no "0 min" tail. */
function withPart(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
}

export { localTime } from '../core/format-time.js';

const SGR = { green: 32, red: 31, yellow: 33, dim: 2, bold: 1 } as const;
export type Tone = keyof typeof SGR;

/** Paints already-sanitised text; `on` false returns it unchanged. */
export function paint(text: string, tone: Tone, on: boolean): string {
  return on ? `\u001b[${SGR[tone]}m${text}\u001b[0m` : text;
}

/** ✓ / ✗ / ! on a terminal; nothing (empty string) in a pipe, so piped output stays as it was. */
export function symbol(kind: 'ok' | 'fail' | 'warn', on: boolean): string {
  if (!on) return '';
  const [ch, tone] = kind === 'ok' ? ['✓', 'green' as const] : kind === 'fail' ? ['✗', 'red' as const] : ['!', 'yellow' as const];
  return `${paint(ch, tone, true)} `;
}

/** Text for a line written by outStyled: controls and escape sequences from names or servers removed. */
export function clean(text: string): string {
  return sanitizeForDisplay(text);
}

/** "5,000": counts people read at a glance. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A usage problem the user fixes with one flag or command: one line, exit 2, no help dump. */
export class UsageError extends TokenDeskError {
  readonly exitCode = EXIT.usage;
  constructor(message: string) {
    super('invalid_input', message);
  }
}

/** The streams a CLI run reads and writes, and its environment: the process's own, or a test's. */
export interface IoStreams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; isRaw?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stderr: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export function processIo(): IoStreams {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/**
 * Everything a command prints, on the run's own streams (gh's IOStreams): stdout holds only what a
 * command exists to print; every line for people passes through sanitizeForDisplay.
 */
export class Terminal {
  constructor(readonly io: IoStreams) {}

  /** Text for people on stdout (lines kept, controls and escape sequences removed). */
  out(text: string): void {
    const clean = sanitizeForDisplay(text, { multiline: true });
    this.io.stdout.write(clean.endsWith('\n') ? clean : `${clean}\n`);
  }

  /** Bytes a command exists to print (an export's file body), unchanged. */
  raw(body: string): void {
    this.io.stdout.write(body);
  }

  /** One JSON document on stdout: the data unchanged, no byte a terminal would obey. */
  outJson(value: unknown): void {
    const text = escapeUnsafeInJson(JSON.stringify(value, null, 2));
    this.io.stdout.write(`${text}\n`);
  }

  /** Writes lines whose variable parts the caller passed through `clean()`; only our own SGR codes are added. */
  outStyled(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A line for people on stderr (prompts, progress, warnings). */
  errLine(text: string, opts: { newline?: boolean } = {}): void {
    this.io.stderr.write(`${sanitizeForDisplay(text)}${opts.newline === false ? '' : '\n'}`);
  }

  warn(message: string): void {
    this.errLine(`${PROGRAM}: warning: ${oneLine(message)}`);
  }

  info(message: string): void {
    this.io.stderr.write(`${sanitizeForDisplay(message, { multiline: true })}\n`);
  }

  /**
   * Colour and symbols for a person at a terminal, like `gh auth status`: never when the stream is
   * piped, with NO_COLOR set to anything (no-color.org) or TERM=dumb. CLICOLOR_FORCE=1 (gh's
   * convention) turns them on in a pipe, for tests and `| less -R`.
   */
  styled(stream: { isTTY?: boolean } = this.io.stdout): boolean {
    const env = this.io.env;
    if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
    if (env.CLICOLOR_FORCE !== undefined && env.CLICOLOR_FORCE !== '' && env.CLICOLOR_FORCE !== '0') return true;
    if (env.TERM === 'dumb') return false;
    return stream.isTTY === true;
  }

/** Prints the one-line message for `e` and returns the exit status. Foreign messages are not echoed (they may hold a secret). */
  reportError(e: unknown): number {
  if (e instanceof CancelledError) {
    this.errLine(`${PROGRAM}: cancelled`);
    return EXIT.interrupted;
  }
  if (e instanceof TokenDeskError) {
    this.errLine(`${PROGRAM}: ${oneLine(e.message)}`);
    // exec: 127 / 126 for a command that cannot be run, as a shell would.
    const own = (e as { exitCode?: unknown }).exitCode;
    if (typeof own === 'number') return own;
    // A change that needs a yes nobody gave (a pipe without --yes): bad usage, like a missing flag.
    if (e.code === 'confirmation_required') return EXIT.usage;
    return AUTH_CODES.has(e.code) ? EXIT.auth : EXIT.error;
  }
  if (isSystemError(e)) {
    this.errLine(`${PROGRAM}: ${oneLine(e.message)}`);
    return EXIT.error;
  }
  this.io.stderr.write(`${PROGRAM}: unexpected error${this.io.env.TOKENDESK_DEBUG ? '' : ' (set TOKENDESK_DEBUG=1 for details)'}\n`);
  if (this.io.env.TOKENDESK_DEBUG) this.io.stderr.write(`${sanitizeForDisplay(e instanceof Error ? (e.stack ?? e.message) : String(e), { multiline: true })}\n`);
  return EXIT.error;
}
}
