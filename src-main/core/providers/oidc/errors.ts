import * as oidc from 'openid-client';
import { providerInfo } from '../../../contract/providers.js';
import { TokenDeskError, type ErrorCode } from '../../errors.js';
import { safeServerText } from '../../http/body.js';
import type { ProviderKind } from '../types.js';
import { refreshRefusalReason } from './refusals.js';

/** The server in messages, named by the kind the user configured ("The OAuth 2.0 server"): both kinds share this code. */
export function serverName(kind: ProviderKind): string {
  return `The ${providerInfo(kind).label} server`;
}

/** The TokenDeskError a request failed with inside openid-client (our HTTP client's transport errors, a cancel). */
function ownCause(e: unknown): TokenDeskError | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof TokenDeskError) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** OAuth error codes (RFC 6749 §5.2, RFC 8628 §3.5) as TokenDesk's. */
const CODES: Record<string, ErrorCode> = {
  invalid_grant: 'refresh_rejected',
  invalid_client: 'invalid_credentials',
  unauthorized_client: 'invalid_credentials',
  access_denied: 'invalid_credentials',
  expired_token: 'flow_timed_out',
  temporarily_unavailable: 'server_error',
  server_error: 'server_error',
};

/**
 * Any failure of an openid-client call as a TokenDeskError saying `what` failed, in the provider's own
 * words (error and error_description, made safe for display, never a token), or ours when the request
 * itself failed; the server is named by the environment's `kind`. `secrets` are cut out of whatever the server said.
 */
export function oidcError(e: unknown, what: string, kind: ProviderKind, secrets: Array<string | undefined> = []): TokenDeskError {
  const server = serverName(kind);
  const own = ownCause(e);
  if (own) return own;
  if (e instanceof oidc.ResponseBodyError || e instanceof oidc.AuthorizationResponseError) {
    const desc = safeServerText(e.error_description, secrets);
    const said = `${safeServerText(e.error, secrets) ?? 'error'}${desc ? `: ${desc}` : ''}`;
    const status = e instanceof oidc.ResponseBodyError ? e.status : undefined;
    const code = CODES[e.error] ?? 'auth_error';
    return new TokenDeskError(code, `${server} refused ${what} (${said})`, {
      serverCode: e.error,
      ...(status !== undefined && { status }),
      ...(status !== undefined && status >= 500 && { retryable: true }),
    });
  }
  if (e instanceof oidc.WWWAuthenticateChallengeError) {
    // A 401 with WWW-Authenticate (RFC 6750 §3, RFC 6749 §5.2 invalid_client): the challenge names the error.
    const params = e.cause[0]?.parameters;
    const error = params?.error ?? 'invalid_client';
    const desc = safeServerText(params?.error_description, secrets);
    return new TokenDeskError(CODES[error] ?? 'auth_error', `${server} refused ${what} (${safeServerText(error, secrets) ?? 'error'}${desc ? `: ${desc}` : ''})`, {
      serverCode: error,
      status: e.status,
    });
  }
  const detail = e instanceof Error ? safeServerText(e.message, secrets) : undefined;
  return new TokenDeskError('bad_response', `${what[0]!.toUpperCase()}${what.slice(1)} failed: ${detail ?? `${server.charAt(0).toLowerCase()}${server.slice(1)} answered something unexpected`}`);
}

/**
 * A failed refresh grant as a TokenDeskError: a refusal of the refresh token (`refresh_rejected`) says
 * why in plain words when the answer or the issuer shows a known cause (refusals.ts); anything else is
 * oidcError's. The caller adds "Sign in again".
 */
export function refreshError(e: unknown, issuer: URL, kind: ProviderKind, secrets: Array<string | undefined> = []): TokenDeskError {
  const err = oidcError(e, 'the refresh token', kind, secrets);
  if (!(e instanceof oidc.ResponseBodyError)) {
    // A refusal without a JSON body (a WWW-Authenticate challenge): the generic cause.
    if (err.code !== 'refresh_rejected') return err;
    return new TokenDeskError('refresh_rejected', `${err.message}: it was revoked, expired or already used`, {
      ...(err.serverCode && { serverCode: err.serverCode }),
      ...(err.status !== undefined && { status: err.status }),
    });
  }
  const known = refreshRefusalReason({ ...e.cause, error: e.error }, issuer, serverName(kind));
  if (!known) return err;
  const desc = safeServerText(e.error_description, secrets);
  // Entra's and Google's codes say it all (Entra's descriptions carry trace ids); a bare refusal keeps the server's words.
  const said = known.tag === 'invalid_grant' ? `${safeServerText(e.error, secrets) ?? 'invalid_grant'}${desc ? `: ${desc}` : ''}` : known.tag;
  return new TokenDeskError('refresh_rejected', `${known.who} refused the refresh token (${said}): ${known.reason}`, {
    serverCode: e.error,
    status: e.status,
  });
}
