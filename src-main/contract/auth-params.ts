/**
 * The `authParams` setting of an OpenID Connect environment: extra authorization request parameters
 * as a query string (Google's `access_type=offline&prompt=consent`). Pure, shared by the form's check,
 * the CLI's and the browser sign-in. The parameters TokenDesk itself sets for the code flow with PKCE
 * (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1) cannot be overridden: a user-given state or
 * redirect_uri would break the checks that protect the sign-in.
 */
export const RESERVED_AUTH_PARAMS: readonly string[] = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
];

export type AuthParamsCheck = { ok: true; params: Record<string, string> } | { ok: false; message: string };

export function parseAuthParams(raw: string): AuthParamsCheck {
  const text = raw.trim().replace(/^\?/, '');
  const params: Record<string, string> = {};
  if (text === '') return { ok: true, params };
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, message: `"${part.slice(0, 40)}" is not NAME=VALUE (e.g. access_type=offline&prompt=consent)` };
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(part.slice(0, eq).replace(/\+/g, ' '));
      value = decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return { ok: false, message: `"${part.slice(0, 40)}" has a broken %-escape` };
    }
    if (RESERVED_AUTH_PARAMS.includes(name)) {
      return { ok: false, message: `${name} is set by TokenDesk itself${name === 'scope' ? ' (use the Scope setting)' : ''}` };
    }
    if (Object.prototype.hasOwnProperty.call(params, name)) return { ok: false, message: `${name} is given twice` };
    params[name] = value;
  }
  return { ok: true, params };
}
