import { activeAccountId, type ExportInput } from './model.js';
import { capabilitiesOf } from '../../contract/providers.js';
import { tokenHeader } from '../providers/token-header.js';

export interface AuthHeader {
  name: string;
  value: string;
}

export const REDACTED = '<redacted>';

/**
 * The headers a request to this environment needs, in the order curl/`exec`/copy buttons show them.
 * A header appears only when its secret is present in the input; with `includeSecrets: false` its
 * value is `<redacted>` (a blank header would just be a confusing 401).
 */
export function authHeaders(input: ExportInput, opts: { includeSecrets?: boolean } = {}): AuthHeader[] {
  const show = (v: string): string => (opts.includeSecrets === false ? REDACTED : v);
  const { anonKey, apiKey } = input.secrets;
  const out: AuthHeader[] = [];
  // Supabase's API gateway rejects any request without the anon key in `apikey`.
  if (capabilitiesOf(input.env.provider).needsAnonKey && anonKey) out.push({ name: 'apikey', value: show(anonKey) });
  const token = accessTokenHeader(input, opts);
  if (token) out.push(token);
  if (apiKey) out.push({ name: 'X-API-Key', value: show(apiKey) });
  const account = accountHeader(input);
  if (account) out.push(account);
  return out;
}

/**
 * The header line that carries the session's token (Authorization: Bearer …, or the environment's own
 * header setting), or undefined when no one is signed in.
 */
export function accessTokenHeader(input: ExportInput, opts: { includeSecrets?: boolean } = {}): AuthHeader | undefined {
  const token = input.secrets.accessToken;
  return token ? tokenHeader(input.env.settings, opts.includeSecrets === false ? REDACTED : token) : undefined;
}

/** The active account as a header (`X-Account-Id: 4200`) when the environment sends it that way; not a secret. */
export function accountHeader(input: ExportInput): AuthHeader | undefined {
  const t = input.env.accountTransport;
  const id = activeAccountId(input);
  if (t?.kind !== 'header' || id === undefined) return undefined;
  return { name: t.name, value: id };
}

/** The active account as a query parameter (`accountId=4200`, encoded) when the environment sends it that way. */
export function accountQuery(input: ExportInput): { name: string; value: string } | undefined {
  const t = input.env.accountTransport;
  const id = activeAccountId(input);
  if (t?.kind !== 'query' || id === undefined) return undefined;
  return { name: t.name, value: id };
}

/** The URL with the account query parameter added (replacing one of the same name), when there is one. */
export function withAccountQuery(input: ExportInput, url: string): string {
  const q = accountQuery(input);
  if (!q) return url;
  const u = new URL(url);
  u.searchParams.set(q.name, q.value);
  return u.href;
}
