import { useEffect } from 'react';
import { performCopy } from '../copy/perform.js';
import { isCopyShortcut } from '../lib/shortcuts.js';
import { activeIdentity, selectedEnv, useDeskStore } from '../store.js';

/** Ctrl/Cmd+K opens the palette; Ctrl/Cmd+Shift+C (Alt+Shift+C in a browser) copies the active Authorization header. */
export function useShortcuts(): void {
  const store = useDeskStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const palette = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';
      const copy = isCopyShortcut(e);
      if (!palette && !copy) return;
      // A modal dialog owns the keyboard: no palette on top of it (its Escape would close both and
      // strand focus), no copy from behind it.
      if (document.querySelector('[data-modal]')) return;
      e.preventDefault();
      const s = store.getState();
      if (palette) {
        s.setPalette(!s.paletteOpen);
        return;
      }
      const env = selectedEnv(s);
      if (!env) return;
      if (!activeIdentity(env)) {
        s.toast('error', 'Nothing was copied', `Nobody is signed in to ${env.name}`, { slot: 'copy' });
        return;
      }
      void performCopy(store, env.id, { kind: 'authorization-header' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
