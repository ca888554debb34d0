import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { FLOW_DEFAULT_DEADLINE_MS, type FlowAnswers } from '../../contract/flows.js';
import { TokenDeskError } from '../errors.js';
import type { FlowIO, FlowNotice, FlowQuestion } from './types.js';

/** A step as the runner hands it out: `done` carries the flow's result, the others are shown. */
export type RunnerStep<R> =
  | { kind: 'done'; result: R }
  | ({ kind: 'ask'; flowId: string; expiresAt: number } & FlowQuestion)
  | ({ flowId: string; expiresAt: number } & FlowNotice);

export interface FlowTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface Pending {
  fields: FlowQuestion['fields'];
  resolve(answers: FlowAnswers): void;
  reject(e: unknown): void;
}

interface Flow<R> {
  id: string;
  controller: AbortController;
  timer: unknown;
  expiresAt: number;
  /** Steps not yet handed to the client, oldest first. */
  queue: Array<RunnerStep<R> | { kind: 'failed'; error: unknown }>;
  wake?: () => void;
  asking?: Pending;
  /** Answers given up front, used once by the first question they cover. */
  initial?: FlowAnswers;
  finished: boolean;
  /** Its result is being stored: cancel and the deadline no longer stop it (FlowIO.commit). */
  committing: boolean;
  /** URLs its notices asked to open. */
  shown: Set<string>;
}

/**
 * Runs sign-in flows: each is an async function talking to its user through FlowIO. A client begins
 * one and gets its first step; it answers an `ask` step (or, after a step shown without an answer,
 * asks for the next one) with `next`; `cancel` ends it. A flow has a deadline; a cancelled, timed-out
 * or failed flow is forgotten at once: its timer cleared, its signal aborted (which ends its requests
 * and listeners), and nothing it would still store is stored (its function checks the signal before
 * writing). Steps are also emitted as events for a window that follows a flow it did not start.
 */
export class FlowRunner<R> {
  readonly events = new EventEmitter<{ step: [RunnerStep<R> & { flowId?: string }] }>();
  private readonly flows = new Map<string, Flow<R>>();

  constructor(
    private readonly opts: { now: () => number; timers?: FlowTimers; deadlineMs?: number } = { now: Date.now },
  ) {}

  /**
   * The pages the flows in progress asked to open (open-url, a device code's verification page): the
   * Electron shell opens exactly these besides its environments' origins.
   */
  shownUrls(): string[] {
    return [...this.flows.values()].flatMap((f) => [...f.shown]);
  }

  /** How many flows are in progress (tests: nothing left behind). */
  get active(): number {
    return this.flows.size;
  }

  /** Starts `run` and resolves with its first step: done, a question, or a notice. */
  begin(run: (io: FlowIO) => Promise<R>, opts: { answers?: FlowAnswers; deadlineMs?: number } = {}): Promise<RunnerStep<R>> {
    const timers = this.opts.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    const deadlineMs = opts.deadlineMs ?? this.opts.deadlineMs ?? FLOW_DEFAULT_DEADLINE_MS;
    const flow: Flow<R> = {
      id: randomUUID(),
      controller: new AbortController(),
      timer: undefined,
      expiresAt: this.opts.now() + deadlineMs,
      queue: [],
      finished: false,
      committing: false,
      shown: new Set(),
      ...(opts.answers && { initial: opts.answers }),
    };
    this.flows.set(flow.id, flow);
    flow.timer = timers.setTimeout(() => {
      if (flow.committing) return; // storing its result now: it ends in a moment, as done
      this.end(flow, new TokenDeskError('flow_timed_out', `The sign-in timed out after ${Math.round(deadlineMs / 60_000) || 1} min: nothing was stored; start again`));
    }, deadlineMs);
    const io: FlowIO = {
      signal: flow.controller.signal,
      ask: (question) => this.ask(flow, question),
      show: (notice) => {
        if (notice.kind === 'open-url') flow.shown.add(notice.url);
        if (notice.kind === 'device-code') flow.shown.add(notice.verificationUrl);
        this.push(flow, { ...notice, flowId: flow.id, expiresAt: flow.expiresAt });
      },
      commit: () => {
        if (flow.finished) return false;
        flow.committing = true;
        return true;
      },
    };
    run(io).then(
      (result) => {
        if (flow.finished) return; // cancelled or timed out meanwhile: its result is dropped
        this.push(flow, { kind: 'done', result });
        this.finish(flow);
      },
      (error: unknown) => {
        if (flow.finished) return;
        flow.queue.push({ kind: 'failed', error });
        this.finish(flow);
        flow.wake?.();
      },
    );
    return this.nextStep(flow);
  }

