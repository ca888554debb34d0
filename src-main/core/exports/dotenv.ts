import { sanitizeForDisplay } from '../text/sanitize.js';
import { exportVariables, omittedNotes, type ExportInput, type ExportOptions } from './model.js';

/** Values made only of these characters are written bare; anything else is double-quoted. */
const BARE = /^[A-Za-z0-9_./:-]*$/;

/** Upper-cased and reduced to a valid shell/env identifier: `user_jwt_token` → `USER_JWT_TOKEN`. */
export function dotenvKey(key: string): string {
  const k = key.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
  return /^[0-9]/.test(k) ? `_${k}` : k;
}

/**
 * Double-quoted with `\`, `"`, `$` and backtick escaped, so both dotenv-style parsers and a POSIX shell
 * (`set -a; . ./.env`) read the same value and never expand `$VAR` inside a token. Line breaks become
 * `\n` / `\r` (dotenv's convention).
 */
export function dotenvValue(value: string): string {
  if (BARE.test(value)) return value;
  const escaped = value.replace(/[\\"$`]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  return `"${escaped}"`;
}

/**
 * Comments are single lines. dotenv's parser reads with a multiline regexp whose ^ and $ also match at
 * U+2028/U+2029 (ECMA-262 LineTerminator), so an email holding one would start a variable
 * (`NODE_OPTIONS=…`) inside the comment: the shared sanitiser removes those and every control.
 */
function oneLine(s: string): string {
  return sanitizeForDisplay(s);
}

export function toDotenv(input: ExportInput, opts: ExportOptions): string {
  const lines = [
    `# TokenDesk environment "${oneLine(input.env.name)}" (${input.env.provider})`,
    `# Identity: ${input.identityEmail ? oneLine(input.identityEmail) : '(none)'}`,
  ];
  if (!opts.includeSecrets) lines.push('# Secrets omitted: secret variables are empty');
  for (const note of omittedNotes(input, opts)) lines.push(`# ${oneLine(note)}`);
  const seen = new Set<string>();
  for (const v of exportVariables(input, opts)) {
    const key = dotenvKey(v.key);
    if (seen.has(key)) continue; // two names that collapse to one key: keep the first (the role)
    // A secret it has no value for (the refresh token left out, a key never stored) is no line at all:
    // `REFRESH_TOKEN=` would set an empty value over one the shell already had. Without secrets every
    // key stays, blank, as a template (.env.example).
    seen.add(key);
    if (v.value === '' && opts.includeSecrets && (v.secret || v.role !== undefined)) continue;
    lines.push(`${key}=${dotenvValue(v.value)}`);
  }
  return `${lines.join('\n')}\n`;
}
