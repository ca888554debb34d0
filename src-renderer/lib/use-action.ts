import { useState } from 'react';
import { errorMessage } from '../api/types.js';
import { useDeskStore } from '../store.js';

export interface ActionOptions {
  /** Re-read the app state after success (what a change to sessions or config needs). */
  refresh?: boolean;
  /** A success toast: [text, detail]. */
  toast?: [string, string?];
}

/**
 * The one way a component runs a call: `busy` holds which action runs (for the spinner and to
 * disable the others), `error` the failure in the user's words, shown where the action is; on
 * success it refreshes the state and toasts when asked. `run` resolves to true on success.
 */
export function useAction<K = true>() {
  const store = useDeskStore();
  const [busy, setBusy] = useState<K>();
  const [error, setError] = useState<string>();
  async function run(key: K, fn: () => unknown, opts: ActionOptions = {}): Promise<boolean> {
    setBusy(() => key);
    setError(undefined);
    try {
      await fn();
      if (opts.refresh) await store.getState().refresh();
      if (opts.toast) store.getState().toast('success', ...opts.toast);
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setBusy(undefined);
    }
  }
  return { busy, error, setError, run };
}
