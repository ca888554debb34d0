import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { AuthError, OAuthError } from './auth-errors.js';
import type { FlowStore } from './flow-state.js';
import type { GoTrueSettings, HookFault } from './gotrue-settings.js';
import { BodyError, bearerToken, header, readJson } from './http-util.js';
import { DEMO_JWT_KID, signHs256, verifyHs256, type JwtClaims } from './jwt.js';
import type { Mailbox } from './mailbox.js';
import type { AuthSession, RefreshStore } from './refresh-store.js';
import { userJson, type SupabaseUser } from './users.js';

/** Shared state of the Supabase half of one server instance. */
export interface SupabaseContext {
  users: SupabaseUser[];
  store: RefreshStore;
  /** Server time in ms, skew included. */
  now: () => number;
  accessTokenTtlSeconds: number;
  settings: GoTrueSettings;
  /** The server's own origin, e.g. http://127.0.0.1:54321. */
  baseUrl: () => string;
  issuer: () => string;
  mailbox: Mailbox;
  flows: FlowStore;
  stats: { passwordGrants: number; refreshGrants: number; logouts: number };
  /** Delay between doing the work and answering: the server has acted even if the client is gone by then. */
  answerDelayMs?: number;
}

export interface JsonReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** badoux/checkmail's ValidateFormat pattern, which GoTrue's validateEmail uses. */
const EMAIL_RE =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const E164 = /^[1-9][0-9]{1,14}$/;
/** bcrypt's limit (`MaxPasswordLength`). */
const MAX_PASSWORD_LENGTH = 72;

/** GoTrue decodes into typed structs, so a wrong JSON type is a bad_json error too; unknown keys are ignored. */
const security = z.object({ captcha_token: z.string().nullish() }).nullish();
const credentialsBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  gotrue_meta_security: security,
});
const refreshBody = z.object({ refresh_token: z.string().nullish() });

/** The request body, read once: GoTrue's middlewares and handler each decode the same buffered body. */
const bodies = new WeakMap<IncomingMessage, Promise<unknown>>();

