import { useId } from 'react';
import { PROVIDER_KINDS, PROVIDERS, type ProviderKind } from '../../src-main/contract/providers.js';
import { Field } from '../ui/Field.js';
import { COLORS } from './presets.js';
import type { AccountKind } from './validate.js';

export function ProviderPicker({ value, onChange }: { value: ProviderKind; onChange: (p: ProviderKind) => void }) {
  const name = useId();
  const options = PROVIDER_KINDS.map((v) => ({ v, title: PROVIDERS[v].label, sub: PROVIDERS[v].summary }));
  return (
    <fieldset className="segmented">
      <legend>Provider</legend>
      {options.map((o) => (
        <label key={o.v} className={value === o.v ? 'seg seg-on' : 'seg'}>
          <input type="radio" name={name} value={o.v} checked={value === o.v} onChange={() => onChange(o.v)} />
          <span className="seg-title">{o.title}</span>
          <span className="seg-sub">{o.sub}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function ColorPicker({ value, onChange }: { value: string; onChange: (c: string) => void }) {
  const name = useId();
  return (
    <fieldset className="swatches">
      <legend>Colour</legend>
      <div className="swatch-row">
        {COLORS.map((c) => (
          <label key={c.value} className="swatch" title={c.name}>
            <input type="radio" name={name} value={c.value} checked={value.toLowerCase() === c.value} onChange={() => onChange(c.value)} aria-label={c.name} />
            <span style={{ background: c.value }} aria-hidden="true" />
          </label>
        ))}
      </div>
    </fieldset>
  );
}

const ACCOUNT_KINDS: Array<{ v: AccountKind; title: string; placeholder: string }> = [
  { v: 'header', title: 'Header', placeholder: 'X-Account-Id' },
  { v: 'query', title: 'Query parameter', placeholder: 'accountId' },
  { v: 'none', title: 'Not sent', placeholder: '' },
];

/**
 * How the active tenant account travels with every copied header, curl line and request: a header
 * such as X-Account-Id, a query parameter, or not at all (the server then uses the primary account).
 */
export function AccountTransportPicker({ kind, name, error, onChange }: { kind: AccountKind; name: string; error?: string; onChange: (kind: AccountKind, name: string) => void }) {
  const group = useId();
  const current = ACCOUNT_KINDS.find((k) => k.v === kind)!;
  return (
    <fieldset className="account-transport">
      <legend>Account travels as</legend>
      <div className="segmented segmented-3">
        {ACCOUNT_KINDS.map((o) => (
          <label key={o.v} className={kind === o.v ? 'seg seg-on' : 'seg'}>
            <input
              type="radio"
              name={group}
              value={o.v}
              checked={kind === o.v}
              // A first pick fills the usual name, so one click gives a working setting.
              onChange={() => onChange(o.v, o.v === 'none' ? '' : name.trim() && kind !== 'none' ? name : o.placeholder)}
            />
            <span className="seg-title">{o.title}</span>
          </label>
        ))}
      </div>
      {kind !== 'none' ? (
        <Field label={kind === 'header' ? 'Header name' : 'Query parameter name'} value={name} onChange={(e) => onChange(kind, e.target.value)} error={error} placeholder={current.placeholder} autoComplete="off" spellCheck={false} mono />
      ) : null}
      <p className="field-hint">
        {kind === 'none' ? 'The account you pick is not sent: the server uses the primary account.' : kind === 'header' ? `Every copy, curl line and request carries ${name.trim() || current.placeholder}: <the active account's id>.` : `Every URL TokenDesk builds gets ?${name.trim() || current.placeholder}=<the active account's id>.`}
      </p>
    </fieldset>
  );
}
