import { useEffect, useRef, useState } from 'react';
import { useAction } from '../lib/use-action.js';
import type { IdentityView, TokenDetails } from '../../src-main/contract/types.js';
import { errorMessage } from '../api/types.js';
import { useNow } from '../lib/clock.js';
import { clockDuration, timeOfDay } from '../lib/format.js';
import { liveStatus } from '../lib/status.js';
import { useDesk, useDeskStore } from '../store.js';
import { Button } from '../ui/Button.js';
import { InlineError } from '../ui/Field.js';
import { EyeIcon, LockIcon } from '../ui/icons.js';
import { Section } from '../ui/Section.js';
import { claimText } from './claims.js';

function Lifetime({ details }: { details: TokenDetails }) {
  const now = useNow();
  // Its expiresAt is only how long TokenDesk keeps it: a date a year out would be a made-up expiry.
  if (details.noExpiry) {
    return (
      <div className="lifetime">
        <dl className="times">
          <dt>Issued</dt>
          <dd>{timeOfDay(details.issuedAt, now)}</dd>
          <dt>Expires</dt>
          <dd>
            <strong>no expiry</strong> <span className="muted">(valid until revoked)</span>
          </dd>
        </dl>
      </div>
    );
  }
  const total = Math.max(1, details.expiresAt - details.issuedAt);
  const left = details.expiresAt - now;
  const pct = Math.max(0, Math.min(100, (left / total) * 100));
  return (
    <div className="lifetime">
      <dl className="times">
        <dt>Issued</dt>
        <dd>{timeOfDay(details.issuedAt, now)}</dd>
        <dt>Expires</dt>
        <dd>
          {timeOfDay(details.expiresAt, now)} <strong className={left <= 0 ? 'expired-text' : 'countdown'}>{left > 0 ? `in ${clockDuration(left)}` : 'expired'}</strong>
        </dd>
      </dl>
      <div className="bar" role="meter" aria-label="Token lifetime left" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
        <span style={{ width: `${pct}%` }} className={pct < 10 ? 'bar-low' : undefined} />
      </div>
    </div>
  );
}

function Claims({ title, data }: { title: string; data: Record<string, unknown> }) {
  return (
    <details className="claims" open={title === 'Claims'}>
      <summary>
        {title} <span className="muted">({Object.keys(data).length})</span>
      </summary>
      <table>
        <tbody>
          {Object.entries(data).map(([k, v]) => {
            const { text, note } = claimText(k, v);
            return (
              <tr key={k}>
                <th scope="row" className="mono">
                  {k}
                </th>
                <td className="mono">
                  {text}
                  {note ? <span className="muted claim-note"> {note}</span> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}

/** The active identity's token: masked, revealed on demand, decoded, with a live countdown. */
export function TokenPanel({ identity }: { identity: IdentityView }) {
  const store = useDeskStore();
  const now = useNow();
  const [details, setDetails] = useState<TokenDetails>();
  const [error, setError] = useState<string>();
  const [revealed, setRevealed] = useState<string>();
  const revealing = useAction();
  const clearRevealError = revealing.setError;
  const status = liveStatus(identity, now);
  const hasToken = status !== 'signed_out' && status !== 'ended';

  useEffect(() => {
    // Another session (renewed, switched): what was revealed or failed is about the old one.
    setRevealed(undefined);
    clearRevealError(undefined);
    if (!hasToken) {
      setDetails(undefined);
      return;
    }
    let live = true;
    store
      .getState()
      .api.getTokenDetails({ identityId: identity.id })
      .then((d) => live && (setDetails(d), setError(undefined)))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [store, identity.id, identity.expiresAt, identity.obtainedAt, hasToken, clearRevealError]);

  // "Reveal token" from the palette: the same as the button, and focus lands on it (so Hide is one key away).
  const revealRequest = useDesk((s) => s.revealRequest);
  const seenRequest = useRef(revealRequest);
  const revealButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (revealRequest === seenRequest.current) return;
    seenRequest.current = revealRequest;
    void reveal().then(() => revealButton.current?.focus());
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once per request, with the current reveal()
  }, [revealRequest]);

  // A revealed token hides itself again after a minute.
  useEffect(() => {
    if (!revealed) return;
    const t = setTimeout(() => setRevealed(undefined), 60_000);
    return () => clearTimeout(t);
  }, [revealed]);

  async function reveal(): Promise<void> {
    if (revealed) {
      setRevealed(undefined);
      return;
    }
    await revealing.run(true, async () => {
      const d = await store.getState().api.getTokenDetails({ identityId: identity.id, reveal: true });
      setRevealed(d.token);
      setError(undefined);
    });
  }

  return (
    <Section title="Token" className="token">
      {!hasToken ? (
        <p className="muted">Signed out: sign in to get a token.</p>
      ) : details ? (
        <>
          <div className="token-line">
            <code className={revealed ? 'token-value revealed selectable' : 'token-value'} aria-label={revealed ? 'Token' : 'Masked token'}>
              {revealed ?? details.masked}
            </code>
            <Button ref={revealButton} size="sm" variant="ghost" icon={<EyeIcon />} busy={revealing.busy !== undefined} onClick={() => void reveal()} aria-label={revealed ? 'Hide token' : 'Reveal token'}>
              {revealed ? 'Hide' : 'Reveal'}
            </Button>
          </div>
          <Lifetime details={details} />
          {details.jwtHeader ? <Claims title="Header" data={details.jwtHeader} /> : null}
          {details.claims ? <Claims title="Claims" data={details.claims} /> : <p className="muted">An opaque token: there are no claims to decode.</p>}
          <p className="stored">
            <LockIcon /> Stored in: {details.storage}
          </p>
        </>
      ) : (revealing.error ?? error) ? null : (
        <p className="muted">Loading token details…</p>
      )}
      <InlineError>{revealing.error ?? error}</InlineError>
    </Section>
  );
}
