import type { FlowAnswers, FlowCopyable, FlowField } from '../../contract/flows.js';

/** What a flow shows without waiting for an answer: a URL to open, a device code, a line of progress. */
export type FlowNotice =
  | { kind: 'open-url'; title: string; url: string; message: string; copy?: FlowCopyable }
  | { kind: 'device-code'; title: string; userCode: string; verificationUrl: string; message: string }
  | { kind: 'progress'; title: string; message: string; copy?: FlowCopyable };

export interface FlowQuestion {
  title: string;
  message?: string;
  fields: FlowField[];
  submitLabel?: string;
  /** Why the previous answer was not taken. */
  error?: string;
}

/**
 * What a running flow may do with its user. A provider's sign-in method is an async function that
 * calls these in order, so a conversation of several steps reads as straight-line code; the runner
 * (runner.ts) turns each call into a step the window, the web bridge or the CLI renders.
 */
export interface FlowIO {
  /** Aborted when the user cancels or the deadline passes: pass it to every request and wait. */
  readonly signal: AbortSignal;
  /**
   * Asks for the fields and resolves with the answers (required ones non-empty). Answers given when
   * the flow began are used first, without asking, when they cover every required field.
   */
  ask(question: FlowQuestion): Promise<FlowAnswers>;
  /** Shows a step that needs no answer; the flow goes on (a listener, a poll) until it is done. */
  show(notice: FlowNotice): void;
  /**
   * Called right before the flow stores its result: from then on cancel and the deadline no longer
   * stop it (cancel answers false), so "nothing was stored" is never said of a result that was. False
   * when it was already cancelled or timed out: then nothing may be stored.
   */
  commit(): boolean;
}
