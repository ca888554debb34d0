import { useEffect, useId, useRef } from 'react';
import { Button } from './Button.js';

/**
 * "Discard what you typed?" asked in place (Escape on a half-filled form). Focus goes to Keep editing,
 * the safe answer; it comes back to where it was when the user keeps editing.
 */
export function DiscardPrompt({ onKeep, onDiscard }: { onKeep: () => void; onDiscard: () => void }) {
  const id = useId();
  const keep = useRef<HTMLButtonElement>(null);
  const before = useRef<Element | null>(null);
  useEffect(() => {
    before.current = document.activeElement;
    keep.current?.focus();
  }, []);
  const keepEditing = () => {
    onKeep();
    const el = before.current;
    if (el instanceof HTMLElement && el.isConnected) setTimeout(() => el.focus(), 0);
  };
  return (
    <div
      className="discard"
      role="alertdialog"
      aria-labelledby={`${id}-q`}
      onKeyDown={(e) => {
        // Escape again answers the safe way: back to the form.
        if (e.key === 'Escape') {
          e.stopPropagation();
          e.nativeEvent.stopImmediatePropagation();
          keepEditing();
        }
      }}
    >
      <p id={`${id}-q`}>
        <strong>Discard what you typed?</strong>
      </p>
      <span className="spacer" />
      <Button ref={keep} variant="secondary" size="sm" onClick={keepEditing}>
        Keep editing
      </Button>
      <Button variant="danger" size="sm" onClick={onDiscard}>
        Discard
      </Button>
    </div>
  );
}
