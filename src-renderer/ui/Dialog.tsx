import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { DiscardPrompt } from './DiscardPrompt.js';

const focusable = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: labelled, Escape closes, focus moves in and comes back, Tab stays inside. With
 * `dirty` (a half-filled form), Escape, ✕ and a click outside ask before discarding.
 */
export function Dialog({ title, onClose, children, wide, dirty = false }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean; dirty?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const [asking, setAsking] = useState(false);
  const onCloseRef = useRef(onClose);
  const dirtyRef = useRef(dirty);
  const askingRef = useRef(asking);
  useEffect(() => {
    onCloseRef.current = onClose;
    dirtyRef.current = dirty;
    askingRef.current = asking;
  });
  const requestClose = () => {
    if (dirtyRef.current) setAsking(true);
    else onCloseRef.current();
  };
  const requestCloseRef = useRef(requestClose);
  useEffect(() => {
    requestCloseRef.current = requestClose;
  });

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const node = ref.current;
    const first = node?.querySelector<HTMLElement>('[data-autofocus]') ?? node?.querySelector<HTMLElement>(focusable);
    first?.focus();
    // On the document, not the dialog: Escape and the Tab trap still work if focus ever lands outside
    // (a click on the overlay's edge, an element that unmounted under the cursor).
    const onKey = (e: KeyboardEvent) => {
      if (!node) return;
      if (e.key === 'Escape') {
        e.stopPropagation();
        if (!askingRef.current) requestCloseRef.current();
      } else if (e.key === 'Tab') {
        const items = [...node.querySelectorAll<HTMLElement>(focusable)];
        if (items.length === 0) return;
        const firstEl = items[0]!;
        const lastEl = items[items.length - 1]!;
        const inside = node.contains(document.activeElement);
        if (!inside) {
          e.preventDefault();
          (e.shiftKey ? lastEl : firstEl).focus();
        } else if (e.shiftKey && document.activeElement === firstEl) {
          e.preventDefault();
          lastEl.focus();
        } else if (!e.shiftKey && document.activeElement === lastEl) {
          e.preventDefault();
          firstEl.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      // What opened the dialog may be gone (a banner whose problem it fixed): then the environment's heading.
      if (before?.isConnected) before.focus();
      else document.querySelector<HTMLElement>('[data-env-heading]')?.focus();
    };
  }, []);

  return createPortal(
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && requestClose()}>
      <div ref={ref} className={wide ? 'dialog dialog-wide' : 'dialog'} role="dialog" data-modal aria-modal="true" aria-labelledby={titleId}>
        {/* A div, not <header>: outside a sectioning element a header is a second "banner" landmark beside the top bar. */}
        <div className="dialog-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-btn" aria-label="Close dialog" onClick={requestClose}>
            ✕
          </button>
        </div>
        <div className="dialog-body">
          {children}
          {asking ? <DiscardPrompt onKeep={() => setAsking(false)} onDiscard={() => onCloseRef.current()} /> : null}
        </div>
      </div>
    </div>,
    document.body,
  );
}
