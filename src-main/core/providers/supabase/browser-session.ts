import { BROWSER_SESSION_METHOD } from '../../../contract/providers.js';
import { TokenDeskError } from '../../errors.js';
import { parseBody, safeServerText } from '../../http/body.js';
import type { FlowIO } from '../../flows/types.js';
import { expiryFromLifetime } from '../lifetime.js';
import type { FlowOutcome, ProviderContext, StoredSession } from '../types.js';
import { mapGoTrueError, parseGoTrueError, supabaseErrorFromResponse } from './errors.js';
import { parsePastedSession, type PastedSession } from './pasted-session.js';
import { profileFromUser } from './profile.js';
import { anonKeyOf, authUrl, headers } from './request.js';
import { userSchema } from './schemas.js';

/**
 * "Import a browser session": adopts the session the web app holds (pasted-session.ts reads what was
 * pasted). The access token's issuer must be this environment's `<baseUrl>/auth/v1`; the server then
 * says whether it still takes it (`GET /auth/v1/user`, ../shared/docs/supabase-auth-api.md §3.2). An access token
 * that has expired (on our clock, within a minute, or on the server's) is refreshed first and the
 * refreshed session adopted.
 * From then on it is a session like a password sign-in's: it has a refresh token, and the kind's
 * renewal is its refresh grant.
 */

/** A token with less left than this is refreshed on import rather than adopted and renewed at once. */
export const REFRESH_FIRST_MS = 60_000;
/** A server Date header further off our clock than this is taken as broken (as session-api/provider.ts does). */
const MAX_TRUSTED_SKEW_MS = 24 * 3600_000;
const AGAIN = 'sign in to the web app again and copy a fresh value';

type Refresh = (ctx: ProviderContext, session: StoredSession) => Promise<StoredSession>;

export function browserSessionFlow(refresh: Refresh) {
  return async (ctx: ProviderContext, io: FlowIO): Promise<FlowOutcome> => {
    const answers = await io.ask({ title: BROWSER_SESSION_METHOD.label, fields: [...BROWSER_SESSION_METHOD.fields], submitLabel: 'Import' });
    const pasted = parsePastedSession(answers.token ?? '');
    const verified = assertIssuer(pasted.claims, ctx.baseUrl);
    const session = await adopt(ctx, pasted, refresh, verified);
    return { session, typed: session.profile.email };
  };
}

/** The issuer GoTrue writes for this environment (`GOTRUE_JWT_ISSUER`; hosted: https://<ref>.supabase.co/auth/v1, §6). */
export function expectedIssuer(baseUrl: string): string {
  return authUrl(baseUrl, '');
}

function normalIssuer(iss: string): string | undefined {
  try {
    const u = new URL(iss.trim());
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return undefined;
  }
}

/** `https://<ref>.supabase.co/auth/v1`: the issuer of a hosted project. */
const HOSTED_ISSUER = /^https:\/\/[a-z0-9-]+\.supabase\.co\/auth\/v1$/;
const HOSTED_HOST = /(^|\.)supabase\.co$/i;

/**
 * Refuses a token of another project before anything is sent: its refresh token would otherwise go
 * to this project's server. Left to the server (which refuses a token its project did not sign):
 * a token without `iss` (a self-hosted GoTrue without GOTRUE_JWT_ISSUER writes none), and a hosted
 * project's issuer when this environment's URL is a custom domain, since a hosted project keeps
 * `https://<ref>.supabase.co/auth/v1` as its issuer behind one (supabase/auth#2486). True when the
 * issuer is this environment's own; false when it was left to the server.
 */
export function assertIssuer(claims: Record<string, unknown>, baseUrl: string): boolean {
  const iss = claims.iss;
  if (iss === undefined) return false;
  const expected = expectedIssuer(baseUrl);
  const given = typeof iss === 'string' ? normalIssuer(iss) : undefined;
  if (given !== undefined && given === normalIssuer(expected)) return true;
  if (given !== undefined && HOSTED_ISSUER.test(given) && !HOSTED_HOST.test(new URL(expected).hostname)) return false;
  const shown = typeof iss === 'string' ? (safeServerText(iss) ?? '(empty)') : `(not a text: ${typeof iss})`;
  throw new TokenDeskError('invalid_input', `This session belongs to another project (issuer ${shown}); this environment's issuer is ${expected}`);
}

