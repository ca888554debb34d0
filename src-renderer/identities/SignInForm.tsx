import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { FlowAnswers, FlowField } from '../../src-main/contract/flows.js';
import { PASSWORD_FIELDS } from '../../src-main/contract/providers.js';
import { signInFields } from '../../src-main/contract/settings.js';
import type { EnvironmentView } from '../../src-main/contract/types.js';
import { useAction } from '../lib/use-action.js';
import { useDesk, useDeskStore, type SignInTarget } from '../store.js';
import { demoAccountsFor } from '../welcome/demo-accounts.js';
import { Button } from '../ui/Button.js';
import { DiscardPrompt } from '../ui/DiscardPrompt.js';
import { InlineError } from '../ui/Field.js';
import { answersToSend, fieldErrors, initialAnswers, isDirty, withoutSecrets } from './flow/answers.js';
import { FlowFields } from './flow/FlowFields.js';
import { Deadline, FlowNotice } from './flow/FlowNotice.js';
import { useSignInFlow, type DoneStep, type LiveStep } from './flow/use-sign-in-flow.js';

/** Sign-up stays email + password (the provider's canSignUp): a new password, never a remembered one. */
const SIGN_UP_AUTOCOMPLETE = { password: 'new-password' };

/**
 * Sign in with any of the environment's methods (or sign up where the provider can): the chosen
 * method's fields come from the catalogue, and each later step of its flow (another question, a
 * browser to continue in, a device code, progress) is rendered from the step alone. Errors appear
 * right under the form, with what the user typed kept, except secrets.
 */
