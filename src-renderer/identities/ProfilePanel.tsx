import { useId } from 'react';
import type { IdentityView } from '../../src-main/contract/types.js';
import { useAction } from '../lib/use-action.js';
import { useDeskStore } from '../store.js';
import { ExternalLink } from '../ui/ExternalLink.js';
import { InlineError } from '../ui/Field.js';
import { Section } from '../ui/Section.js';

function AccountPicker({ identity }: { identity: IdentityView }) {
  const store = useDeskStore();
  const name = useId();
  const { busy, error, run } = useAction<string>();
  const accounts = identity.profile?.accounts ?? [];
  if (accounts.length === 0) return null;
  // Optimistic while the switch runs (busy holds the account being chosen).
  const activeId = busy ?? identity.activeAccountId ?? identity.profile?.primaryAccountId ?? accounts.find((a) => a.primary)?.id;

  async function choose(accountId: string): Promise<void> {
    await run(accountId, () => store.getState().api.setActiveAccount({ identityId: identity.id, accountId }), { refresh: true });
  }

  return (
    <fieldset className="accounts">
      <legend>Account</legend>
      <div className="account-list">
        {accounts.map((a) => (
          <label key={a.id} className={a.id === activeId ? 'account account-on' : 'account'}>
            <input type="radio" name={name} checked={a.id === activeId} disabled={busy !== undefined} onChange={() => void choose(a.id)} />
            <span className="account-name">{a.name}</span>
            <span className="muted mono-sm">{a.id}</span>
            {a.primary ? (
              <span className="badge badge-accent" title="The user's primary account">
                <span aria-hidden="true">★ </span>primary
              </span>
            ) : null}
          </label>
        ))}
      </div>
      <InlineError>{error}</InlineError>
    </fieldset>
  );
}

/** Who the active identity is, in which account, with which roles. */
export function ProfilePanel({ identity }: { identity: IdentityView }) {
  const roles = identity.profile?.roles ?? [];
  return (
    <Section title="Signed in as" className="profile">
      <dl className="who">
        {/* An identity without an email (a pasted token, a phone user) is not given its label as one. */}
        {identity.email ? (
          <>
            <dt>Email</dt>
            <dd>{identity.email}</dd>
          </>
        ) : null}
        {identity.displayName ? (
          <>
            <dt>Name</dt>
            <dd>{identity.displayName}</dd>
          </>
        ) : null}
        {identity.userId ? (
          <>
            <dt>User id</dt>
            <dd className="mono-sm selectable">{identity.userId}</dd>
          </>
        ) : null}
        {identity.profile?.picture ? (
          <>
            <dt>Picture</dt>
            {/* A link, not an image: the window loads nothing from other servers (CSP img-src 'self'). */}
            <dd className="mono-sm">
              <ExternalLink href={identity.profile.picture}>{identity.profile.picture}</ExternalLink>
            </dd>
          </>
        ) : null}
        {identity.profile?.scopes?.length ? (
          <>
            <dt>Scopes</dt>
            <dd>
              <span className="chips">
                {identity.profile.scopes.map((sc) => (
                  <span key={sc} className="badge badge-neutral mono-sm">
                    {sc}
                  </span>
                ))}
              </span>
            </dd>
          </>
        ) : null}
        <dt>Roles</dt>
        <dd>
          {roles.length ? (
            <span className="chips">
              {roles.map((r) => (
                <span key={r} className="badge badge-neutral">
                  {r}
                </span>
              ))}
            </span>
          ) : (
            <span className="muted">none reported</span>
          )}
        </dd>
      </dl>
      <AccountPicker identity={identity} />
    </Section>
  );
}
