import { createHash } from 'node:crypto';
import { concealmentFormats, type ClipboardFormat } from './clipboard-conceal.js';

/** The clipboard operations used (Electron's clipboard module in the app, a fake in tests). */
export interface ClipboardLike {
  readText(): string;
  writeText(text: string): void;
  clear(): void;
  /**
   * One atomic write of the text plus extra formats, where the clipboard API offers it (not
   * Electron 39: see clipboard-conceal.ts). Never emulated with writeText + writeBuffer, which
   * would replace the text with the marker.
   */
  writeTextWithFormats?(text: string, formats: ClipboardFormat[]): void;
}

export interface TimerLike {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: TimerLike = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending clear must not keep the process alive on its own.
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

const digest = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * Writes copied secrets and clears them later — but only while the clipboard still holds what we
 * wrote: whatever the user copied since is theirs. Only a digest of the secret is kept in memory.
 */
export class ClipboardGuard {
  private pending: { digest: string; timer: unknown } | null = null;

  constructor(
    private readonly clipboard: ClipboardLike,
    private readonly opts: {
      timers?: TimerLike;
      /** The clipboard was cleared, and reading it back confirmed it. */
      onCleared?: () => void;
      /** A clear was due and is not confirmed: the secret may still be there (say so, never "cleared"). */
      onClearFailed?: () => void;
      /** False where reading back cannot be trusted (native Wayland without wl-clipboard). */
      verifiable?: boolean;
      platform?: NodeJS.Platform;
    } = {},
  ) {}

  private get timers(): TimerLike {
    return this.opts.timers ?? realTimers;
  }

  /** Writes `text`; schedules a clear after `clearAfterSeconds` (null or 0: never). */
  copy(text: string, clearAfterSeconds: number | null): void {
    this.cancel();
    const marks = concealmentFormats(this.opts.platform ?? process.platform);
    if (this.clipboard.writeTextWithFormats && marks.length) this.clipboard.writeTextWithFormats(text, marks);
    else this.clipboard.writeText(text);
    if (clearAfterSeconds === null || !(clearAfterSeconds > 0)) return;
    const d = digest(text);
    const timer = this.timers.setTimeout(() => {
      this.pending = null;
      this.clearIfOurs(d);
    }, clearAfterSeconds * 1000);
    this.pending = { digest: d, timer };
  }

  /** True while a clear is scheduled. */
  get hasPending(): boolean {
    return this.pending !== null;
  }

  /** On quit: clear now what would have been cleared later. Returns whether it cleared. */
  flush(): boolean {
    const p = this.pending;
    if (!p) return false;
    this.cancel();
    return this.clearIfOurs(p.digest);
  }

  /** Forgets the pending clear without touching the clipboard. */
  cancel(): void {
    if (this.pending) this.timers.clearTimeout(this.pending.timer);
    this.pending = null;
  }

  private clearIfOurs(d: string): boolean {
    let current: string;
    try {
      current = this.clipboard.readText();
    } catch {
      // Cannot tell whether the secret is still there: not a clear to claim.
      this.opts.onClearFailed?.();
      return false;
    }
    if (digest(current) !== d) return false; // the user copied something since: theirs
    let after: string | undefined;
    try {
      this.clipboard.clear();
      after = this.clipboard.readText();
    } catch {
      after = undefined;
    }
    // Claimed only when the clipboard, read back, is empty and that reading can be trusted.
    if (after !== '' || this.opts.verifiable === false) {
      this.opts.onClearFailed?.();
      return false;
    }
    this.opts.onCleared?.();
    return true;
  }
}
