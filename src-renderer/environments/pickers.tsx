import { useId } from 'react';
import type { ProviderKind } from '../../src-main/contract/types.js';
import { COLORS } from './presets.js';

export function ProviderPicker({ value, onChange }: { value: ProviderKind; onChange: (p: ProviderKind) => void }) {
  const name = useId();
  const options: Array<{ v: ProviderKind; title: string; sub: string }> = [
    { v: 'supabase', title: 'Supabase', sub: 'email + password, refresh tokens' },
    { v: 'session', title: 'Session API', sub: 'POST /login, opaque token with expiresAt' },
  ];
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
