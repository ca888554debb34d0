import { CancelledError, PROGRAM, type IoStreams } from './output.js';
import type { Factory } from './factory.js';
import { TokenDeskError, sanitizeForDisplay } from '../core/facade.js';

/**
 * The password, never from an argument (shell history, `ps`): a hidden prompt on a terminal,
 * otherwise the first line of standard input (`printf '%s\n' "$PW" | tokendesk login …`).
 */
export async function readPassword(f: Factory, prompt: string, opts: { confirm?: boolean; what?: string } = {}): Promise<string> {
  const stdin = f.io.stdin;
  if (!stdin.isTTY) return readFirstLine(stdin, opts.what);
  const first = await readHidden(f, prompt, opts.what ?? 'password');
  if (opts.confirm) {
    const again = await readHidden(f, 'Repeat the password: ', 'password');
    if (again !== first) throw new TokenDeskError('invalid_input', 'The two passwords differ');
  }
  return first;
}

/**
 * The file secret store's passphrase (TOKENDESK_SECRET_STORE=file), on a terminal only: asked twice
 * when the key file is made, so a typo does not lock the vault away.
 */
export async function readPassphrase(f: Factory, purpose: 'unlock' | 'create'): Promise<string> {
  if (purpose === 'unlock') return readHidden(f, 'Passphrase of the TokenDesk secrets key file: ', 'passphrase');
  const first = await readHidden(f, 'New passphrase for the TokenDesk secrets key file: ', 'passphrase');
  const again = await readHidden(f, 'Repeat the passphrase: ', 'passphrase');
  if (again !== first) throw new TokenDeskError('invalid_input', 'The two passphrases differ; nothing was stored');
  return first;
}

/** A secret option given as `-`: read like a password, so it stays out of argv and shell history. */
export async function secretFromArg(f: Factory, value: string | undefined, what: string): Promise<string | undefined> {
  if (value !== '-') return value;
  return readPassword(f, `${what}: `, { what: what.toLowerCase().replace(/^api/, 'API') });
}

/** A password or key is short: past this, standard input is not one (`< /dev/zero`, a file piped in by mistake). */
export const SECRET_INPUT_LIMIT = 64 * 1024;

/**
 * Per input stream: what a previous read took past its newline (`--anon-key - --api-key -` reads two
 * lines, in that order) and whether it saw the end of the input.
 */
const readState = new WeakMap<object, { pending: Buffer; ended: boolean }>();

/**
 * Reads up to the first newline and stops, leaving the rest of stdin unread. Bounded: a line longer
 * than SECRET_INPUT_LIMIT, or a NUL byte in it, fails at once instead of reading on.
 */