async function adopt(ctx: ProviderContext, pasted: PastedSession, refresh: Refresh, issuerVerified: boolean): Promise<StoredSession> {
  const exp = typeof pasted.claims.exp === 'number' && Number.isFinite(pasted.claims.exp) ? pasted.claims.exp * 1000 : undefined;
  // Refreshed at once only when the token is this environment's by its issuer; otherwise the server is
  // asked first, so a refresh token of another project is never the first thing sent here (its
  // "token is expired" comes after GoTrue checked the signature: the token is then this project's).
  if (issuerVerified && exp !== undefined && exp - ctx.now() < REFRESH_FIRST_MS) return refreshFirst(ctx, pasted, refresh);

  const res = await ctx.http.request({ method: 'GET', url: authUrl(ctx.baseUrl, '/user'), headers: headers(ctx, pasted.accessToken) });
  const receivedAt = ctx.now();
  const secrets = [pasted.accessToken, pasted.refreshToken, anonKeyOf(ctx)];
  if (res.status < 200 || res.status >= 300) {
    if (res.json === undefined) throw supabaseErrorFromResponse('profile', res, secrets);
    const e = parseGoTrueError(res.status, res.headers, res.json);
    // Only this access token was refused (expired on the server's clock, a bad signature): the
    // session may live on, and its refresh token says so.
    const jwtRefused = !e.gateway && (e.code === 'bad_jwt' || (!e.code && (res.status === 401 || res.status === 403)));
    // Expired on the server's clock (GoTrue: "invalid JWT: … token is expired"): the session may live
    // on, and its refresh token says so. Any other refusal of the JWT (a signature this project did
    // not make) is said as it is: the refresh token is not sent on.
    if (jwtRefused && /expired/i.test(e.message ?? '')) return refreshFirst(ctx, pasted, refresh);
    if (jwtRefused) {
      const said = safeServerText(e.message, secrets);
      throw new TokenDeskError('session_expired', `The server refused this session's access token${said ? ` (${said})` : ''}: is it from this project? ${capital(AGAIN)}`, {
        ...(e.code && { serverCode: e.code }),
        status: res.status,
      });
    }
    throw refusal(e.code, mapGoTrueError('profile', e, secrets));
  }
  const user = parseBody(res, userSchema, 'the session check');
  // The server answers for the token's own user; anything else is a mix-up, not an acceptance.
  if (user.id !== pasted.claims.sub) {
    throw new TokenDeskError('bad_response', 'The server answered the session check with another user; nothing was stored', { status: res.status });
  }
  if (exp === undefined) throw new TokenDeskError('invalid_input', 'The access token has no expiry (exp claim): it is not a Supabase Auth access token');
  // exp is on the server's clock: measured against its Date header, re-anchored at our receipt.
  const serverNow = res.serverDate !== undefined && Math.abs(res.serverDate - receivedAt) <= MAX_TRUSTED_SKEW_MS ? res.serverDate : receivedAt;
  return {
    provider: 'supabase',
    accessToken: pasted.accessToken,
    refreshToken: pasted.refreshToken,
    obtainedAt: receivedAt,
    expiresAt: expiryFromLifetime(receivedAt, exp - serverNow, 'exp of the access token', res.status),
    profile: profileFromUser(user, pasted.accessToken),
  };
}

/** The refresh grant with the pasted refresh token; the answer (new tokens, the user) is what is adopted. */
async function refreshFirst(ctx: ProviderContext, pasted: PastedSession, refresh: Refresh): Promise<StoredSession> {
  const now = ctx.now();
  const stub: StoredSession = {
    provider: 'supabase',
    accessToken: pasted.accessToken,
    refreshToken: pasted.refreshToken,
    obtainedAt: now,
    expiresAt: now,
    // The token's user: refresh() refuses an answer for anyone else.
    profile: { userId: String(pasted.claims.sub), email: '', accounts: [], roles: [], permissions: [], permissionsFromRoles: [] },
  };
  try {
    return await refresh(ctx, stub);
  } catch (e) {
    if (e instanceof TokenDeskError && e.code === 'refresh_rejected') {
      throw new TokenDeskError('refresh_rejected', `The access token has expired and its refresh token was refused: ${lower(e.message)}; ${AGAIN}`, {
        ...(e.serverCode && { serverCode: e.serverCode }),
        ...(e.status !== undefined && { status: e.status }),
      });
    }
    throw e;
  }
}

/** GoTrue's refusals of `/user` (§3.1), said as what they mean for an import. */
function refusal(code: string | undefined, mapped: TokenDeskError): TokenDeskError {
  const opts = { ...(code && { serverCode: code }), ...(mapped.status !== undefined && { status: mapped.status }) };
  switch (code) {
    case 'session_not_found':
      return new TokenDeskError('session_expired', `The server no longer knows this session (it was signed out or revoked): ${AGAIN}`, opts);
    case 'user_not_found':
      return new TokenDeskError('session_expired', 'The user of this session no longer exists on the server', opts);
    default:
      return mapped;
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lower(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
