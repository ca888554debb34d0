import { writeSync } from 'node:fs';
import type { Performance } from 'node:perf_hooks';

/**
 * TOKENDESK_TRACE_STARTUP=1: where the start-up time goes, on stderr at exit, one line per step:
 * wall ms since the process started, CPU ms (user + system) used so far, the step
 * (scripts/bench-cli.mjs reads them). Off, a mark costs one comparison, and node:perf_hooks is not
 * loaded at all (its load is ~1.7 ms of every start).
 */
const on = process.env.TOKENDESK_TRACE_STARTUP === '1';
const perf = (): Performance => process.getBuiltinModule('node:perf_hooks').performance;
const marks: Array<[number, number | undefined, string]> = [];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export const TRACE_PREFIX = 'tokendesk-trace:';

export function mark(step: string): void {
  if (!on) return;
  if (marks.length === 0) {
    // Node's own milestones: its bootstrap ends before the entry module is even read.
    const t = perf().nodeTiming;
    marks.push([t.v8Start, undefined, 'v8 started'], [t.bootstrapComplete, undefined, 'node bootstrap complete']);
    process.once('exit', () => {
      marks.push([perf().now(), cpuMs(), 'exit']);
      try {
        writeSync(2, marks.map(([ms, cpu, what]) => `${TRACE_PREFIX} ${ms.toFixed(2)} ${cpu === undefined ? '-' : cpu.toFixed(2)} ${what}\n`).join(''));
      } catch {
        // stderr is gone: nothing to tell
      }
    });
  }
  marks.push([perf().now(), cpuMs(), step]);
}