export async function parseBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  let pending = bodies.get(req);
  if (!pending) {
    pending = readJson(req);
    bodies.set(req, pending);
  }
  let raw: unknown;
  try {
    raw = await pending;
  } catch (err) {
    if (err instanceof BodyError && err.kind === 'too_large') {
      throw new AuthError(413, 'request_entity_too_large', 'Request body too large');
    }
    throw new AuthError(400, 'bad_json', (err as Error).message);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AuthError(400, 'bad_json', `Could not parse request body as JSON: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Plays GoTrue v2.158 for this request: the server setting, or `X-Demo-Legacy-Errors: 1`. */
export function isLegacy(ctx: SupabaseContext, req: IncomingMessage): boolean {
  return ctx.settings.legacyErrors || header(req, 'x-demo-legacy-errors') === '1';
}

export function findByEmail(ctx: SupabaseContext, email: string): SupabaseUser | undefined {
  const e = email.trim().toLowerCase();
  return e === '' ? undefined : ctx.users.find((u) => u.email === e);
}

export function findByPhone(ctx: SupabaseContext, phone: string): SupabaseUser | undefined {
  return phone === '' ? undefined : ctx.users.find((u) => u.phone === phone);
}

export function isBanned(ctx: SupabaseContext, u: SupabaseUser): boolean {
  return u.bannedUntil !== undefined && Date.parse(u.bannedUntil) > ctx.now();
}

export function nowIso(ctx: SupabaseContext): string {
  return new Date(ctx.now()).toISOString();
}

/** `validateEmail`. */
export function validateEmail(email: string): string {
  if (email === '') throw new AuthError(400, 'validation_failed', 'An email address is required');
  if (email.length > 255) throw new AuthError(400, 'validation_failed', 'An email address is too long');
  if (!EMAIL_RE.test(email)) throw new AuthError(400, 'validation_failed', 'Unable to validate email address: invalid format');
  return email.toLowerCase();
}

/** `validatePhone`: '+' and spaces removed, then E.164. */
export function validatePhone(phone: string): string {
  const p = formatPhone(phone);
  if (!E164.test(p)) throw new AuthError(400, 'validation_failed', 'Invalid phone number format (E.164 required)');
  return p;
}

export function formatPhone(phone: string): string {
  return phone.replace(/^\+/, '').replaceAll(' ', '');
}

/** `checkPasswordStrength` with the default policy (a minimum length, no character classes). */
export function weakPassword(ctx: SupabaseContext, password: string): { message: string; reasons: string[] } | undefined {
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new AuthError(400, 'validation_failed', `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
  const min = ctx.settings.passwordMinLength;
  return password.length < min ? { message: `Password should be at least ${min} characters.`, reasons: ['length'] } : undefined;
}

/** `crypto.GenerateTokenHash`: hex SHA-224 of the address and the code. */
export function tokenHash(address: string, otp: string): string {
  return createHash('sha224').update(address + otp).digest('hex');
}

/** `verifyCaptcha`: only a missing token can be judged here (the demo has no captcha vendor). */
export function checkCaptcha(ctx: SupabaseContext, token: string | null | undefined): void {
  if (ctx.settings.captcha && (token ?? '').trim() === '') {
    throw new AuthError(400, 'captcha_failed', 'captcha protection: request disallowed (no captcha_token found)');
  }
}

/** What GoTrue answers when the custom-access-token hook fails (hookshttp.go, hookserrors.go). */
export function hookError(fault: HookFault): AuthError {
  if (fault === 'hook_timeout') return new AuthError(422, fault, 'Failed to reach hook within maximum time of 5.000000 seconds');
  if (fault === 'hook_timeout_after_retry') return new AuthError(422, fault, 'Failed to reach hook after maximum retries');
  if (fault === 'hook_payload_invalid_content_type') {
    return new AuthError(400, fault, 'Invalid JSON response. Received content-type: text/html; charset=utf-8');
  }
  if (fault === 'hook_payload_over_size_limit') return new AuthError(422, fault, 'Payload size exceeded size limit of 204800 bytes');
  // An HTTPError with no code: `unknown`, or `unexpected_failure` for a 500.
  const status = fault.reject.httpCode || 500;
  return new AuthError(status, status === 500 ? 'unexpected_failure' : 'unknown', fault.reject.message);
}

/** The custom-access-token hook runs before any token is minted; its failure leaves nothing changed. */
export function runAccessTokenHook(ctx: SupabaseContext): void {
  if (ctx.settings.hookFault) throw hookError(ctx.settings.hookFault);
}

/** The access token of spec §6; aal and amr come from the session, newest claim first. */
function accessToken(ctx: SupabaseContext, u: SupabaseUser, session: AuthSession, iat: number): string {
  const claims: JwtClaims = {
    iss: ctx.issuer(),
    sub: u.id,
    aud: 'authenticated',
    exp: iat + ctx.accessTokenTtlSeconds,
    iat,
    email: u.email,
    phone: u.phone,
    app_metadata: u.appMetadata,
    user_metadata: u.userMetadata,
    role: 'authenticated',
    aal: session.aal,
    amr: [...session.amr].sort((a, b) => b.timestamp - a.timestamp),
    session_id: session.id,
    is_anonymous: false,
  };
  return signHs256(claims, DEMO_JWT_KID);
}

/** `AccessTokenResponse` (§1.2) plus the sb-auth-* headers GoTrue sets. */
export function sessionReply(
  ctx: SupabaseContext,
  u: SupabaseUser,
  session: AuthSession,
  refreshToken: string,
  extra: Record<string, unknown> = {},
): JsonReply {
  const iat = Math.floor(ctx.now() / 1000);
  const expiresAt = iat + ctx.accessTokenTtlSeconds;
  return {
    status: 200,
    body: {
      access_token: accessToken(ctx, u, session, iat),
      token_type: 'bearer',
      expires_in: ctx.accessTokenTtlSeconds,
      expires_at: expiresAt,
      refresh_token: refreshToken,
      user: userJson(u),
      ...extra,
    },
    headers: { 'sb-auth-user-id': u.id, 'sb-auth-session-id': session.id, 'sb-auth-refresh-token-prefix': refreshToken.slice(0, 5) },
  };
}

/** `IssueRefreshToken`: a new session signed in by `method` (an AMR method name). */
export function issueSession(ctx: SupabaseContext, user: SupabaseUser, method: string, extra: Record<string, unknown> = {}): JsonReply {
  runAccessTokenHook(ctx);
  user.lastSignInAt = nowIso(ctx);
  const { session, refreshToken } = ctx.store.createSession(user.id, method);
  return sessionReply(ctx, user, session, refreshToken, extra);
}

/** POST /token: grant_type comes from the query string and is dispatched before the body is read. */
export async function tokenGrant(ctx: SupabaseContext, req: IncomingMessage, url: URL, pkceGrant: () => Promise<JsonReply>): Promise<JsonReply> {
  const grant = url.searchParams.get('grant_type');
  const legacy = isLegacy(ctx, req);
  if (grant === 'password') {
    ctx.stats.passwordGrants++;
    const body = await parseBody(req, credentialsBody);
    checkCaptcha(ctx, body.gotrue_meta_security?.captcha_token);
    return passwordGrant(ctx, body, legacy);
  }
  if (grant === 'refresh_token') {
    ctx.stats.refreshGrants++;
    return refreshGrant(ctx, await parseBody(req, refreshBody), legacy);
  }
  if (grant === 'pkce') return pkceGrant();
  // id_token / web3 exist upstream but are out of the demo's scope; they fail the same way.
  if (legacy) throw new OAuthError('unsupported_grant_type', '');
  throw new AuthError(400, 'invalid_credentials', 'unsupported_grant_type');
}

/**
 * §1.2, checks in source order: the ban check precedes the password, confirmation follows it.
 * Legacy (≤ v2.158): the credential failures are OAuthErrors and a ban reads as bad credentials.
 */
function passwordGrant(ctx: SupabaseContext, body: z.infer<typeof credentialsBody>, legacy: boolean): JsonReply {
  const email = body.email ?? '';
  const phone = body.phone ?? '';
  const fail = (code: string, msg: string): Error => (legacy ? new OAuthError('invalid_grant', msg) : new AuthError(400, code, msg));
  const invalid = (): Error => fail('invalid_credentials', 'Invalid login credentials');
  if (email && phone) throw new AuthError(400, 'validation_failed', 'Only an email address or phone number should be provided on login.');
  let user: SupabaseUser | undefined;
  if (email) {
    if (!ctx.settings.emailProvider) throw new AuthError(422, 'email_provider_disabled', 'Email logins are disabled');
    user = findByEmail(ctx, email);
  } else if (phone) {
    if (!ctx.settings.phoneProvider) throw new AuthError(422, 'phone_provider_disabled', 'Phone logins are disabled');
    user = findByPhone(ctx, formatPhone(phone));
  } else {
    throw legacy ? invalid() : new AuthError(400, 'validation_failed', 'missing email or phone');
  }
  if (!user || user.password === '') throw invalid();
  if (isBanned(ctx, user)) throw legacy ? invalid() : new AuthError(400, 'user_banned', 'User is banned');
  if ((body.password ?? '') !== user.password) throw invalid();
  let weak: { message: string; reasons: string[] } | undefined;
  try {
    weak = weakPassword(ctx, user.password);
  } catch {
    weak = undefined; // GoTrue logs a failed strength check on sign-in and goes on.
  }
  if (email && !user.emailConfirmedAt) throw fail('email_not_confirmed', 'Email not confirmed');
  if (phone && !user.phoneConfirmedAt) throw fail('phone_not_confirmed', 'Phone not confirmed');
  return issueSession(ctx, user, 'password', weak ? { weak_password: weak } : {});
}

/** §1.3: pre-validation (v2.181+; absent in legacy mode), then the legacy rotation rules of §5.1. */
function refreshGrant(ctx: SupabaseContext, body: z.infer<typeof refreshBody>, legacy: boolean): JsonReply {
  const token = body.refresh_token ?? '';
  const fail = (code: string, msg: string): Error => (legacy ? new OAuthError('invalid_grant', msg) : new AuthError(400, code, msg));
  if (legacy && token === '') throw new OAuthError('invalid_request', 'refresh_token required');
  // Only legacy 12-char tokens are issued here, so anything else cannot parse.
  if (!legacy && !/^[a-z0-9]{12}$/.test(token)) throw new AuthError(400, 'validation_failed', 'Refresh token is not valid');
  const row = ctx.store.peek(token);
  if (!row) throw fail('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
  const owner = ctx.store.getSession(row.sessionId);
  const user = owner ? ctx.users.find((u) => u.id === owner.userId) : undefined;
  if (user && isBanned(ctx, user)) throw fail('user_banned', 'Invalid Refresh Token: User Banned');
  runAccessTokenHook(ctx);
  let rotated: { session: AuthSession; refreshToken: string };
  try {
    rotated = ctx.store.refresh(token);
  } catch (err) {
    if (legacy && err instanceof AuthError) throw new OAuthError('invalid_grant', err.message);
    throw err;
  }
  const { session, refreshToken } = rotated;
  // Seed users are never deleted, so a live session always has its user.
  return sessionReply(ctx, user ?? ctx.users.find((u) => u.id === session.userId)!, session, refreshToken);
}

/** `requireAuthentication` (§3.1), errors in GoTrue's order. */
export function requireUser(ctx: SupabaseContext, req: IncomingMessage): { user: SupabaseUser; sessionId?: string } {
  const token = bearerToken(req);
  if (!token) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
  const verified = verifyHs256(token, Math.floor(ctx.now() / 1000));
  if (!verified.ok) throw new AuthError(403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${verified.reason}`);
  const { sub, session_id: sessionId } = verified.claims;
  if (typeof sub !== 'string' || sub === '') throw new AuthError(403, 'bad_jwt', 'invalid claim: missing sub claim');
  if (!UUID_RE.test(sub)) throw new AuthError(400, 'bad_jwt', 'invalid claim: sub claim must be a UUID');
  const user = ctx.users.find((u) => u.id === sub);
  if (!user) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
  if (typeof sessionId === 'string' && sessionId !== '' && !ctx.store.getSession(sessionId)) {
    throw new AuthError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
  }
  if (isBanned(ctx, user)) throw new AuthError(403, 'user_banned', 'User is banned');
  return typeof sessionId === 'string' && sessionId !== '' ? { user, sessionId } : { user };
}

/** §3.4: auth runs first (middleware), then the scope; a JWT without session_id logs out globally. */
export function logout(ctx: SupabaseContext, req: IncomingMessage, url: URL): void {
  ctx.stats.logouts++;
  const { user, sessionId } = requireUser(ctx, req);
  const scope = url.searchParams.get('scope') ?? '';
  if (!['', 'global', 'local', 'others'].includes(scope)) {
    throw new AuthError(400, 'validation_failed', `Unsupported logout scope ${JSON.stringify(scope)}`);
  }
  if (scope === 'local' && sessionId) ctx.store.deleteSessions(user.id, undefined, sessionId);
  else if (scope === 'others' && sessionId) ctx.store.deleteSessions(user.id, sessionId);
  else ctx.store.deleteSessions(user.id);
}
