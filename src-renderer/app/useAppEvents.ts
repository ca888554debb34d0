import { useEffect } from 'react';
import { useDeskStore } from '../store.js';

/** Re-reads the state on every AppEvent; failures that need attention also get a toast. */
export function useAppEvents(): void {
  const store = useDeskStore();
  useEffect(() => {
    const { api } = store.getState();
    const off = api.onEvent((e) => {
      // A sign-in's steps are the sign-in form's business (use-sign-in-flow.ts): nothing stored changed yet.
      if (e.type === 'sign-in-progress') return;
      // The endpoint's calls change nothing stored: its panel re-reads its log itself.
      if (e.type === 'endpoint-called') return;
      if (e.type === 'endpoint-production-asked') {
        // Asked once, unless the user is in the middle of something else.
        const d = store.getState().dialog;
        if (d === null || d.kind === 'endpoint') store.getState().setDialog({ kind: 'endpoint-allow', envId: e.envId, name: e.name, userAgent: e.userAgent });
        return;
      }
      const s = store.getState();
      const who = (id: string) => s.app?.environments.flatMap((env) => env.identities).find((i) => i.id === id)?.label ?? 'an identity';
      if (e.type === 'refresh-failed' && e.final) s.toast('error', `Could not renew ${who(e.identityId)}`, e.message);
      if (e.type === 'session-expired') s.toast('error', `${who(e.identityId)} was signed out`, e.reason);
      if (e.type === 'clipboard-cleared') s.toast('info', 'Clipboard cleared', undefined, { slot: 'copy' });
      // Never "cleared" when it was not confirmed: the user should overwrite it.
      if (e.type === 'clipboard-not-cleared') s.toast('error', 'Could not clear the clipboard', e.message, { slot: 'copy' });
      void s.refresh();
    });
    // A window that comes back from sleep re-reads the state and resyncs the clock.
    const onVisible = () => document.visibilityState === 'visible' && void store.getState().refresh();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      off();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [store]);
}
