import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { concealmentFormats, type ClipboardFormat } from '../../src-main/electron/clipboard-conceal.js';
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

/**
 * Electron 39's clipboard as its source has it: every write is its own ScopedClipboardWriter and
 * replaces the whole clipboard (electron_api_clipboard.cc: WriteText, WriteBuffer). Records calls.
 */
function electron39Clipboard() {
  let formats = new Map<string, Buffer | string>();
  const calls: string[] = [];
  return {
    calls,
    formats: () => formats,
    readText: () => String(formats.get('text/plain') ?? ''),
    writeText: (t: string) => {
      calls.push('writeText');
      formats = new Map([['text/plain', t]]);
    },
    writeBuffer: (format: string, data: Buffer) => {
      calls.push(`writeBuffer ${format}`);
      formats = new Map([[format, data]]);
    },
    clear: () => {
      calls.push('clear');
      formats = new Map();
    },
  };
}

describe('marking a copied secret for clipboard history and managers', () => {
  it.each([
    ['darwin', { 'org.nspasteboard.ConcealedType': '', 'org.nspasteboard.TransientType': '' }],
    ['win32', { ExcludeClipboardContentFromMonitorProcessing: '00000000', CanIncludeInClipboardHistory: '00000000', CanUploadToCloudClipboard: '00000000' }],
    ['linux', { 'x-kde-passwordManagerHint': Buffer.from('secret').toString('hex') }],
  ] as const)('%s: the documented formats and values', (platform, want) => {
    const got = Object.fromEntries(concealmentFormats(platform).map((f) => [f.format, f.data.toString('hex')]));
    expect(got).toEqual(want);
  });

  it('on Electron 39 the text is kept: the guard never follows writeText with writeBuffer', () => {
    const cb = electron39Clipboard();
    new ClipboardGuard(cb, { platform: 'win32', timers }).copy('Bearer SECRET', 60);
    // Had a marker been written after the text, the text would be gone (the fake, like Electron, replaces).
    expect(cb.calls).toEqual(['writeText']);
    expect(cb.readText()).toBe('Bearer SECRET');
    cb.writeBuffer('CanIncludeInClipboardHistory', Buffer.alloc(4));
    expect(cb.readText()).toBe('');
  });

  it.each(['darwin', 'win32', 'linux'] as const)('%s: with an atomic multi-format write, text and marks go together', (platform) => {
    vi.useFakeTimers();
    try {
      let written: { text: string; formats: ClipboardFormat[] } | undefined;
      const cb = {
        ...fakeClipboard(),
        writeTextWithFormats: vi.fn((text: string, formats: ClipboardFormat[]) => void (written = { text, formats })),
      };
      new ClipboardGuard(cb, { platform, timers }).copy('Bearer SECRET', 60);
      expect(cb.writeText).not.toHaveBeenCalled();
      expect(written?.text).toBe('Bearer SECRET');
      expect(written?.formats).toEqual(concealmentFormats(platform));
    } finally {
      vi.useRealTimers();
    }
  });
});
