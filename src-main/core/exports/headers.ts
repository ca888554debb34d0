import type { ExportInput } from './model.js';

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
  const { anonKey, accessToken, apiKey } = input.secrets;
  const out: AuthHeader[] = [];
  // Supabase's API gateway rejects any request without the anon key in `apikey`.
  if (input.env.provider === 'supabase' && anonKey) out.push({ name: 'apikey', value: show(anonKey) });
  if (accessToken) out.push({ name: 'Authorization', value: `Bearer ${show(accessToken)}` });
  if (apiKey) out.push({ name: 'X-API-Key', value: show(apiKey) });
  return out;
}
