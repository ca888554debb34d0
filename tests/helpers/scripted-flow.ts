import type { FlowAnswers } from '../../src-main/contract/flows.js';
import type { FlowIO, FlowNotice, FlowQuestion } from '../../src-main/core/flows/types.js';

/** Answers as a script writes them (a field it leaves out may be undefined). */
type Answers = Record<string, string | undefined>;

/**
 * A FlowIO played by a script, the way a person would: each question is answered by `answer` (which
 * may read the demo mailbox first), each notice is handed to `onShow` (which may play the browser).
 * Everything asked and shown is recorded, so a test can say what the user saw.
 */
export function scriptedIO(script: {
  answer: (q: FlowQuestion, n: number) => Answers | Promise<Answers>;
  onShow?: (n: FlowNotice) => void;
}): FlowIO & { asked: FlowQuestion[]; shown: FlowNotice[]; controller: AbortController } {
  const controller = new AbortController();
  const asked: FlowQuestion[] = [];
  const shown: FlowNotice[] = [];
  return {
    signal: controller.signal,
    controller,
    asked,
    shown,
    async ask(q) {
      asked.push(q);
      const given = await script.answer(q, asked.length - 1);
      const out: FlowAnswers = {};
      for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v;
      return out;
    },
    show(n) {
      shown.push(n);
      script.onShow?.(n);
    },
    commit: () => !controller.signal.aborted,
  };
}

/**
 * A FlowIO whose user only reacts to each notice (a browser to open, a code to show); a method that
 * asks a question fails the test. `controller` cancels the flow as the user's Cancel would.
 */
export function userIO(onNotice: (n: FlowNotice) => void): FlowIO & { controller: AbortController } {
  const controller = new AbortController();
  return { signal: controller.signal, controller, ask: () => Promise.reject(new Error('unexpected question')), show: onNotice, commit: () => !controller.signal.aborted };
}
