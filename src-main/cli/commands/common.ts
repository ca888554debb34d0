import { InvalidArgumentError, Option } from 'commander';
import { checkAccountTransport, checkBaseUrl } from '../../contract/validators.js';
import type { AccountTransport } from '../../contract/types.js';
import { UsageError } from '../output.js';

/** `--env NAME`, also read from TOKENDESK_ENV (set for `exec`'s child, handy in scripts); else the `env use` default (default-env.ts). */
export function envOption(): Option {
  return new Option('-e, --env <name>', 'environment name (default: the one set with "tokendesk env use", else the only one, or the only one signed in)').env('TOKENDESK_ENV');
}

export function emailOption(what = 'identity to use (default: the active one)'): Option {
  return new Option('-u, --email <email>', what);
}

/** An identity by its id (`tokendesk status --json` lists them): for identities without an email. */
export function identityOption(): Option {
  return new Option('--identity <id>', 'identity to use, by its id (tokendesk status --json lists them)');
}

export function jsonOption(): Option {
  return new Option('--json', 'print one JSON document');
}

/** Repeatable `--var KEY=VALUE` into a record; a malformed pair is a usage error (commander shows the usage). */
export function pairCollector(what: string): (value: string, previous: Record<string, string> | undefined) => Record<string, string> {
  return (value, previous) => {
    const i = value.indexOf('=');
    if (i <= 0) throw new InvalidArgumentError(`${what} must be KEY=VALUE`);
    return { ...previous, [value.slice(0, i).trim()]: value.slice(i + 1) };
  };
}

/** Repeatable option into a list: `--unset-var a --unset-var b`. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

/**
 * `--url`: the shared rule (contract/validators.ts) without the provider's path check, which needs
 * --provider and runs in EnvironmentService; a URL with a password in it is refused before anything
 * is read or stored.
 */
export function parseBaseUrl(value: string): string {
  const r = checkBaseUrl(value);
  if (r.ok) return r.value;
  // The wrong-scheme case keeps the CLI's own examples; every other problem is the shared wording.
  if (r.message.startsWith('enter an http(s) URL')) {
    throw new InvalidArgumentError('must be an http:// or https:// URL, e.g. https://abc.supabase.co or http://localhost:3000');
  }
  // Commander would quote the argument back ("argument 'https://me:pw@…' is invalid"): not for a password.
  if (URL.canParse(value.trim()) && (new URL(value.trim()).password !== '' || new URL(value.trim()).username !== '')) throw new UsageError(`--url: ${r.message}`);
  throw new InvalidArgumentError(r.message);
}

/** `--account-header NAME` / `--account-query NAME`: how the active account travels. */
export function transportParser(kind: 'header' | 'query'): (value: string) => AccountTransport {
  return (value) => {
    const r = checkAccountTransport({ kind, name: value });
    if (!r.ok) throw new InvalidArgumentError(r.message);
    return r.value;
  };
}

/** `--color`: the #rrggbb form the app shows. */
export function parseColor(value: string): string {
  const v = value.trim();
  if (!/^#[0-9a-fA-F]{6}$/.test(v)) throw new InvalidArgumentError('must be a colour written #rrggbb, e.g. #d92d20');
  return v;
}

/**
 * `--anon-key` / `--api-key`: a value on the command line is readable by every user in the process
 * list, so `-` reads the key the way login reads a password (prompt.ts): a hidden prompt on a
 * terminal, otherwise the first line of standard input, bounded.
 */
export const KEY_OPTION_HELP = '; give - to read it from a hidden prompt or stdin (a value here is visible in ps)';

export const KEYS_HELP = `
Keys: give - instead of the key and type it at the hidden prompt, or pipe it in (one line per -, in order):
  printf '%s\\n' "$ANON_KEY" | tokendesk env add staging --provider supabase --url https://abc.supabase.co --anon-key -
  printf '%s\\n%s\\n' "$ANON_KEY" "$API_KEY" | tokendesk env edit staging --anon-key - --api-key -
A key given as the value itself (--anon-key eyJ…) works too, but every user of this machine can read it
in the process list (ps) while the command runs, and it stays in your shell history.`;

/**
 * `--no-browser`: print the URL a sign-in would open instead of opening it (a remote shell, a browser on
 * another machine). Commander's negated option: the action sees `browser: false`; pass
 * `{ noBrowser: opts.browser === false }` to openOrPrint (cli/browser.ts).
 */
export function noBrowserOption(): Option {
  return new Option('--no-browser', 'print the URL to open instead of opening a browser');
}
