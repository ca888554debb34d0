// Quitting TokenDesk waits for the startup keychain maintenance, but not for ever: a keychain prompt
// nobody answers (macOS access dialog, a locked collection) must not hold quit or a Windows log-off.
import { afterEach, describe, expect, it } from 'vitest';
import { QUIT_WAIT_MS, settlesWithin, type WaitTimers } from '../../src-main/core/app/bounded-wait.js';
import { createAppService } from '../../src-main/core/app/service.js';
import type { SecretStore } from '../../src-main/core/secrets/types.js';
import { makeHome } from '../helpers/home.js';

/** A keychain whose every call waits on a prompt that is never answered. */
const promptNeverAnswered = (): SecretStore => {
  const never = () => new Promise<never>(() => undefined);
  return { loadAll: never, get: never, set: never, delete: never, apply: never, update: never };
};

/** A clock the test moves by hand: the timers set, and firing them. */
function manualTimers() {
  const set = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: WaitTimers = {
    setTimeout: (fn, ms) => {
      set.set(++next, { fn, ms });
      return next;
    },
    clearTimeout: (h) => void set.delete(h as number),
  };
  const fireAll = () => {
    for (const [id, t] of [...set]) {
      set.delete(id);
      t.fn();
    }
  };
  return { timers, set, fireAll };
}

const settle = () => new Promise<void>((r) => setImmediate(r));

describe('closing the app service (quit, log-off)', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('gives up on a keychain maintenance that never finishes after 2-3 s, and then closes', async () => {
    const home = makeHome();
    cleanup = home.cleanup;
    const clock = manualTimers();
    const service = createAppService({ home: home.dir, shell: 'electron', scheduler: false, maintenance: true, demoPort: 0, secrets: promptNeverAnswered(), timers: clock.timers });
    let closed = false;
    const closing = service.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false); // still within the bound
    expect([...clock.set.values()].map((t) => t.ms)).toEqual([QUIT_WAIT_MS]);
    expect(QUIT_WAIT_MS).toBeGreaterThanOrEqual(2_000);
    expect(QUIT_WAIT_MS).toBeLessThanOrEqual(3_000);
    clock.fireAll();
    await closing;
    expect(closed).toBe(true);
  });

  it('a maintenance that finishes first is waited for, and its timer does not linger', async () => {
    const clock = manualTimers();
    let finish!: () => void;
    const work = new Promise<void>((r) => (finish = r));
    const waiting = settlesWithin(work, QUIT_WAIT_MS, clock.timers);
    finish();
    expect(await waiting).toBe(true);
    expect(clock.set.size).toBe(0);
    // A failed maintenance counts as finished too (it is best effort).
    expect(await settlesWithin(Promise.reject(new Error('keychain_locked')), QUIT_WAIT_MS, clock.timers)).toBe(true);
  });
});
