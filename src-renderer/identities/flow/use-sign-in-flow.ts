import { useEffect, useRef, useState } from 'react';
import type { FlowAnswers, FlowStepView } from '../../../src-main/contract/flows.js';
import { errorMessage } from '../../api/types.js';
import { useDeskStore } from '../../store.js';

export type DoneStep = Extract<FlowStepView, { kind: 'done' }>;
/** A step the user sees while the flow is alive: a question, or a notice (URL, device code, progress). */
export type LiveStep = Exclude<FlowStepView, { kind: 'done' }>;

export interface FlowCallbacks {
  onDone(step: DoneStep): void | Promise<void>;
  /** The flow ended without a session (refused, timed out, cancelled elsewhere), in the user's words. */
  onFailed(message: string): void;
}

/**
 * Drives one sign-in flow through the contract, without knowing the provider: `begin` starts it,
 * a question waits for `answer`, and after a notice the next step is asked for at once
 * (continueSignIn waits for it); `sign-in-progress` events update a notice meanwhile. Only one flow is
 * live: steps of a flow that was cancelled or replaced are dropped. Unmounting (the panel closed,
 * another environment chosen) cancels the live flow, so nothing is left waiting in the core.
 */
export function useSignInFlow(envId: string, callbacks: FlowCallbacks) {
  const store = useDeskStore();
  const [step, setStep] = useState<LiveStep>();
  const live = useRef<string | undefined>(undefined);
  const mounted = useRef(true);
  const cb = useRef(callbacks);
  useEffect(() => {
    cb.current = callbacks;
  });
  const api = () => store.getState().api;

  const forget = (): void => {
    live.current = undefined;
    setStep(undefined);
  };

  function show(next: FlowStepView, flowId: string | undefined): void | Promise<void> {
    if (next.kind === 'done') {
      // Said even when the form is gone or the flow was cancelled meanwhile: the session is stored by
      // then (saving it changed the state, which may have closed the form before this step arrived).
      if (flowId === undefined || live.current === flowId) forget();
      return cb.current.onDone(next);
    }
    if (live.current !== next.flowId) return;
    setStep(next);
    if (next.kind !== 'ask') void follow(next.flowId);
  }

  /** After a notice: the flow's next step, whenever it comes. */
  async function follow(flowId: string): Promise<void> {
    try {
      const next = await api().continueSignIn({ flowId });
      await show(next, flowId);
    } catch (e) {
      if (live.current !== flowId) return;
      forget();
      cb.current.onFailed(errorMessage(e));
    }
  }

  /** Starts the method with the answers of its first fields; a failure rejects (shown in the form). */
  async function begin(method: string, answers: FlowAnswers): Promise<void> {
    cancel();
    const first = await api().beginSignIn({ envId, method, answers });
    if (first.kind !== 'done') {
      // Closed while the first step was on its way: that flow is nobody's, end it.
      if (!mounted.current) return void api().cancelSignIn({ flowId: first.flowId }).catch(() => undefined);
      live.current = first.flowId;
    }
    await show(first, first.kind === 'done' ? undefined : first.flowId);
  }

  /** Answers the question on screen; a failure ends the flow and goes to onFailed (the first form shows it). */
  async function answer(answers: FlowAnswers): Promise<void> {
    const flowId = live.current;
    if (!flowId) return;
    let next: FlowStepView;
    try {
      next = await api().continueSignIn({ flowId, answers });
    } catch (e) {
      if (live.current !== flowId) return;
      forget();
      // The runner may keep a flow alive after refusing an answer; the form starts over, so end it.
      void api().cancelSignIn({ flowId }).catch(() => undefined);
      cb.current.onFailed(errorMessage(e));
      return;
    }
    await show(next, flowId);
  }

  function cancel(): void {
    const flowId = live.current;
    forget();
    if (flowId) void api().cancelSignIn({ flowId }).catch(() => undefined);
  }

  // A notice's newer state (a poll's progress, a callback that arrived) reaches us as an event too.
  useEffect(() => {
    return store.getState().api.onEvent((e) => {
      if (e.type !== 'sign-in-progress' || e.flowId !== live.current || e.step.kind === 'done' || e.step.kind === 'ask') return;
      const next = e.step;
      // A question on screen is not replaced by a late notice: its answer is what the flow waits for.
      setStep((cur) => (cur && cur.kind !== 'ask' ? next : cur));
    });
  }, [store]);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      const flowId = live.current;
      live.current = undefined;
      if (flowId) void store.getState().api.cancelSignIn({ flowId }).catch(() => undefined);
    };
  }, [store]);

  return { step, begin, answer, cancel };
}
