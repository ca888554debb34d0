import { TokenDeskError, type ErrorCode } from '../core/errors.js';

/**
 * Everything the CLI prints goes through here, so stdout stays machine-readable (only what a command
 * exists to print) and every failure becomes one line on stderr plus an exit status scripts can test.
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

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function warn(message: string): void {
  process.stderr.write(`${PROGRAM}: warning: ${oneLine(message)}\n`);
}

export function info(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** An error message is one line: a newline inside it would break "one line on stderr". */
function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** System errors (EACCES, ENOENT…) name a path and a code, never a secret: safe to show. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/** Prints the one-line message for `e` and returns the exit status. Foreign messages are not echoed (they may hold a secret). */
export function reportError(e: unknown): number {
  if (e instanceof CancelledError) {
    process.stderr.write(`${PROGRAM}: cancelled\n`);
    return EXIT.interrupted;
  }
  if (e instanceof TokenDeskError) {
    process.stderr.write(`${PROGRAM}: ${oneLine(e.message)}\n`);
    // exec: 127 / 126 for a command that cannot be run, as a shell would.
    const own = (e as { exitCode?: unknown }).exitCode;
    if (typeof own === 'number') return own;
    return AUTH_CODES.has(e.code) ? EXIT.auth : EXIT.error;
  }
  if (isSystemError(e)) {
    process.stderr.write(`${PROGRAM}: ${oneLine(e.message)}\n`);
    return EXIT.error;
  }
  process.stderr.write(`${PROGRAM}: unexpected error${process.env.TOKENDESK_DEBUG ? '' : ' (set TOKENDESK_DEBUG=1 for details)'}\n`);
  if (process.env.TOKENDESK_DEBUG) process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT.error;
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
