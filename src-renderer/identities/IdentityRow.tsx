import { useId, type ReactNode } from 'react';
import type { EnvironmentView, IdentityView } from '../../src-main/contract/types.js';
import { useNow } from '../lib/clock.js';
import { useAction } from '../lib/use-action.js';
import { endsInWords, endsSoon, endsWhy, renewalNote } from '../lib/renewal.js';
import { liveStatus, statusText } from '../lib/status.js';
import { useDeskStore } from '../store.js';
import { StatusBadge } from '../ui/Badge.js';
import { Button } from '../ui/Button.js';
import { cx } from '../ui/cx.js';
import { InlineError } from '../ui/Field.js';
import { RenewIcon } from '../ui/icons.js';
import { performCheck } from './check.js';
import { timeOfDay } from '../lib/format.js';

/**
 * One identity: the radio, email, name and status are one label, so a click anywhere on them makes
 * it active (one click); sign in again / sign out beside it; a warning ahead of an end it cannot avoid.
 */
export function IdentityRow({ env, identity, radioName, pendingId, setPendingId }: { env: EnvironmentView; identity: IdentityView; radioName: string; pendingId?: string; setPendingId: (id: string | undefined) => void }) {
  const store = useDeskStore();
  const now = useNow();
  const radioId = useId();
  const { busy, error, run: runAction } = useAction<'switch' | 'signout' | 'check' | 'renew'>();
  const status = liveStatus(identity, now);
  const active = identity.id === env.activeIdentityId || (!env.activeIdentityId && identity.active);
  // Optimistic: the radio moves at once; it moves back (with the error on this row) if the switch fails.
  const checked = pendingId !== undefined ? pendingId === identity.id : active;
  const signedIn = status !== 'signed_out' && status !== 'expired' && status !== 'error' && status !== 'ended';
  const problem = error ?? (status === 'error' || status === 'expired' || status === 'ended' ? identity.statusMessage : undefined);
  const ending = signedIn ? endsSoon(identity, now) : undefined;

  async function run(kind: 'switch' | 'signout' | 'check' | 'renew', fn: () => Promise<unknown>): Promise<void> {
    await runAction(kind, fn, { refresh: true });
  }

  const { api } = store.getState();
  const forgettable = status === 'signed_out' || status === 'ended' || status === 'expired';
  const confirmForget = () =>
    store.getState().setDialog({
      kind: 'confirm',
      title: `Remove ${identity.label}?`,
      body: `${identity.label} leaves the list of ${env.name}, with its remembered password if any. Signing in again adds it back.`,
      confirmLabel: 'Remove',
      danger: true,
      onConfirm: async () => {
        await api.forgetIdentity({ identityId: identity.id });
        store.getState().toast('success', `Removed ${identity.label}`, env.name);
        await store.getState().refresh();
      },
    });
  const signInAgain = (remember: boolean) => store.getState().openSignIn({ envId: env.id, ...(identity.email && { email: identity.email }), mode: 'signin', ...(remember && { remember: true }) });
  return (
    <li className={cx('identity', checked && 'identity-active', problem && 'identity-problem', ending !== undefined && 'identity-ending')}>
      <div className="identity-line">
        <label className="identity-pick" htmlFor={radioId}>
          <input
            id={radioId}
            type="radio"
            name={radioName}
            checked={checked}
            // Not `disabled` while the switch runs: a disabled radio drops keyboard focus to the page.
            aria-disabled={busy !== undefined || undefined}
            aria-label={`Use ${identity.label} as the active identity`}
            onChange={() => {
              if (busy !== undefined) return;
              setPendingId(identity.id);
              void run('switch', () => api.switchIdentity({ envId: env.id, identityId: identity.id })).finally(() => setPendingId(undefined));
            }}
          />
          <span className="identity-who">
            <span className="identity-email">{withBreakAfterAt(identity.label)}</span>
            {/* Not twice: without an email the label is the display name already. */}
            {identity.displayName && identity.displayName !== identity.label ? <span className="identity-name muted">{identity.displayName}</span> : null}
            {signedIn ? <span className={cx('identity-renew', !identity.canRenew && !identity.noExpiry && 'identity-renew-no')}>{renewalNote(identity)}</span> : null}
            {signedIn && identity.assurance === 'aal2' ? (
              <span className="identity-aal" title="Assurance level aal2: signed in with a second factor (MFA)">
                2FA · aal2
              </span>
            ) : null}
          </span>
          <StatusBadge status={status} text={statusText(identity, now)} />
        </label>
        {/* The actions wrap together, under the email when the row is narrow (styles.css .identity-pick). */}
        <span className="identity-actions">
        {signedIn ? (
          // Asks the server whether it still accepts this session (issue 27); the result is a toast, an end shows on this row.
          <Button size="sm" variant="ghost" busy={busy === 'check'} aria-label={`Check now whether the server still accepts the session of ${identity.label}`} title="Check now: ask the server whether it still accepts this session" onClick={() => void run('check', () => performCheck(store, { identityId: identity.id }))}>
            {/* One short word: the row keeps room for the email at narrow widths; the name says "Check now". */}
            Check
          </Button>
        ) : null}
        {signedIn && identity.canRenew ? (
          // "Renew now" (tokendesk refresh): a new token at once, after a change of roles on the server or before a long job.
          // An icon with its name in aria-label and the tooltip: a third word crowded the email into four lines at 1280 px.
          <Button size="sm" variant="ghost" className="btn-icon-only" icon={<RenewIcon />} busy={busy === 'renew'} aria-label={`Renew now the session of ${identity.label}`} title="Renew now: get a new token from the server, even though this one still has time left" onClick={() => void run('renew', async () => {
            const v = await api.renewSession({ identityId: identity.id });
            store.getState().toast('success', `Renewed ${identity.label}`, v.expiresAt === undefined || v.noExpiry ? 'New token' : `New token valid until ${timeOfDay(v.expiresAt, Date.now())}`);
          })} />
        ) : null}
        {signedIn ? (
          <Button size="sm" variant="ghost" busy={busy === 'signout'} aria-label={`Sign out ${identity.label} (this session only)`} title="Ends this session only; browser sessions stay signed in" onClick={() => void run('signout', async () => {
            const r = await api.signOut({ identityId: identity.id });
            if (r.warning) store.getState().toast('info', `Signed out ${identity.label}`, r.warning);
            else store.getState().toast('success', `Signed out ${identity.label}`, 'This session only');
          })}>
            Sign out
          </Button>
        ) : (
          <Button size="sm" variant="secondary" aria-label={`Sign in again as ${identity.label}`} onClick={() => signInAgain(false)}>
            Sign in
          </Button>
        )}
        {forgettable ? (
          // The CLI's `logout --forget`: only once no session is left, and after a confirmation.
          <Button size="sm" variant="ghost" aria-label={`Remove ${identity.label} from the list`} title="Remove this identity from the list" onClick={confirmForget}>
            Remove
          </Button>
        ) : null}
        </span>
      </div>
      {ending !== undefined ? (
        <div className="identity-warning" role="status">
          <span>
            <strong>Ends in {endsInWords(ending)}</strong> — {endsWhy(identity)}.
          </span>
          <span className="identity-warning-actions">
            <Button size="sm" variant="secondary" aria-label={`Sign in again as ${identity.label}`} onClick={() => signInAgain(false)}>
              Sign in again
            </Button>
            {identity.canRememberPassword ? (
              <Button size="sm" variant="ghost" aria-label={`Sign in again as ${identity.label} and remember the password`} title="TokenDesk keeps the password in the OS keychain and signs in again before the session ends" onClick={() => signInAgain(true)}>
                Remember password
              </Button>
            ) : null}
          </span>
        </div>
      ) : null}
      <InlineError>{problem}</InlineError>
    </li>
  );
}

/** A long email, when it must wrap, wraps after its @ (a <wbr>: nothing is added to copied text). */
function withBreakAfterAt(email: string): ReactNode {
  const at = email.indexOf('@');
  if (at < 0) return email;
  return (
    <>
      {email.slice(0, at + 1)}
      <wbr />
      {email.slice(at + 1)}
    </>
  );
}
