import { useEffect, useRef } from 'react';
import { useNow } from '../lib/clock.js';
import { endsInWords, endsSoon } from '../lib/renewal.js';
import { environments, useDesk, useDeskStore } from '../store.js';

/**
 * A toast, once per session, when one that cannot renew itself enters its last minutes: it may be in
 * an environment that is not on screen. (The identity row carries the same warning with its actions.)
 */
export function RenewalWarnings(): null {
  const store = useDeskStore();
  const envs = useDesk(environments);
  const now = useNow();
  const warned = useRef(new Set<string>());
  useEffect(() => {
    for (const env of envs) {
      for (const i of env.identities) {
        const left = endsSoon(i, now);
        const key = `${i.id}:${i.canRenew ? (i.refreshExpiresAt ?? '') : (i.expiresAt ?? '')}`;
        if (left === undefined || warned.current.has(key)) continue;
        warned.current.add(key);
        const fix = i.canRememberPassword ? 'sign in again, and tick Remember password to keep it renewed' : 'sign in again';
        store.getState().toast('info', `${i.label} (${env.name}) ends in ${endsInWords(left)}`, i.canRenew ? 'Its refresh token ends then: sign in again' : `It cannot renew itself: ${fix}`);
      }
    }
  }, [envs, now, store]);
  return null;
}
