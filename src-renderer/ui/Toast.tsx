import { useEffect, useState } from 'react';
import { useDesk, type ToastItem } from '../store.js';
import { cx } from './cx.js';

function Toast({ t }: { t: ToastItem }) {
  const dismiss = useDesk((s) => s.dismissToast);
  // Paused while the pointer is over it or focus is in it: time to read it, or to reach its button.
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const paused = hovered || focused;
  useEffect(() => {
    if (paused) return;
    const ms = t.kind === 'error' ? 10_000 : 5_000;
    const timer = setTimeout(() => dismiss(t.id), ms);
    return () => clearTimeout(timer);
  }, [t.id, t.rev, t.kind, dismiss, paused]);
  return (
    <div
      className={cx('toast', `toast-${t.kind}`)}
      role={t.kind === 'error' ? 'alert' : 'status'}
      data-paused={paused || undefined}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
    >
      <div className="toast-text">
        {/* At most two lines each (styles.css); the whole text on hover. */}
        <strong title={t.text}>{t.text}</strong>
        {t.detail ? <span title={t.detail}>{t.detail}</span> : null}
      </div>
      <button type="button" className="icon-btn" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
        ✕
      </button>
    </div>
  );
}

/** One region of notifications, newest on top, at the foot of the sidebar (never over the panel in use); polite for successes, assertive for errors. */
export function ToastRegion() {
  const toasts = useDesk((s) => s.toasts);
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {toasts.map((t) => (
        <Toast key={t.id} t={t} />
      ))}
    </section>
  );
}
