/** The slice of Electron's Notification used here (a fake in tests). */
export interface NotificationLike {
  on(event: 'click' | 'close' | 'failed', listener: () => void): unknown;
  show(): void;
}

/** More than this many unanswered notifications: the oldest are let go (a close may never come). */
export const MAX_KEPT_NOTIFICATIONS = 20;

/**
 * Holds every shown Notification until it is done with. Electron keeps only a weak reference to a
 * main-process Notification: once garbage-collected, its click handler is gone and clicking the toast
 * does nothing (electron/electron#16922, #12690). Let go on click and on failed (Windows). On close
 * too, except on Windows: there 'close' is also emitted when the toast times out into the Action
 * Center, where it can still be clicked.
 * https://www.electronjs.org/docs/latest/api/notification#event-close
 */
export class NotificationKeeper {
  private readonly live = new Set<NotificationLike>();

  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  show(n: NotificationLike, onClick: () => void): void {
    this.live.add(n);
    while (this.live.size > MAX_KEPT_NOTIFICATIONS) this.live.delete(this.live.values().next().value!);
    const release = () => void this.live.delete(n);
    n.on('click', () => {
      release();
      onClick();
    });
    n.on('failed', release);
    if (this.platform !== 'win32') n.on('close', release);
    n.show();
  }

  /** How many are held now. */
  get size(): number {
    return this.live.size;
  }

  has(n: NotificationLike): boolean {
    return this.live.has(n);
  }
}
