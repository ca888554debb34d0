import { useEffect, useId, useRef, useState } from 'react';
import type { EnvironmentView } from '../../src-main/contract/types.js';
import { useDesk } from '../store.js';
import { Button } from '../ui/Button.js';
import { PlusIcon } from '../ui/icons.js';
import { Section } from '../ui/Section.js';
import { IdentityRow } from './IdentityRow.js';
import { SignInForm } from './SignInForm.js';

export function IdentityList({ env }: { env: EnvironmentView }) {
  const radioName = useId();
  const [pendingId, setPendingId] = useState<string>();
  const signIn = useDesk((s) => (s.signIn?.envId === env.id ? s.signIn : undefined));
  const openSignIn = useDesk((s) => s.openSignIn);
  const showForm = signIn !== undefined || env.identities.length === 0;
  const anotherRef = useRef<HTMLButtonElement>(null);
  const formWasShown = useRef(showForm);
  // When the form goes away (signed in, Cancel, Escape) its focused control goes with it: put focus
  // on the button that replaces it instead of dropping it to the page.
  useEffect(() => {
    if (formWasShown.current && !showForm) {
      const active = document.activeElement;
      if (!active || active === document.body) anotherRef.current?.focus();
    }
    formWasShown.current = showForm;
  }, [showForm]);
  return (
    <Section title="Identities" className="identities">
      {env.identities.length > 0 ? (
        <ul className="identity-list" aria-label={`Identities in ${env.name}`}>
          {env.identities.map((i) => (
            <IdentityRow key={i.id} env={env} identity={i} radioName={radioName} pendingId={pendingId} setPendingId={setPendingId} />
          ))}
        </ul>
      ) : (
        <p className="muted">
          {/* A kind that cannot renew (a pasted token) is not promised a token kept fresh. */}
          Nobody is signed in to {env.name} yet. {env.capabilities.renewal.kind === 'none' ? 'Sign in to keep its token in the keychain, one click from any tool.' : 'Sign in to get a token that TokenDesk keeps fresh.'}
        </p>
      )}
      {showForm ? (
        <SignInForm key={`${env.id}:${signIn?.email ?? ''}:${signIn?.mode ?? ''}:${signIn?.remember ? 'r' : ''}`} env={env} target={signIn} onClose={env.identities.length > 0 ? () => openSignIn(undefined) : undefined} />
      ) : (
        <Button ref={anotherRef} variant="ghost" size="sm" icon={<PlusIcon />} onClick={() => openSignIn({ envId: env.id, mode: 'signin' })}>
          Sign in as another user
        </Button>
      )}
    </Section>
  );
}
