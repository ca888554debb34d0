import { useId } from 'react';
import type { FlowAnswers, FlowField } from '../../../src-main/contract/flows.js';
import { cx } from '../../ui/cx.js';
import { Checkbox, Field, FieldNotes, notesFor } from '../../ui/Field.js';

const INPUT_TYPE: Record<Exclude<FlowField['kind'], 'checkbox' | 'textarea'>, string> = {
  email: 'email',
  text: 'text',
  password: 'password',
  code: 'text',
  token: 'text',
};

export interface FlowFieldsProps {
  fields: readonly FlowField[];
  answers: FlowAnswers;
  errors: Record<string, string>;
  onChange: (name: string, value: string) => void;
  /** Overrides a field's autocomplete hint (sign-up wants `new-password`). */
  autocomplete?: Record<string, string>;
}

/**
 * Any provider's fields, from their declaration alone: inputs side by side, a long paste (textarea)
 * and checkboxes on their own rows. A secret is masked (a password input, or a masked textarea) and
 * never spell-checked, so the browser neither shows nor sends it anywhere.
 */
export function FlowFields({ fields, answers, errors, onChange, autocomplete = {} }: FlowFieldsProps) {
  const inputs = fields.filter((f) => f.kind !== 'checkbox' && f.kind !== 'textarea');
  const areas = fields.filter((f) => f.kind === 'textarea');
  const boxes = fields.filter((f) => f.kind === 'checkbox');
  return (
    <>
      {inputs.length > 0 ? (
        <div className="form-grid">
          {inputs.map((f) => (
            <Field
              key={f.name}
              name={f.name}
              label={f.label}
              type={f.secret ? 'password' : INPUT_TYPE[f.kind as keyof typeof INPUT_TYPE]}
              autoComplete={autocomplete[f.name] ?? f.autocomplete ?? (f.secret ? 'off' : undefined)}
              {...(f.kind === 'code' && { inputMode: 'text' as const, autoCapitalize: 'characters' })}
              spellCheck={f.kind === 'email' || f.kind === 'text' ? undefined : false}
              mono={f.kind === 'token' || f.kind === 'code'}
              placeholder={f.placeholder}
              hint={f.help}
              error={errors[f.name]}
              value={answers[f.name] ?? ''}
              onChange={(e) => onChange(f.name, e.target.value)}
            />
          ))}
        </div>
      ) : null}
      {areas.map((f) => (
        <TextArea key={f.name} field={f} value={answers[f.name] ?? ''} error={errors[f.name]} onChange={(v) => onChange(f.name, v)} />
      ))}
      {boxes.map((f) => (
        <Checkbox key={f.name} label={f.label} hint={f.help} checked={answers[f.name] === 'true'} onChange={(v) => onChange(f.name, v ? 'true' : 'false')} />
      ))}
    </>
  );
}

/** A pasted value (a session JSON, a long token): wide, monospace, masked when secret. */
function TextArea({ field, value, error, onChange }: { field: FlowField; value: string; error?: string; onChange: (v: string) => void }) {
  const id = useId();
  const described = notesFor(id, error, field.help);
  return (
    <div className={cx('field', error && 'field-invalid')}>
      <label htmlFor={id}>{field.label}</label>
      <textarea
        id={id}
        name={field.name}
        className={cx('input', 'textarea', 'mono', field.secret && 'masked')}
        rows={4}
        spellCheck={false}
        autoComplete={field.autocomplete ?? 'off'}
        placeholder={field.placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldNotes id={id} error={error} hint={field.help} />
    </div>
  );
}
