import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useAction } from '../lib/use-action.js';
import type { EnvironmentView } from '../../src-main/contract/types.js';
import { useDesk, useDeskStore, type SignInTarget } from '../store.js';
import { demoAccountsFor } from '../welcome/demo-accounts.js';
import { Button } from '../ui/Button.js';
import { DiscardPrompt } from '../ui/DiscardPrompt.js';
import { Checkbox, Field, InlineError } from '../ui/Field.js';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Sign in, or sign up where the provider can; errors appear right under the form. */
export function SignInForm({ env, target, onClose }: { env: EnvironmentView; target?: SignInTarget; onClose?: () => void }) {
  const formId = useId();
  const store = useDeskStore();
  const demo = useDesk((s) => s.app?.demo);
  const [mode, setMode] = useState<'signin' | 'signup'>(target?.mode ?? 'signin');
  const [email, setEmail] = useState(target?.email ?? '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(Boolean(target?.remember));
  const action = useAction();
  const { error, setError } = action;
  const busy = action.busy !== undefined;
  const [emailError, setEmailError] = useState<string>();
  const [sentTo, setSentTo] = useState<string>();
  const { canSignUp, canRememberPassword } = env.capabilities;
  const demoAccounts = demoAccountsFor(env, demo);
  const formRef = useRef<HTMLFormElement>(null);
  const [asking, setAsking] = useState(false);
  const dirty = email.trim() !== (target?.email ?? '') || password !== '';
  const focusField = (type: 'email' | 'password') => formRef.current?.querySelector<HTMLInputElement>(`input[type="${type}"]`)?.focus();

  // Opened on purpose ("Sign in as another user", "Sign in again", the palette): focus goes to the
  // first field to fill in, so a keyboard user can type at once. (Not when it is just the empty state.)
  const explicit = target !== undefined;
  const prefilled = Boolean(target?.email);
  useEffect(() => {
    if (!explicit) return;
    const inputs = formRef.current?.querySelectorAll<HTMLInputElement>('input[type="email"], input[type="password"]');
    inputs?.[prefilled ? 1 : 0]?.focus();
  }, [explicit, prefilled]);

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setError(undefined);
    // Refused here: focus goes to the field to fix.
    if (!EMAIL.test(email.trim())) {
      setEmailError('Enter an email address');
      focusField('email');
      return;
    }
    if (!password) {
      setError('Enter the password');
      focusField('password');
      return;
    }
    const { api } = store.getState();
    await action.run(true, async () => {
      if (mode === 'signup') {
        const r = await api.signUp({ envId: env.id, email: email.trim(), password });
        if (r.kind === 'confirmation_sent') {
          setSentTo(r.email);
          setPassword('');
          return;
        }
        store.getState().toast('success', `Account created: signed in as ${r.identity.label}`, env.name);
      } else {
        const who = await api.signIn({ envId: env.id, email: email.trim(), password, remember: canRememberPassword && remember });
        store.getState().toast('success', `Signed in as ${who.email}`, env.name);
      }
      setPassword('');
      store.getState().openSignIn(undefined);
      await store.getState().refresh();
    });
  }

  if (sentTo) {
    return (
      <div className="notice" role="status">
        <strong>Check your email</strong>
        <p>
          {env.name} sent a confirmation link to {sentTo}. Open it, then sign in here with the same password.
        </p>
        <Button size="sm" onClick={() => { setSentTo(undefined); setMode('signin'); }}>
          Sign in
        </Button>
      </div>
    );
  }

  const verb = mode === 'signup' ? 'Create account' : 'Sign in';
  return (
    <form
      ref={formRef}
      className="form signin"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={`${verb} to ${env.name}`}
      onKeyDown={(e) => {
        // Escape cancels, like the Cancel button, where there is one; with something typed it asks first.
        if (e.key === 'Escape' && onClose && !busy && !asking) {
          e.stopPropagation();
          if (dirty) setAsking(true);
          else onClose();
        }
      }}
    >
      {canSignUp ? (
        // A two-tab switch: arrow keys move between the tabs, as the tab pattern promises.
        <div
          className="tabs"
          role="tablist"
          aria-label="Sign in or create an account"
          onKeyDown={(e) => {
            if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
            e.preventDefault();
            const next = mode === 'signin' ? 'signup' : 'signin';
            setMode(next);
            setError(undefined);
            e.currentTarget.querySelector<HTMLButtonElement>(`[data-mode="${next}"]`)?.focus();
          }}
        >
          <button type="button" id={`${formId}-tab-signin`} data-mode="signin" className={mode === 'signin' ? 'tab tab-on' : 'tab'} role="tab" aria-selected={mode === 'signin'} aria-controls={`${formId}-panel`} tabIndex={mode === 'signin' ? 0 : -1} onClick={() => { setMode('signin'); setError(undefined); }}>
            Sign in
          </button>
          <button type="button" id={`${formId}-tab-signup`} data-mode="signup" className={mode === 'signup' ? 'tab tab-on' : 'tab'} role="tab" aria-selected={mode === 'signup'} aria-controls={`${formId}-panel`} tabIndex={mode === 'signup' ? 0 : -1} onClick={() => { setMode('signup'); setError(undefined); }}>
            Create account
          </button>
        </div>
      ) : null}
      <div className="form" {...(canSignUp && { id: `${formId}-panel`, role: 'tabpanel', 'aria-labelledby': `${formId}-tab-${mode}` })}>
      <div className="form-grid">
        <Field label="Email" type="email" autoComplete="username" value={email} error={emailError} onChange={(e) => { setEmail(e.target.value); setEmailError(undefined); }} data-autofocus={target?.email ? undefined : true} />
        <Field label="Password" type="password" autoComplete={mode === 'signup' ? 'new-password' : 'current-password'} value={password} onChange={(e) => setPassword(e.target.value)} />
      </div>
      {canRememberPassword && mode === 'signin' ? (
        <Checkbox
          label="Remember password"
          checked={remember}
          onChange={setRemember}
          hint="This API has no refresh token: TokenDesk signs in again with the password, kept in the OS keychain, to renew the session before it expires."
        />
      ) : null}
      <InlineError>{error}</InlineError>
      {asking && onClose ? <DiscardPrompt onKeep={() => setAsking(false)} onDiscard={onClose} /> : null}
      <div className="form-actions">
        <Button variant="primary" type="submit" busy={busy}>
          {verb}
        </Button>
        {onClose ? (
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
        ) : null}
      </div>
      </div>
      {demoAccounts.length > 0 ? (
        <div className="demo-hint">
          <span className="muted">Demo accounts:</span>
          {demoAccounts.map((a) => (
            <button key={a.email} type="button" className="chip" aria-label={`Fill in demo account ${a.email} (${a.label})`} onClick={() => { setEmail(a.email); setPassword(a.password); setError(undefined); setEmailError(undefined); }}>
              {a.email}
            </button>
          ))}
        </div>
      ) : null}
    </form>
  );
}
