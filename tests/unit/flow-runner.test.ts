import { describe, expect, it } from 'vitest';
import type { FlowField } from '../../src-main/contract/flows.js';
import { FlowRunner, type FlowTimers } from '../../src-main/core/flows/runner.js';
import type { FlowIO } from '../../src-main/core/flows/types.js';

const CODE: FlowField = { name: 'code', label: 'Code', kind: 'code', secret: true, required: true };
const EMAIL: FlowField = { name: 'email', label: 'Email', kind: 'email', secret: false, required: true };

/** Timers a test fires by hand: a flow's deadline without waiting ten minutes. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let seq = 0;
  const timers: FlowTimers = {
    setTimeout: (fn) => (pending.set(++seq, fn), seq),
    clearTimeout: (h) => void pending.delete(h as number),
  };
  return { timers, pending, fire: () => [...pending.values()].forEach((fn) => fn()) };
}

describe('sign-in flows (core/flows/runner.ts)', () => {
  it('a two-step flow asks, takes the answers in order and ends done, leaving no flow or timer behind', async () => {
    const t = manualTimers();
    const runner = new FlowRunner<string>({ now: () => 1000, timers: t.timers });
    const first = await runner.begin(async (io) => {
      const a = await io.ask({ title: 'Who', fields: [EMAIL] });
      const b = await io.ask({ title: 'Code', fields: [CODE] });
      return `${a.email}:${b.code}`;
    });
    expect(first).toMatchObject({ kind: 'ask', title: 'Who', expiresAt: 1000 + 600_000 });
    const flowId = first.kind === 'ask' ? first.flowId : '';
    const second = await runner.next(flowId, { email: 'me@x.test', ignored: 'x' });
    expect(second).toMatchObject({ kind: 'ask', title: 'Code' });
    expect(await runner.next(flowId, { code: '123456' })).toEqual({ kind: 'done', result: 'me@x.test:123456' });
    expect(runner.active).toBe(0);
    expect(t.pending.size).toBe(0);
    await expect(runner.next(flowId, {})).rejects.toMatchObject({ code: 'flow_not_found' });
  });

  it('answers given up front answer the first question without asking; an empty required answer is refused', async () => {
    const runner = new FlowRunner<string>({ now: () => 0, timers: manualTimers().timers });
    const done = await runner.begin(async (io) => (await io.ask({ title: 'Who', fields: [EMAIL] })).email!, { answers: { email: 'up@front.test' } });
    expect(done).toEqual({ kind: 'done', result: 'up@front.test' });
    const asked = await runner.begin(async (io) => (await io.ask({ title: 'Code', fields: [CODE] })).code!);
    if (asked.kind !== 'ask') throw new Error('expected a question');
    await expect(runner.next(asked.flowId, { code: '  ' })).rejects.toMatchObject({ code: 'invalid_input', message: 'Enter code' });
    expect(await runner.next(asked.flowId, { code: '42' })).toEqual({ kind: 'done', result: '42' });
  });

  it('cancel ends the flow: its signal aborts, its question fails, and its result is dropped', async () => {
    const t = manualTimers();
    const runner = new FlowRunner<string>({ now: () => 0, timers: t.timers });
    let seen: FlowIO | undefined;
    let stored = false;
    const first = await runner.begin(async (io) => {
      seen = io;
      await io.ask({ title: 'Code', fields: [CODE] }).catch(() => undefined);
      if (!io.signal.aborted) stored = true;
      return 'late';
    });
    if (first.kind !== 'ask') throw new Error('expected a question');
    expect(runner.cancel(first.flowId)).toBe(true);
    expect(seen!.signal.aborted).toBe(true);
    expect(seen!.signal.reason).toMatchObject({ code: 'flow_cancelled' });
    await expect(runner.next(first.flowId, { code: '1' })).rejects.toMatchObject({ code: 'flow_cancelled' });
    await expect(runner.next(first.flowId)).rejects.toMatchObject({ code: 'flow_not_found' });
    expect(stored).toBe(false);
    expect(runner.active).toBe(0);
    expect(t.pending.size).toBe(0);
  });

  it('the deadline ends a flow that waits for an answer with flow_timed_out', async () => {
    const t = manualTimers();
    const runner = new FlowRunner<string>({ now: () => 0, timers: t.timers, deadlineMs: 60_000 });
    const first = await runner.begin(async (io) => (await io.ask({ title: 'Code', fields: [CODE] })).code!);
    if (first.kind !== 'ask') throw new Error('expected a question');
    t.fire();
    await expect(runner.next(first.flowId, { code: '1' })).rejects.toMatchObject({ code: 'flow_timed_out', message: expect.stringContaining('nothing was stored') });
    expect(runner.active).toBe(0);
  });

  it('a notice is a step of its own; the next call waits for what follows, and events carry each step', async () => {
    const runner = new FlowRunner<string>({ now: () => 0, timers: manualTimers().timers });
    const events: string[] = [];
    runner.events.on('step', (s) => events.push(s.kind));
    let approve!: () => void;
    const approved = new Promise<void>((r) => (approve = r));
    const first = await runner.begin(async (io) => {
      io.show({ kind: 'device-code', title: 'Approve', userCode: 'ABCD-EFGH', verificationUrl: 'https://id.example/device', message: 'Enter the code' });
      await approved;
      return 'ok';
    });
    expect(first).toMatchObject({ kind: 'device-code', userCode: 'ABCD-EFGH' });
    const next = runner.next(first.kind === 'done' ? '' : first.flowId);
    approve();
    expect(await next).toEqual({ kind: 'done', result: 'ok' });
    expect(events).toEqual(['device-code', 'done']);
  });

  it('a failing flow rejects with its own error and is forgotten', async () => {
    const runner = new FlowRunner<string>({ now: () => 0, timers: manualTimers().timers });
    await expect(runner.begin(async () => Promise.reject(new Error('server said no')))).rejects.toThrow('server said no');
    expect(runner.active).toBe(0);
  });
});

describe('sign-in flows: review findings', () => {
  it('a second wait on the same step is refused at once (a double submit), and the first still gets the step', async () => {
    const runner = new FlowRunner<string>({ now: () => 0, timers: manualTimers().timers });
    let approve!: () => void;
    const approved = new Promise<void>((r) => (approve = r));
    const first = await runner.begin(async (io) => {
      io.show({ kind: 'progress', title: 'Waiting', message: 'Waiting for the browser' });
      await approved;
      return 'ok';
    });
    const flowId = first.kind === 'done' ? '' : first.flowId;
    const a = runner.next(flowId);
    await expect(runner.next(flowId)).rejects.toMatchObject({ code: 'flow_busy' });
    approve();
    expect(await a).toEqual({ kind: 'done', result: 'ok' });
  });

  it('once the flow stores its result, cancel answers false and the deadline passes it by: it ends done', async () => {
    const t = manualTimers();
    const runner = new FlowRunner<string>({ now: () => 0, timers: t.timers });
    let store!: () => void;
    const stored = new Promise<void>((r) => (store = r));
    const first = await runner.begin(async (io) => {
      await io.ask({ title: 'Code', fields: [CODE] });
      if (!io.commit()) throw new Error('cancelled before storing');
      await stored; // the vault and config writes
      return 'saved';
    });
    const flowId = first.kind === 'done' ? '' : first.flowId;
    const done = runner.next(flowId, { code: '1' });
    await new Promise((r) => setImmediate(r));
    expect(runner.cancel(flowId)).toBe(false);
    t.fire();
    store();
    expect(await done).toEqual({ kind: 'done', result: 'saved' });
  });

  it('commit answers false after a cancel: the flow must store nothing', async () => {
    const runner = new FlowRunner<string>({ now: () => 0, timers: manualTimers().timers });
    let io!: FlowIO;
    const first = await runner.begin(async (x) => {
      io = x;
      await x.ask({ title: 'Code', fields: [CODE] });
      return 'never';
    });
    runner.cancel(first.kind === 'done' ? '' : first.flowId);
    expect(io.commit()).toBe(false);
  });
});
