import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClipboardGuard, type TimerLike } from '../../src-main/electron/clipboard-guard.js';

function fakeClipboard(initial = '') {
  let text = initial;
  return {
    readText: vi.fn(() => text),
    writeText: vi.fn((t: string) => void (text = t)),
    clear: vi.fn(() => void (text = '')),
    get text() {
      return text;
    },
    userCopies(t: string) {
      text = t;
    },
  };
}

// Fake timers drive the real setTimeout/clearTimeout through this adapter.
const timers: TimerLike = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

describe('ClipboardGuard', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('clears after the delay when the clipboard still holds what we copied', () => {
    const cb = fakeClipboard('before');
    const onCleared = vi.fn();
    const g = new ClipboardGuard(cb, { timers, onCleared });
    g.copy('Bearer SECRET', 60);
    expect(cb.text).toBe('Bearer SECRET');
    vi.advanceTimersByTime(59_999);
    expect(cb.clear).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(cb.clear).toHaveBeenCalledTimes(1);
    expect(cb.text).toBe('');
    expect(onCleared).toHaveBeenCalledTimes(1);
    expect(g.hasPending).toBe(false);
  });

  it('leaves the clipboard alone when the user copied something else meanwhile', () => {
    const cb = fakeClipboard();
    const onCleared = vi.fn();
    const g = new ClipboardGuard(cb, { timers, onCleared });
    g.copy('Bearer SECRET', 60);
    cb.userCopies('my own notes');
    vi.advanceTimersByTime(60_000);
    expect(cb.clear).not.toHaveBeenCalled();
    expect(cb.text).toBe('my own notes');
    expect(onCleared).not.toHaveBeenCalled();
  });

  it('never clears when clearing is off (0) or the item is not a secret (null)', () => {
    const cb = fakeClipboard();
    const g = new ClipboardGuard(cb, { timers });
    g.copy('https://api.test', null);
    vi.advanceTimersByTime(3_600_000);
    g.copy('Bearer SECRET', 0);
    vi.advanceTimersByTime(3_600_000);
    expect(cb.clear).not.toHaveBeenCalled();
    expect(g.hasPending).toBe(false);
    expect(g.flush()).toBe(false);
    expect(cb.text).toBe('Bearer SECRET');
  });

  it('a new copy replaces the pending clear (one timer at a time)', () => {
    const cb = fakeClipboard();
    const g = new ClipboardGuard(cb, { timers });
    g.copy('first', 60);
    vi.advanceTimersByTime(30_000);
    g.copy('second', 60);
    vi.advanceTimersByTime(30_000);
    expect(cb.clear).not.toHaveBeenCalled(); // the first timer is gone
    vi.advanceTimersByTime(30_000);
    expect(cb.clear).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a non-secret copy cancels the pending clear of an earlier secret', () => {
    const cb = fakeClipboard();
    const g = new ClipboardGuard(cb, { timers });
    g.copy('Bearer SECRET', 60);
    g.copy('https://api.test', null);
    vi.advanceTimersByTime(120_000);
    expect(cb.clear).not.toHaveBeenCalled();
    expect(cb.text).toBe('https://api.test');
  });

  it('on quit (flush) clears now, only if unchanged, and cancels the timer', () => {
    const cb = fakeClipboard();
    const g = new ClipboardGuard(cb, { timers });
    g.copy('Bearer SECRET', 60);
    expect(g.flush()).toBe(true);
    expect(cb.text).toBe('');
    expect(vi.getTimerCount()).toBe(0);

    g.copy('Bearer SECRET2', 60);
    cb.userCopies('mine');
    expect(g.flush()).toBe(false);
    expect(cb.text).toBe('mine');
  });

  it('does not keep the secret itself in memory', () => {
    const g = new ClipboardGuard(fakeClipboard(), { timers });
    g.copy('Bearer SECRET-VALUE', 60);
    const pending = (g as unknown as { pending: unknown }).pending;
    expect(pending).not.toBeNull();
    expect(JSON.stringify(pending)).not.toContain('SECRET-VALUE');
  });

  it('survives a clipboard that cannot be read', () => {
    const cb = { ...fakeClipboard(), readText: () => { throw new Error('no display'); } };
    const g = new ClipboardGuard(cb, { timers });
    g.copy('x', 1);
    expect(() => vi.advanceTimersByTime(1000)).not.toThrow();
    expect(cb.clear).not.toHaveBeenCalled();
  });

  it('works with the default timers too', () => {
    const cb = fakeClipboard();
    const g = new ClipboardGuard(cb);
    g.copy('s', 5);
    vi.advanceTimersByTime(5000);
    expect(cb.text).toBe('');
  });
});
