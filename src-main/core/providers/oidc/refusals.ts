/**
 * Why a provider refused a refresh token, in plain words, from the refusal's JSON body (RFC 6749 §5.2
 * plus the providers' own fields) and the issuer. Pure: no token reaches it, and nothing it returns
 * quotes the server, so no secret can leak through it. The caller (the session manager) adds the one
 * action, "Sign in again".
 */

/** The token endpoint's error answer, as parsed JSON. */
export interface RefusalBody {
  error: string;
  error_description?: unknown;
  /** Google: `invalid_rapt` when the Workspace session control wants a new sign-in. */
  error_subtype?: unknown;
  /** Entra ID: the AADSTS numbers (`[700082]`). */
  error_codes?: unknown;
}

export interface RefusalReason {
  /** Who refused: the provider's name when the issuer or the answer shows it. */
  who: string;
  /** The cause, completing "refused the refresh token (…): ". */
  reason: string;
  /** The server's own code for it, said in brackets (AADSTS700082, invalid_rapt). */
  tag: string;
}

const host = (issuer: URL) => issuer.hostname.toLowerCase();
const isGoogle = (issuer: URL) => host(issuer) === 'accounts.google.com';
// Auth0's and Okta's own domains; a custom domain cannot be told apart (the generic words cover it).
const isAuth0 = (issuer: URL) => /\.auth0\.com$/.test(host(issuer));
const isOkta = (issuer: URL) => /\.(okta|oktapreview|okta-emea)\.com$/.test(host(issuer));

/** The AADSTS number of an Entra ID answer: `error_codes`, else the "AADSTS…:" that starts its description. */
function entraCode(body: RefusalBody): number | undefined {
  if (Array.isArray(body.error_codes) && typeof body.error_codes[0] === 'number') return body.error_codes[0];
  const m = typeof body.error_description === 'string' ? /\bAADSTS(\d+)\b/.exec(body.error_description) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * Entra ID's refresh refusals that only a new sign-in fixes (learn.microsoft.com, "Microsoft Entra
 * authentication and authorization error codes"). 70043 also comes as `interaction_required`
 * (seen in KelvinTegelaar/CIPP#1156), so these are matched by number, not by `error`.
 */
const ENTRA: Record<number, string> = {
  700082: 'it expired after going unused too long (Entra ID ends a refresh token unused for 90 days)',
  70043: 'your organisation\'s Conditional Access sign-in frequency policy requires a new sign-in',
  50173: 'it was revoked: the password was changed or reset, or an administrator revoked the sessions',
};

/**
 * The known cause of a refused refresh, or undefined when the answer is not a refusal of the grant.
 * A bare `invalid_grant` gets the generic cause, refined by what the issuer is known to do; `server`
 * says who refused when the issuer is none of the known ones ("The OAuth 2.0 server").
 */
export function refreshRefusalReason(body: RefusalBody, issuer: URL, server: string): RefusalReason | undefined {
  const aadsts = entraCode(body);
  if (aadsts !== undefined && ENTRA[aadsts]) return { who: 'Microsoft Entra ID', reason: ENTRA[aadsts], tag: `AADSTS${aadsts}` };
  if (body.error !== 'invalid_grant') return undefined;
  const desc = typeof body.error_description === 'string' ? body.error_description : '';
  if (body.error_subtype === 'invalid_rapt' || /\binvalid_rapt\b/.test(desc)) {
    return { who: 'Google', reason: 'your Google Workspace administrator\'s session control requires you to re-authenticate', tag: 'invalid_rapt' };
  }
  if (isGoogle(issuer)) {
    return {
      who: 'Google',
      reason:
        'it was revoked or expired. If the app is in "Testing" in the Google Cloud console (OAuth consent screen), ' +
        'Google ends its refresh tokens after 7 days: publish the app to keep them',
      tag: 'invalid_grant',
    };
  }
  if (isAuth0(issuer) || isOkta(issuer)) {
    return {
      who: isAuth0(issuer) ? 'Auth0' : 'Okta',
      reason:
        'it expired or was revoked, or it was used twice: with rotating refresh tokens, ' +
        'a reused one makes the server revoke the whole session for safety (reuse detection)',
      tag: 'invalid_grant',
    };
  }
  return { who: server, reason: 'it was revoked, expired or already used', tag: 'invalid_grant' };
}