export function SignInForm({ env, target, onClose }: { env: EnvironmentView; target?: SignInTarget; onClose?: () => void }) {
  const formId = useId();
  const store = useDeskStore();
  const demo = useDesk((s) => s.app?.demo);
  const methods = env.capabilities.signInMethods;
  const [mode, setMode] = useState<'signin' | 'signup'>(target?.mode ?? 'signin');
  const [methodId, setMethodId] = useState(methods[0]?.id);
  const method = methods.find((m) => m.id === methodId) ?? methods[0];
  const start: FlowAnswers = { ...(target?.email && { email: target.email }), ...(target?.remember && { remember: 'true' }) };
  const [typed, setTyped] = useState<FlowAnswers>(start);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const { error, setError } = action;
  const busy = action.busy !== undefined;
  const [sentTo, setSentTo] = useState<string>();
  const demoAccounts = demoAccountsFor(env, demo);
  const formRef = useRef<HTMLFormElement>(null);
  const [asking, setAsking] = useState(false);

  const flow = useSignInFlow(env.id, {
    onDone: (step) => finish(step),
    onFailed: (message) => setError(message),
  });
  const step: LiveStep | undefined = flow.step;
  const fields: readonly FlowField[] = mode === 'signup' ? PASSWORD_FIELDS : method ? signInFields(env.provider, method, env.settings) : [];
  const answers = initialAnswers(fields, typed);
  const dirty = isDirty(fields, answers, initialAnswers(fields, start));

  const focusFirst = (names?: string[]) => {
    const inputs = [...(formRef.current?.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input:not([type="checkbox"]):not([type="radio"]):not([readonly]), textarea') ?? [])];
    (inputs.find((i) => (names ? names.includes(i.name) : i.value === '')) ?? inputs[0])?.focus();
  };

  // Opened on purpose ("Sign in as another user", "Sign in again", the palette): focus goes to the
  // first field to fill in, so a keyboard user can type at once. (Not when it is just the empty state.)
  const explicit = target !== undefined;
  useEffect(() => {
    if (!explicit) return;
    const inputs = [...(formRef.current?.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input:not([type="checkbox"]):not([type="radio"]), textarea') ?? [])];
    (inputs.find((i) => i.value === '') ?? inputs[0])?.focus();
  }, [explicit]);

  async function finish(done: DoneStep): Promise<void> {
    setTyped((t) => withoutSecrets(fields, t));
    const who = done.identity.label;
    const s = store.getState();
    s.toast(done.warning ? 'info' : 'success', `Signed in as ${who}`, done.warning ?? env.name);
    s.openSignIn(undefined);
    await s.refresh();
  }

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (busy || (step && step.kind !== 'ask')) return;
    setError(undefined);
    const current = step?.kind === 'ask' ? undefined : answers;
    if (!current) return;
    // Refused here: focus goes to the first field to fix.
    const errs = fieldErrors(fields, current);
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      focusFirst(Object.keys(errs));
      return;
    }
    const send = answersToSend(fields, current);
    // A secret leaves the form's state as soon as it is sent, whatever the answer.
    setTyped(withoutSecrets(fields, current));
    const { api } = store.getState();
    await action.run(true, async () => {
      if (mode === 'signup') {
        const r = await api.signUp({ envId: env.id, email: send.email ?? '', password: send.password ?? '' });
        if (r.kind === 'confirmation_sent') {
          setSentTo(r.email);
          return;
        }
        store.getState().toast('success', `Account created: signed in as ${r.identity.label}`, env.name);
        store.getState().openSignIn(undefined);
        await store.getState().refresh();
      } else if (method) {
        await flow.begin(method.id, send);
      }
    });
  }

  const cancelFlow = () => {
    flow.cancel();
    setError(undefined);
    setTimeout(() => focusFirst(), 0);
  };

  const switchMode = (next: 'signin' | 'signup') => {
    setMode(next);
    setError(undefined);
    setErrors({});
  };

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
  const demoFill = mode === 'signup' || (fields.some((f) => f.name === 'email') && fields.some((f) => f.name === 'password'));
  // A demo account whose answers are this method's own (a demo token for "Paste a token"): a chip fills them in.
  const demoAnswers = mode === 'signin' && !demoFill ? demoAccounts.filter((a) => a.answers && Object.keys(a.answers).length > 0 && Object.keys(a.answers).every((k) => fields.some((f) => f.name === k))) : [];
  return (
    <form
      ref={formRef}
      className="form signin"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={`${verb} to ${env.name}`}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || busy || asking) return;
        // Escape in a step cancels the flow (back to the form); in the form it closes, asking first when something was typed.
        if (step) {
          e.stopPropagation();
          cancelFlow();
        } else if (onClose) {
          e.stopPropagation();
          if (dirty) setAsking(true);
          else onClose();
        }
      }}
    >
      {step && step.kind !== 'ask' ? <FlowNotice step={step} onCancel={cancelFlow} /> : null}
      {step?.kind === 'ask' ? <AskStep key={`${step.flowId}:${step.title}:${step.error ?? ''}`} step={step} onAnswer={flow.answer} onCancel={cancelFlow} /> : null}
      {step ? null : (
        <>
          {env.capabilities.canSignUp ? (
            // A two-tab switch: arrow keys move between the tabs, as the tab pattern promises.
            <div
              className="tabs"
              role="tablist"
              aria-label="Sign in or create an account"
              onKeyDown={(e) => {
                if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
                e.preventDefault();
                const next = mode === 'signin' ? 'signup' : 'signin';
                switchMode(next);
                e.currentTarget.querySelector<HTMLButtonElement>(`[data-mode="${next}"]`)?.focus();
              }}
            >
              <button type="button" id={`${formId}-tab-signin`} data-mode="signin" className={mode === 'signin' ? 'tab tab-on' : 'tab'} role="tab" aria-selected={mode === 'signin'} aria-controls={`${formId}-panel`} tabIndex={mode === 'signin' ? 0 : -1} onClick={() => switchMode('signin')}>
                Sign in
              </button>
              <button type="button" id={`${formId}-tab-signup`} data-mode="signup" className={mode === 'signup' ? 'tab tab-on' : 'tab'} role="tab" aria-selected={mode === 'signup'} aria-controls={`${formId}-panel`} tabIndex={mode === 'signup' ? 0 : -1} onClick={() => switchMode('signup')}>
                Create account
              </button>
            </div>
          ) : null}
          <div className="form" {...(env.capabilities.canSignUp && { id: `${formId}-panel`, role: 'tabpanel', 'aria-labelledby': `${formId}-tab-${mode}` })}>
            {mode === 'signin' && methods.length > 1 ? (
              <MethodPicker
                methods={methods}
                value={method?.id}
                onChange={(id) => {
                  // Typed secrets do not follow the user to another method.
                  setTyped(withoutSecrets(fields, answers));
                  setMethodId(id);
                  setErrors({});
                  setError(undefined);
                }}
              />
            ) : null}
            <FlowFields
              fields={fields}
              answers={answers}
              errors={errors}
              autocomplete={mode === 'signup' ? SIGN_UP_AUTOCOMPLETE : undefined}
              onChange={(name, value) => {
                setTyped({ ...answers, [name]: value });
                setErrors((cur) => Object.fromEntries(Object.entries(cur).filter(([k]) => k !== name)));
              }}
            />
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
          {demoAccounts.length > 0 && demoFill ? (
            <div className="demo-hint">
              <span className="muted">Demo accounts:</span>
              {demoAccounts.map((a) => (
                <button key={a.email} type="button" className="chip" aria-label={`Fill in demo account ${a.email} (${a.label})`} onClick={() => { setTyped({ ...answers, email: a.email, password: a.password }); setError(undefined); setErrors({}); }}>
                  {a.email}
                </button>
              ))}
            </div>
          ) : null}
          {demoAnswers.length > 0 ? (
            <div className="demo-hint">
              <span className="muted">{fields.some((f) => f.kind === 'token') ? 'Demo tokens:' : 'Demo accounts:'}</span>
              {demoAnswers.map((a) => (
                <button key={a.label} type="button" className="chip" aria-label={`Fill in demo ${fields.some((f) => f.kind === 'token') ? 'token' : 'account'} ${a.label}`} onClick={() => { setTyped({ ...answers, ...a.answers }); setError(undefined); setErrors({}); }}>
                  {a.label}
                </button>
              ))}
            </div>
          ) : null}
        </>
      )}
    </form>
  );
}

