import { TokenDeskError } from '../errors.js';
import { isReference, parseReference, type Reference } from './reference.js';

/** One variable of an env file: a plain value passed on as is, or a reference resolved before the command runs. */
export type EnvFileEntry = { name: string; line: number } & ({ value: string; ref?: undefined } | { ref: Reference; value?: undefined });

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function lineError(file: string, line: number, message: string): TokenDeskError {
  return new TokenDeskError('invalid_input', `${file}, line ${line}: ${message}. Nothing was run`);
}

/** A quoted value: `"…"` with \n \r \t \" \\ escapes, or `'…'` taken literally; only a comment may follow. */
function quoted(rest: string, fail: (m: string) => TokenDeskError): string {
  const quote = rest[0]!;
  let out = '';
  let i = 1;
  for (; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === quote) break;
    if (quote === '"' && c === '\\' && i + 1 < rest.length) {
      const next = rest[++i]!;
      out += ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[next] ?? next;
    } else out += c;
  }
  if (i >= rest.length) throw fail(`the value's ${quote === '"' ? 'double' : 'single'} quote is not closed (a value is one line; write \\n for a line break)`);
  const after = rest.slice(i + 1).trim();
  if (after !== '' && !after.startsWith('#')) throw fail(`unexpected text after the closing quote: ${after.slice(0, 40)}`);
  return out;
}

/**
 * An env file as `op run --env-file` and dotenv read it: `NAME=value` lines, an optional `export `,
 * blank lines and `#` comments, values bare (a ` #` starts a comment), "double-quoted" (escapes) or
 * 'single-quoted' (literal). `$VAR` is not expanded. A value that is a `tokendesk://` reference is
 * parsed here, so a typo is reported with its line before anything is resolved or run.
 */
export function parseEnvFile(text: string, file: string): EnvFileEntry[] {
  const entries: EnvFileEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fail = (m: string) => lineError(file, line, m);
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const body = trimmed.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    if (eq === -1) throw fail('expected NAME=value');
    const name = body.slice(0, eq).trim();
    if (!NAME.test(name)) throw fail(`"${name.slice(0, 60)}" is not a variable name (letters, digits and _, not starting with a digit)`);
    const rest = body.slice(eq + 1).trim();
    const value = rest.startsWith('"') || rest.startsWith("'") ? quoted(rest, fail) : rest.replace(/\s+#.*$/, '');
    if (!isReference(value)) return entries.push({ name, line, value });
    try {
      entries.push({ name, line, ref: parseReference(value) });
    } catch (e) {
      throw fail(`${name}: ${e instanceof TokenDeskError ? e.message : 'not a valid reference'}`);
    }
  });
  return entries;
}
