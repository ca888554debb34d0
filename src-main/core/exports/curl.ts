import { providerInfo } from '../../contract/providers.js';
import { TokenDeskError } from '../errors.js';
import { firstControlCharacter } from '../text/sanitize.js';
import { authHeaders, withAccountQuery } from './headers.js';
import type { ExportInput } from './model.js';

export interface CurlOptions {
  /** Path appended to the environment's base URL; defaults to the provider's "who am I" endpoint. */
  path?: string;
  method?: string;
  includeSecrets: boolean;
}

/** The path a curl line calls when given none: the kind's "who am I" endpoint, or the setting that names the environment's own (catalogue `curlPath`). */
export function defaultCurlPath(env: ExportInput['env']): string {
  const { path, setting } = providerInfo(env.provider).curlPath;
  return (setting !== undefined && env.settings?.[setting]) || path;
}

/** POSIX single-quoting: nothing is special inside '…' except the quote itself, closed, escaped, reopened. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Joins rather than resolves, so a base URL with a path prefix (…/api) keeps it. */
export function joinUrl(baseUrl: string, path: string): string {
  const joined = baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
  try {
    return new URL(joined).href;
  } catch {
    throw new TokenDeskError('invalid_input', `Cannot build a URL from the environment's base URL and path "${path}"`);
  }
}

/** One curl command line (no trailing newline) for a request to the environment. */
export function toCurl(input: ExportInput, opts: CurlOptions): string {
  const method = (opts.method ?? 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new TokenDeskError('invalid_input', `Invalid HTTP method "${opts.method}"`);
  const url = withAccountQuery(input, joinUrl(input.env.baseUrl, opts.path ?? defaultCurlPath(input.env)));

  const parts = ['curl'];
  if (method !== 'GET') parts.push('-X', method);
  parts.push(shellQuote(url));
  for (const h of authHeaders(input, { includeSecrets: opts.includeSecrets })) {
    // A line break would split the command (and is header injection), a bidi control hides what is
    // sent (an account id comes from the server); never echo the value itself.
    const bad = firstControlCharacter(h.value);
    if (bad) throw new TokenDeskError('invalid_input', `The ${h.name} header value contains a line break or control character (${bad})`);
    parts.push('-H', shellQuote(`${h.name}: ${h.value}`));
  }
  return parts.join(' ');
}