/** The environment's sign-in methods as one choice (radios: arrow keys move, as a radio group promises). */
function MethodPicker({ methods, value, onChange }: { methods: EnvironmentView['capabilities']['signInMethods']; value: string | undefined; onChange: (id: string) => void }) {
  const name = useId();
  return (
    <fieldset className="segmented segmented-auto">
      <legend>Sign in with</legend>
      {methods.map((m) => (
        <label key={m.id} className={value === m.id ? 'seg seg-on' : 'seg'}>
          <input type="radio" name={name} value={m.id} checked={value === m.id} onChange={() => onChange(m.id)} />
          <span className="seg-title">{m.label}</span>
          <span className="seg-sub">{m.summary}</span>
        </label>
      ))}
    </fieldset>
  );
}

/**
 * A later question of the flow (an emailed code, a second factor): its own fields, why the previous
 * answer was refused, and the flow's deadline when it is near. Keyed by the question, so a secret
 * typed for one question is gone when the next one (or the same one, refused) arrives.
 */
function AskStep({ step, onAnswer, onCancel }: { step: Extract<LiveStep, { kind: 'ask' }>; onAnswer: (a: FlowAnswers) => Promise<void>; onCancel: () => void }) {
  const [typed, setTyped] = useState<FlowAnswers>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const answers = initialAnswers(step.fields, typed);

  useEffect(() => {
    ref.current?.querySelector<HTMLInputElement | HTMLTextAreaElement>('input:not([type="checkbox"]), textarea')?.focus();
  }, []);

  async function send(): Promise<void> {
    const errs = fieldErrors(step.fields, answers);
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    const out = answersToSend(step.fields, answers);
    setTyped(withoutSecrets(step.fields, answers));
    await action.run(true, () => onAnswer(out));
  }

  return (
    <div
      ref={ref}
      className="form flow-step"
      role="group"
      aria-labelledby={titleId}
      onKeyDown={(e) => {
        // Enter in a field answers this question (the outer form's submit is the first form's).
        if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type !== 'checkbox') {
          e.preventDefault();
          void send();
        }
      }}
    >
      <h3 id={titleId} className="flow-title">
        {step.title}
      </h3>
      {step.message ? <p className="flow-message">{step.message}</p> : null}
      <InlineError>{step.error}</InlineError>
      <FlowFields fields={step.fields} answers={answers} errors={errors} onChange={(name, value) => setTyped({ ...answers, [name]: value })} />
      <InlineError>{action.error}</InlineError>
      <Deadline expiresAt={step.expiresAt} />
      <div className="form-actions">
        <Button variant="primary" busy={action.busy !== undefined} onClick={() => void send()}>
          {step.submitLabel ?? 'Continue'}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
