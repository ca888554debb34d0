import { useEffect } from 'react';
import { performCopy } from '../copy/perform.js';
import { activeIdentity, selectedEnv, useDeskStore } from '../store.js';

/** Ctrl/Cmd+K opens the palette; Ctrl/Cmd+Shift+C copies the active Authorization header. */
export function useShortcuts(): void {
  const store = useDeskStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod || e.altKey) return;
      const key = e.key.toLowerCase();
      // A modal dialog owns the keyboard: no palette on top of it (its Escape would close both and
      // strand focus), no copy from behind it.
      if ((key === 'k' || key === 'c') && document.querySelector('[data-modal]')) return;
      if (key === 'k' && !e.shiftKey) {
        e.preventDefault();
        const s = store.getState();
        s.setPalette(!s.paletteOpen);
      } else if (key === 'c' && e.shiftKey) {
        e.preventDefault();
        const s = store.getState();
        const env = selectedEnv(s);
        if (!env) return;
        if (!activeIdentity(env)) {
          s.toast('error', 'Nothing was copied', `Nobody is signed in to ${env.name}`, { slot: 'copy' });
          return;
        }
        void performCopy(store, env.id, { kind: 'authorization-header' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