export function readFirstLine(stream: NodeJS.ReadableStream, what = 'password'): Promise<string> {
  let state = readState.get(stream);
  if (!state) readState.set(stream, (state = { pending: Buffer.alloc(0), ended: false }));
  const st = state;
  return new Promise((resolve, reject) => {
    let buf = st.pending;
    st.pending = Buffer.alloc(0);
    let done = false;
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.pause();
      // Release the handle so a pipe that stays open does not keep the process alive.
      (stream as unknown as { unref?: () => void }).unref?.();
      if (err) return reject(err);
      const nl = buf.indexOf(0x0a);
      const lineBytes = nl >= 0 ? buf.subarray(0, nl) : buf;
      if (nl >= 0) st.pending = buf.subarray(nl + 1);
      const tooLong = lineBytes.length > SECRET_INPUT_LIMIT;
      if (tooLong || lineBytes.includes(0)) {
        const why = tooLong ? `is longer than ${SECRET_INPUT_LIMIT / 1024} KiB` : 'contains a NUL byte';
        return reject(new TokenDeskError('invalid_input', `The ${what} on standard input ${why}: give only the ${what}, on the first line: printf '%s\\n' "$VALUE" | ${PROGRAM} …`));
      }
      const line = lineBytes.toString('utf8').replace(/\r$/, '');
      if (line !== '') return resolve(line);
      // Nothing at all (`< /dev/null`, a closed pipe, a script run without a terminal) or an empty first line.
      const why = buf.length === 0 ? 'standard input is empty and not a terminal' : 'the first line of standard input is empty';
      reject(new TokenDeskError('invalid_input', `No ${what}: ${why}; type it at a terminal, or pipe it in: printf '%s\\n' "$VALUE" | ${PROGRAM} …`));
    };
    /** Enough to decide: a whole line, a NUL byte, or more than the limit without a newline. */
    const decided = (): boolean => {
      const nl = buf.indexOf(0x0a);
      const line = nl >= 0 ? buf.subarray(0, nl) : buf;
      return nl >= 0 || line.length > SECRET_INPUT_LIMIT || line.includes(0);
    };
    const onData = (chunk: Buffer | string): void => {
      buf = Buffer.concat([buf, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
      if (decided()) finish();
    };
    const onEnd = (): void => {
      st.ended = true;
      finish();
    };
    const onError = (): void => finish(new TokenDeskError('invalid_input', `Could not read the ${what} from standard input`));
    // The line is already here, or a previous read saw the end of the input.
    if (decided() || st.ended) return finish();
    (stream as unknown as { ref?: () => void }).ref?.();
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.resume();
  });
}

/** A no-echo prompt in raw mode: Enter ends, Backspace and Ctrl-U edit, Ctrl-C / Ctrl-D (on empty) cancel. */
function readHidden(f: Factory, prompt: string, what: string): Promise<string> {
  const stdin = f.io.stdin as NodeJS.ReadStream;
  // The prompt names the environment, which may come from an imported file.
  f.term.errLine(prompt, { newline: false });
  return new Promise((resolve, reject) => {
    let value = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    const finish = (err?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      f.io.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        // Arrow keys and other escape sequences arrive whole in one chunk: drop them.
        if (ch === '\u001b') break;
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new CancelledError('cancelled'));
        if (ch === '\u0004') {
          if (value === '') return finish(new CancelledError('cancelled'));
          continue;
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch === '\u0015') value = '';
        else if (ch >= ' ') value += ch;
        if (value.length > SECRET_INPUT_LIMIT) return finish(new TokenDeskError('invalid_input', `The ${what} is longer than ${SECRET_INPUT_LIMIT / 1024} KiB`));
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** Prompts are for people: only when both standard input and standard error are terminals, so a pipe or a script never hangs. */
export function canPrompt(io: IoStreams): boolean {
  return io.stdin.isTTY === true && io.stderr.isTTY === true;
}

/** One visible line typed at the terminal (an email, a choice); Ctrl-C / Ctrl-D cancel. */
export async function askLine(f: Factory, question: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: f.io.stdin, output: f.io.stderr as NodeJS.WritableStream, terminal: true });
  return new Promise((resolve, reject) => {
    let answered = false;
    rl.once('SIGINT', () => {
      rl.close();
      reject(new CancelledError('cancelled'));
    });
    rl.once('close', () => {
      if (!answered) reject(new CancelledError('cancelled'));
    });
    // The question may name an environment from an imported file.
    rl.question(sanitizeForDisplay(question), (answer) => {
      answered = true;
      rl.close();
      resolve(answer.trim());
    });
  });
}

/** A numbered choice, like `gh auth login`'s "What account do you want to log into?". */
export async function choose<T>(f: Factory, question: string, items: readonly T[], label: (item: T) => string): Promise<T> {
  if (items.length === 1) return items[0]!;
  f.term.errLine(question);
  items.forEach((item, i) => f.term.errLine(`  ${i + 1}) ${label(item)}`));
  for (;;) {
    const answer = await askLine(f, `Choose 1-${items.length}: `);
    const n = Number(answer);
    if (Number.isInteger(n) && n >= 1 && n <= items.length) return items[n - 1]!;
    const byName = items.filter((item) => label(item).toLowerCase().startsWith(answer.toLowerCase()));
    if (answer !== '' && byName.length === 1) return byName[0]!;
  }
}