  /** Answers the flow's question (when it asks one) and resolves with its next step. */
  next(flowId: string, answers?: FlowAnswers): Promise<RunnerStep<R>> {
    const flow = this.flows.get(flowId) ?? this.finishedWithSteps(flowId);
    if (!flow) return Promise.reject(gone());
    // One caller waits for a flow's next step at a time: a second (a double submit, a retried request)
    // would otherwise take the step from the first and leave it waiting for ever.
    if (flow.wake) return Promise.reject(new TokenDeskError('flow_busy', 'This sign-in is already waiting for its next step'));
    if (answers && flow.asking) {
      const missing = flow.asking.fields.find((f) => f.required && f.kind !== 'checkbox' && !(answers[f.name] ?? '').trim());
      if (missing) return Promise.reject(new TokenDeskError('invalid_input', `Enter ${missing.label.toLowerCase()}`));
      const { resolve, fields } = flow.asking;
      flow.asking = undefined;
      resolve(pickFields(answers, fields));
    }
    return this.nextStep(flow);
  }

  /** Ends the flow; true when there was one to end (false too when it is already storing its result). */
  cancel(flowId: string): boolean {
    const flow = this.flows.get(flowId);
    if (!flow || flow.committing) return false;
    this.end(flow, new TokenDeskError('flow_cancelled', 'The sign-in was cancelled: nothing was stored'));
    return true;
  }

  /** Cancels every flow (the app is closing). */
  cancelAll(): void {
    for (const id of [...this.flows.keys()]) this.cancel(id);
  }

  private ask(flow: Flow<R>, question: FlowQuestion): Promise<FlowAnswers> {
    if (flow.finished) return Promise.reject(flow.controller.signal.reason);
    const initial = flow.initial;
    if (initial && !question.error && question.fields.every((f) => !f.required || f.kind === 'checkbox' || (initial[f.name] ?? '').trim())) {
      flow.initial = undefined;
      return Promise.resolve(pickFields(initial, question.fields));
    }
    return new Promise<FlowAnswers>((resolve, reject) => {
      flow.asking = { fields: question.fields, resolve, reject };
      // Non-secret answers given up front are offered again as the fields' values.
      const fields = question.fields.map((f) => (!f.secret && initial?.[f.name] && f.value === undefined ? { ...f, value: initial[f.name] } : f));
      this.push(flow, { kind: 'ask', flowId: flow.id, expiresAt: flow.expiresAt, ...question, fields });
    });
  }

  private push(flow: Flow<R>, step: RunnerStep<R>): void {
    if (flow.finished && step.kind !== 'done') return;
    // A notice replaces one not yet handed out: a client catching up sees the newest state only.
    const last = flow.queue[flow.queue.length - 1];
    if (last && last.kind !== 'done' && last.kind !== 'ask' && last.kind !== 'failed' && step.kind !== 'done' && step.kind !== 'ask') flow.queue.pop();
    flow.queue.push(step);
    this.events.emit('step', step.kind === 'done' ? { ...step, flowId: flow.id } : step);
    flow.wake?.();
  }

  private async nextStep(flow: Flow<R>): Promise<RunnerStep<R>> {
    while (flow.queue.length === 0) {
      if (flow.finished && !this.retained.has(flow.id)) throw gone();
      await new Promise<void>((resolve) => {
        flow.wake = resolve;
      });
      flow.wake = undefined;
    }
    const step = flow.queue.shift()!;
    if (flow.finished && flow.queue.length === 0) this.retained.delete(flow.id);
    if (step.kind === 'failed') throw step.error;
    return step;
  }

  /** Finished flows whose last steps (done, or the failure) a client has not collected yet. */
  private readonly retained = new Map<string, Flow<R>>();

  private finishedWithSteps(flowId: string): Flow<R> | undefined {
    return this.retained.get(flowId);
  }

  private finish(flow: Flow<R>): void {
    flow.finished = true;
    (this.opts.timers?.clearTimeout ?? ((h: unknown) => clearTimeout(h as NodeJS.Timeout)))(flow.timer);
    this.flows.delete(flow.id);
    if (flow.queue.length > 0) {
      this.retained.set(flow.id, flow);
      // Bounded: a client that never collects its last step does not keep flows forever.
      if (this.retained.size > 32) this.retained.delete(this.retained.keys().next().value!);
    }
    // Whatever the flow still has open (a request, a listener, a poll) watches this signal.
    if (!flow.controller.signal.aborted) flow.controller.abort(new TokenDeskError('flow_cancelled', 'The sign-in has ended'));
  }

  private end(flow: Flow<R>, reason: TokenDeskError): void {
    if (flow.finished) return;
    flow.controller.abort(reason);
    flow.asking?.reject(reason);
    flow.asking = undefined;
    flow.queue = [{ kind: 'failed', error: reason }];
    this.finish(flow);
    flow.wake?.();
  }
}

function gone(): TokenDeskError {
  return new TokenDeskError('flow_not_found', 'This sign-in is no longer in progress (it finished, was cancelled or timed out): start again');
}

function pickFields(answers: FlowAnswers, fields: FlowQuestion['fields']): FlowAnswers {
  const out: FlowAnswers = {};
  for (const f of fields) if (answers[f.name] !== undefined) out[f.name] = answers[f.name]!;
  return out;
}
