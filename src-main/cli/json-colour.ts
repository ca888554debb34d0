import { clean, paint } from './output.js';

/**
 * JSON pretty-printed with colours for a terminal (`tokendesk request`), as `gh api` and `jq` show it:
 * keys bold, strings green, numbers and booleans yellow, null dim. Every key and string passes the
 * display filter (output.ts clean), so an answer's escape sequences are never obeyed.
 */
export function colouredJson(value: unknown, indent = ''): string {
  const next = `${indent}  `;
  if (value === null) return paint('null', 'dim', true);
  if (typeof value === 'string') return paint(clean(JSON.stringify(value)), 'green', true);
  if (typeof value === 'number' || typeof value === 'boolean') return paint(String(value), 'yellow', true);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${next}${colouredJson(v, next)}`).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${next}${paint(clean(JSON.stringify(k)), 'bold', true)}: ${colouredJson(v, next)}`).join(',\n')}\n${indent}}`;
  }
  return clean(String(value));
}
