import type { FlowCopyable } from '../../../contract/flows.js';
import { TokenDeskError } from '../../errors.js';
import { mapGoTrueError } from './errors.js';
import { grant, type Granted } from './session.js';
import type { ProviderContext } from '../types.js';

/**
 * What the social sign-in and the email link share: the browser comes back to TokenDesk's loopback
 * listener (core/flows/loopback.ts) with `?code=`, which TokenDesk exchanges with the PKCE verifier it
 * kept (`POST /token?grant_type=pkce`), so the sign-in completes whatever browser the user finishes
 * in. GoTrue sends the browser to `redirect_to` only when the project allows that URL; otherwise it
 * goes to the project's Site URL (utilities.GetReferrer), and the sign-in can only say so beforehand.
 */

/** The project's Redirect URLs entry that lets every TokenDesk listener in: any port on 127.0.0.1 (GoTrue globs: `*` stops at . and /). */
export const REDIRECT_ALLOW_PATTERN = 'http://127.0.0.1:*/callback';

export const REDIRECT_COPY: FlowCopyable = { label: 'Redirect URL to allow in the Supabase project', value: REDIRECT_ALLOW_PATTERN };

/** Said while waiting: where the browser should come back, and what it means when it does not. */
export function notAllowedHint(redirectUri: string): string {
  return (
    `Waiting for the browser to come back to ${redirectUri}. If it lands on your app's site instead, the project does not allow this ` +
    `redirect URL: add ${REDIRECT_ALLOW_PATTERN} under Authentication → URL Configuration → Redirect URLs, then start again.`
  );
}

/**
 * The authorization code the browser brought back, or GoTrue's refusal said as one (it redirects with
 * `error`, `error_code` and `error_description` in the query: an expired link, a provider's denial).
 */
export function codeFromCallback(back: URL, what: 'link' | 'provider'): string {
  const q = back.searchParams;
  const code = q.get('code');
  if (code && /^[\w.~-]{1,512}$/.test(code)) return code;
  const serverCode = q.get('error_code') ?? undefined;
  const oauthError = q.get('error') ?? undefined;
  const message = q.get('error_description') ?? undefined;
  if (serverCode === 'otp_expired' && what === 'link') {
    throw new TokenDeskError('invalid_credentials', 'The sign-in link has expired or was already used: start again for a new one', { serverCode });
  }
  if (oauthError === 'access_denied' && !serverCode) {
    throw new TokenDeskError('invalid_credentials', 'The sign-in was denied at the provider: nothing was stored', { serverCode: oauthError });
  }
  if (serverCode || oauthError || message) {
    throw mapGoTrueError('sign-in', { status: 400, ...(serverCode && { code: serverCode }), ...(oauthError && { oauthError }), ...(message && { message }) });
  }
  throw new TokenDeskError('bad_response', 'The browser came back without a sign-in code: start again', {});
}

/** `POST /token?grant_type=pkce` with the code and the verifier TokenDesk kept (§1.1: grant `pkce`). */
export function exchangeCode(ctx: ProviderContext, code: string, verifier: string): Promise<Granted> {
  return grant(ctx, '/token?grant_type=pkce', { auth_code: code, code_verifier: verifier }, [code, verifier]);
}
