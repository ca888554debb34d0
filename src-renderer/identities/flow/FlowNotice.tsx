import { useEffect, useId, useRef, useState } from 'react';
import type { LiveStep } from './use-sign-in-flow.js';
import { errorMessage } from '../../api/types.js';
import { clockDuration } from '../../lib/format.js';
import { useNow } from '../../lib/clock.js';
import { useDeskStore } from '../../store.js';
import { Button } from '../../ui/Button.js';
import { InlineError } from '../../ui/Field.js';

type Notice = Exclude<LiveStep, { kind: 'ask' }>;

/** Under this, the flow's deadline is shown on every step (a device code shows its own at all times). */
export const DEADLINE_SHOWN_MS = 2 * 60_000;

/** "The sign-in ends in 1:42": only when little time is left, or always (`always`, a device code). */
export function Deadline({ expiresAt, always, what = 'This sign-in ends' }: { expiresAt: number; always?: boolean; what?: string }) {
  const left = expiresAt - useNow();
  if (!always && left >= DEADLINE_SHOWN_MS) return null;
  return (
    <p className={left < DEADLINE_SHOWN_MS ? 'flow-deadline flow-deadline-near' : 'flow-deadline'}>
      {left > 0 ? (
        <>
          {what} in <span className="mono">{clockDuration(left)}</span>
        </>
      ) : (
        `${what} now`
      )}
    </p>
  );
}

/**
 * A value to take elsewhere (a URL, a device code): selectable as text, and a Copy button. Not a
 * secret, so the page writes the clipboard itself; where that is refused (Electron denies the
 * permission) the text is selected for Ctrl+C instead.
 */
function CopyableValue({ value, label, big }: { value: string; label: string; big?: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  const [note, setNote] = useState<string>();
  async function copy(): Promise<void> {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(value);
      setNote('Copied');
    } catch {
      ref.current?.focus();
      ref.current?.select();
      setNote('Selected: press Ctrl+C (⌘C) to copy');
    }
  }
  return (
    <div className="flow-copy">
      <input ref={ref} className={big ? 'input mono flow-code' : 'input mono'} readOnly value={value} aria-label={label} onFocus={(e) => e.currentTarget.select()} />
      <Button size="sm" onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
        Copy
      </Button>
      <span className="muted small" role="status">
        {note}
      </span>
    </div>
  );
}

/**
 * A step the flow shows while it waits for something outside the window: the browser (open-url), the
 * user on another device (device-code), or the server (progress). The flow goes on by itself; the
 * only thing to do here besides waiting is to open the page again, copy what is shown, or cancel.
 */
export function FlowNotice({ step, onCancel }: { step: Notice; onCancel: () => void }) {
  const store = useDeskStore();
  const titleId = useId();
  const [openError, setOpenError] = useState<string>();
  const opened = useRef<string | undefined>(undefined);

  async function open(url: string): Promise<void> {
    setOpenError(undefined);
    try {
      const r = await store.getState().api.openExternal({ url });
      if (!r.opened) setOpenError('The browser could not be opened from here: copy the address and open it yourself.');
    } catch (e) {
      setOpenError(errorMessage(e));
    }
  }

  // "Continue in your browser": the page opens once by itself; "Open again" is there if it got lost.
  const autoOpen = step.kind === 'open-url' ? `${step.flowId} ${step.url}` : undefined;
  useEffect(() => {
    if (step.kind !== 'open-url' || !autoOpen || opened.current === autoOpen) return;
    opened.current = autoOpen;
    void open(step.url);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per flow and URL
  }, [autoOpen]);

  return (
    <section className="flow-step" aria-labelledby={titleId} aria-busy={step.kind === 'progress' || undefined}>
      <h3 id={titleId} className="flow-title">
        {step.kind === 'progress' ? <span className="spinner" aria-hidden="true" /> : null}
        {step.kind === 'open-url' ? 'Continue in your browser' : step.title}
      </h3>
      {step.kind === 'open-url' && step.title !== 'Continue in your browser' ? <p className="muted small">{step.title}</p> : null}
      <p role="status" className="flow-message">
        {step.message}
      </p>
      {step.kind === 'open-url' ? (
        <>
          <CopyableValue value={step.url} label="Sign-in address" />
          <div className="form-actions">
            <Button size="sm" onClick={() => void open(step.url)}>
              Open again
            </Button>
          </div>
        </>
      ) : null}
      {(step.kind === 'open-url' || step.kind === 'progress') && step.copy ? (
        <div className="flow-allow">
          <p className="muted small">{step.copy.label}</p>
          <CopyableValue value={step.copy.value} label={step.copy.label} />
        </div>
      ) : null}
      {step.kind === 'device-code' ? (
        <>
          <CopyableValue value={step.userCode} label="Device code" big />
          <p className="muted small">
            {/* RFC 8628 §3.3.1: a verification_uri_complete carries the code, so there is nothing to type there. */}
            {step.verificationUrl.includes(encodeURIComponent(step.userCode)) || step.verificationUrl.includes(step.userCode) ? 'The page opens with the code filled in: ' : 'Enter it at '}
            <span className="mono selectable">{step.verificationUrl}</span>
          </p>
          <div className="form-actions">
            <Button size="sm" variant="primary" onClick={() => void open(step.verificationUrl)}>
              Open the verification page
            </Button>
          </div>
        </>
      ) : null}
      <InlineError>{openError}</InlineError>
      <Deadline expiresAt={step.expiresAt} always={step.kind === 'device-code'} what={step.kind === 'device-code' ? 'The code expires' : 'This sign-in ends'} />
      <div className="form-actions">
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </section>
  );
}
