import type { FlowAnswers, FlowField } from '../contract/flows.js';
import { TokenDeskError, type Identity } from '../core/facade.js';
import { openOrPrint } from './browser.js';
import type { Factory } from './factory.js';
import { UsageError } from './output.js';
import { askLine, canPrompt, readFirstLine, readPassword, SECRET_INPUT_LIMIT } from './prompt.js';

/** What the terminal knows before the flow asks: flags, and a value piped with --with-token. */
export interface FlowRenderOptions {
  envId: string;
  envName: string;
  method?: string;
  answers: FlowAnswers;
  noBrowser?: boolean;
  /** The command's name in usage errors ("login"). */
  verb: string;
}

/**
 * Runs a sign-in flow in the terminal, whatever its provider: each `ask` step is answered from the
 * flags first, then on a terminal by prompting (hidden for secrets), and in a pipe from the next line
 * of standard input; a URL is opened in the browser (or printed); a device code and progress go to
 * stderr, so stdout keeps only the result. Ctrl-C cancels the flow, which stores nothing.
 */
export async function renderSignInFlow(f: Factory, o: FlowRenderOptions): Promise<Identity & { warning?: string }> {
  const sessions = f.core().sessions;
  let step = await sessions.beginSignIn(o.envId, o.method, o.answers);
  const flowId = step.kind === 'done' ? undefined : step.flowId;
  const cancel = () => {
    if (flowId) sessions.cancelSignIn(flowId);
  };
  process.once('SIGINT', cancel);
  try {
    for (;;) {
      switch (step.kind) {
        case 'done':
          return step.result;
        case 'ask': {
          // In a pipe a refused answer cannot be typed again: the flow's reason ends the command.
          if (step.error && !canPrompt(f.io)) throw new TokenDeskError('invalid_input', step.error);
          if (step.error) f.term.errLine(step.error);
          if (step.message) f.term.errLine(step.message);
          const answers: FlowAnswers = {};
          // What is seen first (an email, a yes/no), secrets last: a hidden prompt comes after the questions.
          const order = [...step.fields.filter((x) => !x.secret), ...step.fields.filter((x) => x.secret)];
          // A question asked again (its answer was refused) is never answered from the flags again:
          // the same refused value would be sent for ever.
          const given = step.error ? {} : o.answers;
          for (const field of order) answers[field.name] = await answer(f, field, { ...o, answers: given }, answers);
          step = await sessions.continueSignIn(step.flowId, answers);
          break;
        }
        case 'open-url':
          f.term.errLine(step.message);
          if (step.copy) f.term.errLine(`${step.copy.label}: ${step.copy.value}`);
          await openOrPrint(f, step.url, { noBrowser: o.noBrowser ?? false });
          step = await sessions.continueSignIn(step.flowId);
          break;
        case 'device-code':
          f.term.errLine(`${step.message}\n\n    ${step.userCode}\n`);
          await openOrPrint(f, step.verificationUrl, { noBrowser: o.noBrowser ?? false });
          step = await sessions.continueSignIn(step.flowId);
          break;
        case 'progress':
          f.term.errLine(step.message);
          if (step.copy) f.term.errLine(`${step.copy.label}: ${step.copy.value}`);
          step = await sessions.continueSignIn(step.flowId);
          break;
      }
    }
  } catch (e) {
    cancel(); // a failure of ours (a refused prompt, Ctrl-D) leaves no flow waiting
    throw e;
  } finally {
    process.off('SIGINT', cancel);
  }
}

/** One field's answer: a flag's value, a prompt on a terminal, or the next line (or all) of standard input. */
async function answer(f: Factory, field: FlowField, o: FlowRenderOptions, sofar: FlowAnswers): Promise<string> {
  const given = o.answers[field.name];
  if (given !== undefined) return given;
  const where = o.envName;
  const tty = canPrompt(f.io);
  switch (field.kind) {
    case 'checkbox':
      if (!tty) return 'false';
      return /^y(es)?$/i.test(await askLine(f, `${field.label}? [y/N] `)) ? 'true' : 'false';
    case 'email':
    case 'text': {
      if (!tty) {
        if (field.kind === 'email') throw new UsageError(`${o.verb} needs --email EMAIL (nothing is asked when standard input is not a terminal)`);
        return readFirstLine(f.io.stdin, field.label.toLowerCase());
      }
      for (;;) {
        const value = await askLine(f, `${field.label} for ${where}: `);
        if (field.kind !== 'email' || /^[^\s@]+@[^\s@]+$/.test(value)) return value;
        f.term.errLine('Enter an email address such as me@example.com');
      }
    }
    case 'textarea':
      // A pasted session can span lines: in a pipe it is everything on standard input.
      if (!tty) return readAll(f.io.stdin, field.label.toLowerCase());
      return readPassword(f, `${field.label} (${where}), pasted on one line: `, { what: field.label.toLowerCase() });
    default: {
      const who = sofar.email ? `${sofar.email} (${where})` : where;
      return readPassword(f, `${field.label} for ${who}: `, { what: field.label.toLowerCase() });
    }
  }
}

/** The rest of standard input (`--with-token`: like gh, the token is whatever was piped), bounded. */
export function readAll(stream: NodeJS.ReadableStream, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (e?: Error) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      if (e) return reject(e);
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (!text) return reject(new TokenDeskError('invalid_input', `No ${what} on standard input: pipe it in, e.g. tokendesk login --env NAME --with-token < token.txt`));
      resolve(text);
    };
    const onData = (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      size += b.length;
      if (size > SECRET_INPUT_LIMIT) return done(new TokenDeskError('invalid_input', `The ${what} on standard input is larger than ${SECRET_INPUT_LIMIT / 1024} KiB`));
      chunks.push(b);
    };
    const onEnd = () => done();
    const onError = (e: Error) => done(e);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.resume();
  });
}
