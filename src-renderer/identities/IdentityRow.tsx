import { useState } from 'react';
import type { EnvironmentView, IdentityView } from '../../src-main/contract/types.js';
import { errorMessage } from '../api/types.js';
import { useNow } from '../lib/clock.js';
import { liveStatus, statusText } from '../lib/status.js';
import { useDeskStore } from '../store.js';
import { StatusBadge } from '../ui/Badge.js';
import { Button } from '../ui/Button.js';
import { cx } from '../ui/cx.js';
import { InlineError } from '../ui/Field.js';

/** One identity: a radio to make it active (one click), its live status, sign in again / sign out. */
export function IdentityRow({ env, identity, radioName, pendingId, setPendingId }: { env: EnvironmentView; identity: IdentityView; radioName: string; pendingId?: string; setPendingId: (id: string | undefined) => void }) {
  const store = useDeskStore();
  const now = useNow();
  const [busy, setBusy] = useState<'switch' | 'signout' | undefined>();
  const [error, setError] = useState<string>();
  const status = liveStatus(identity, now);
  const active = identity.id === env.activeIdentityId || (!env.activeIdentityId && identity.active);
  // Optimistic: the radio moves at once; it moves back (with the error on this row) if the switch fails.
  const checked = pendingId !== undefined ? pendingId === identity.id : active;
  const signedIn = status !== 'signed_out' && status !== 'expired' && status !== 'error';
  const problem = error ?? (status === 'error' || status === 'expired' ? identity.statusMessage : undefined);

  async function run(kind: 'switch' | 'signout', fn: () => Promise<unknown>): Promise<void> {
    setBusy(kind);
    setError(undefined);
    try {
      await fn();
      await store.getState().refresh();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  }

  const { api } = store.getState();
  return (
    <li className={cx('identity', checked && 'identity-active', problem && 'identity-problem')}>
      <div className="identity-line">
        <input
          type="radio"
          name={radioName}
          checked={checked}
          disabled={busy !== undefined}
          aria-label={`Use ${identity.email} as the active identity`}
          onChange={() => {
            setPendingId(identity.id);
            void run('switch', () => api.switchIdentity({ envId: env.id, identityId: identity.id })).finally(() => setPendingId(undefined));
          }}
        />
        <div className="identity-who">
          <span className="identity-email">{identity.email}</span>
          {identity.displayName ? <span className="identity-name muted">{identity.displayName}</span> : null}
        </div>
        <StatusBadge status={status} text={statusText(identity, now)} />
        {signedIn ? (
          <Button size="sm" variant="ghost" busy={busy === 'signout'} aria-label={`Sign out ${identity.email} (this session only)`} title="Ends this session only; browser sessions stay signed in" onClick={() => void run('signout', async () => {
            const r = await api.signOut({ identityId: identity.id });
            if (r.warning) store.getState().toast('info', `Signed out ${identity.email}`, r.warning);
            else store.getState().toast('success', `Signed out ${identity.email}`, 'This session only');
          })}>
            Sign out
          </Button>
        ) : (
          <Button size="sm" variant="secondary" aria-label={`Sign in again as ${identity.email}`} onClick={() => store.getState().openSignIn({ envId: env.id, email: identity.email, mode: 'signin' })}>
            Sign in
          </Button>
        )}
      </div>
      <InlineError>{problem}</InlineError>
    </li>
  );
}
