/**
 * The answers of a sign-in form, generic over the provider's FlowFields (contract/flows.ts): what a
 * form starts with, what is refused before any call, what is sent, and what is forgotten. Pure.
 */
import type { FlowAnswers, FlowField } from '../../../src-main/contract/flows.js';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** The fields' starting values: what the user typed already (`seed`), else the field's own value. Never a secret from a field. */
export function initialAnswers(fields: readonly FlowField[], seed: FlowAnswers = {}): FlowAnswers {
  const out: FlowAnswers = {};
  for (const f of fields) {
    const own = f.secret ? undefined : f.value;
    out[f.name] = seed[f.name] ?? own ?? (f.kind === 'checkbox' ? 'false' : '');
  }
  return out;
}

/** The answers with every secret emptied: what may stay on screen after a submit, an error or a cancel. */
export function withoutSecrets(fields: readonly FlowField[], answers: FlowAnswers): FlowAnswers {
  const secret = new Set(fields.filter((f) => f.secret).map((f) => f.name));
  return Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, secret.has(k) ? '' : v]));
}

/** Why a field cannot be sent as it is, by field name (empty when all can). */
export function fieldErrors(fields: readonly FlowField[], answers: FlowAnswers): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    if (f.kind === 'checkbox') continue;
    const v = f.secret ? (answers[f.name] ?? '') : (answers[f.name] ?? '').trim();
    if (f.kind === 'email' && (v !== '' || f.required) && !EMAIL.test(v)) errors[f.name] = 'Enter an email address';
    else if (f.required && v === '') errors[f.name] = `Enter the ${f.label.toLowerCase()}`;
  }
  return errors;
}

/** What is sent for the fields: non-secret text trimmed (a secret is sent as typed), checkboxes 'true' or 'false'. */
export function answersToSend(fields: readonly FlowField[], answers: FlowAnswers): FlowAnswers {
  const out: FlowAnswers = {};
  for (const f of fields) {
    const v = answers[f.name] ?? '';
    if (f.kind === 'checkbox') out[f.name] = v === 'true' ? 'true' : 'false';
    else if (f.secret) out[f.name] = v;
    else if (v.trim() !== '') out[f.name] = v.trim();
  }
  return out;
}

/** The answers the user changed from where the form started (to ask before throwing them away). */
export function isDirty(fields: readonly FlowField[], answers: FlowAnswers, start: FlowAnswers): boolean {
  return fields.some((f) => f.kind !== 'checkbox' && (answers[f.name] ?? '').trim() !== (start[f.name] ?? '').trim());
}
