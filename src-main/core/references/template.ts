import { TokenDeskError } from '../errors.js';
import { isReference, parseReference, type Reference } from './reference.js';

/** A template cut into text and references: `{{ tokendesk://staging/token }}` (spaces inside the braces optional). */
export type TemplatePart = { text: string } | { ref: Reference; line: number };

const REF = /\{\{\s*(.*?)\s*\}\}/g;

/**
 * Finds every `{{ tokendesk://… }}` in a template (op inject's syntax). Braces around anything else are
 * left alone (a Postman `{{variable}}`, a Helm or Jinja expression), so a template of another tool
 * passes through. A malformed reference names its line; nothing is written.
 */
export function parseTemplate(text: string, file: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const m of text.matchAll(REF)) {
    const inner = m[1] ?? '';
    if (!isReference(inner)) continue;
    const line = text.slice(0, m.index).split('\n').length;
    let ref: Reference;
    try {
      ref = parseReference(inner);
    } catch (e) {
      throw new TokenDeskError('invalid_input', `${file}, line ${line}: ${e instanceof TokenDeskError ? e.message : 'not a valid reference'}. Nothing was written`);
    }
    parts.push({ text: text.slice(last, m.index) }, { ref, line });
    last = m.index + m[0].length;
  }
  parts.push({ text: text.slice(last) });
  return parts;
}
