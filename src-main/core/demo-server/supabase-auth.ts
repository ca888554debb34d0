import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { AuthError } from './auth-errors.js';
import { BodyError, bearerToken, readJson } from './http-util.js';
import { DEMO_JWT_KID, signHs256, verifyHs256, type JwtClaims } from './jwt.js';
import type { AuthSession, RefreshStore } from './refresh-store.js';
import { userJson, type SupabaseUser } from './users.js';

/** Shared state of the Supabase half of one server instance. */
export interface SupabaseContext {
  users: SupabaseUser[];
  store: RefreshStore;
  /** Server time in ms, skew included. */
  now: () => number;
  accessTokenTtlSeconds: number;
  emailConfirmation: boolean;
  issuer: () => string;
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
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// GoTrue decodes into typed structs, so a wrong JSON type is a bad_json error too; unknown keys are ignored.
const credentialsBody = z.object({ email: z.string().optional(), phone: z.string().optional(), password: z.string().optional() });
const refreshBody = z.object({ refresh_token: z.string().optional() });
const signupBody = credentialsBody.extend({ data: z.record(z.string(), z.unknown()).nullish() });

async function parseBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = await readJson(req);
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

function findByEmail(ctx: SupabaseContext, email: string): SupabaseUser | undefined {
  const e = email.trim().toLowerCase();
  return ctx.users.find((u) => u.email === e);
}

function isBanned(ctx: SupabaseContext, u: SupabaseUser): boolean {
  return u.bannedUntil !== undefined && Date.parse(u.bannedUntil) > ctx.now();
}

/** The access token of spec §6. */
function accessToken(ctx: SupabaseContext, u: SupabaseUser, session: AuthSession, iat: number): string {
  const claims: JwtClaims = {
    iss: ctx.issuer(),
    sub: u.id,
    aud: 'authenticated',
    exp: iat + ctx.accessTokenTtlSeconds,
    iat,
    email: u.email,
    phone: '',
    app_metadata: u.appMetadata,
    user_metadata: u.userMetadata,
    role: 'authenticated',
    aal: 'aal1',
    amr: [{ method: 'password', timestamp: session.signedInAt }],
    session_id: session.id,
    is_anonymous: false,
  };
  return signHs256(claims, DEMO_JWT_KID);
}

/** `AccessTokenResponse` (§1.2) plus the sb-auth-* headers GoTrue sets. */
function sessionReply(ctx: SupabaseContext, u: SupabaseUser, session: AuthSession, refreshToken: string): JsonReply {
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
    },
    headers: { 'sb-auth-user-id': u.id, 'sb-auth-session-id': session.id, 'sb-auth-refresh-token-prefix': refreshToken.slice(0, 5) },
  };
}

/** POST /token: grant_type comes from the query string and is dispatched before the body is read. */
export async function tokenGrant(ctx: SupabaseContext, req: IncomingMessage, url: URL): Promise<JsonReply> {
  const grant = url.searchParams.get('grant_type');
  if (grant === 'password') {
    ctx.stats.passwordGrants++;
    return passwordGrant(ctx, await parseBody(req, credentialsBody));
  }
  if (grant === 'refresh_token') {
    ctx.stats.refreshGrants++;
    return refreshGrant(ctx, await parseBody(req, refreshBody));
  }
  // id_token / pkce / web3 exist upstream but are out of the demo's scope; they fail the same way.
  throw new AuthError(400, 'invalid_credentials', 'unsupported_grant_type');
}

/** §1.2, checks in source order: the ban check precedes the password, confirmation follows it. */
function passwordGrant(ctx: SupabaseContext, body: z.infer<typeof credentialsBody>): JsonReply {
  const { email, phone, password } = body;
  if (email && phone) throw new AuthError(400, 'validation_failed', 'Only an email address or phone number should be provided on login.');
  if (!email && !phone) throw new AuthError(400, 'validation_failed', 'missing email or phone');
  const invalid = new AuthError(400, 'invalid_credentials', 'Invalid login credentials');
  const user = email ? findByEmail(ctx, email) : undefined; // no demo user has a phone
  if (!user) throw invalid;
  if (isBanned(ctx, user)) throw new AuthError(400, 'user_banned', 'User is banned');
  if (password !== user.password) throw invalid;
  if (!user.emailConfirmedAt) throw new AuthError(400, 'email_not_confirmed', 'Email not confirmed');
  user.lastSignInAt = new Date(ctx.now()).toISOString();
  const { session, refreshToken } = ctx.store.createSession(user.id);
  return sessionReply(ctx, user, session, refreshToken);
}

/** §1.3: pre-validation (v2.181+), then the legacy rotation rules of §5.1. */
function refreshGrant(ctx: SupabaseContext, body: z.infer<typeof refreshBody>): JsonReply {
  const token = body.refresh_token ?? '';
  // Only legacy 12-char tokens are issued here, so anything else cannot parse.
  if (!/^[a-z0-9]{12}$/.test(token)) throw new AuthError(400, 'validation_failed', 'Refresh token is not valid');
  const row = ctx.store.peek(token);
  if (!row) throw new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
  const owner = ctx.store.getSession(row.sessionId);
  const user = owner ? ctx.users.find((u) => u.id === owner.userId) : undefined;
  if (user && isBanned(ctx, user)) throw new AuthError(400, 'user_banned', 'Invalid Refresh Token: User Banned');
  const { session, refreshToken } = ctx.store.refresh(token);
  // Seed users are never deleted, so a live session always has its user.
  return sessionReply(ctx, user ?? ctx.users.find((u) => u.id === session.userId)!, session, refreshToken);
}

/** §2: confirmations ON answer the bare user, OFF answer a session. */
export async function signup(ctx: SupabaseContext, req: IncomingMessage): Promise<JsonReply> {
  const body = await parseBody(req, signupBody);
  const data = body.data ?? {};
  if (!body.email && !body.phone) throw new AuthError(422, 'anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
  if (body.email && body.phone) throw new AuthError(400, 'validation_failed', 'Only an email address or phone number should be provided on signup.');
  if (!body.email) throw new AuthError(400, 'phone_provider_disabled', 'Phone signups are disabled');
  if (!body.password) throw new AuthError(400, 'validation_failed', 'Signup requires a valid password');
  if (body.password.length < 6) {
    throw new AuthError(422, 'weak_password', 'Password should be at least 6 characters.', { weak_password: { reasons: ['length'] } });
  }
  const email = body.email.trim().toLowerCase();
  if (!EMAIL_RE.test(email)) throw new AuthError(400, 'email_address_invalid', 'Unable to validate email address: invalid format');
  const nowIso = new Date(ctx.now()).toISOString();

  const existing = findByEmail(ctx, email);
  if (existing) {
    if (!ctx.emailConfirmation) throw new AuthError(422, 'user_already_exists', 'User already registered');
    if (existing.emailConfirmedAt) return { status: 200, body: obfuscatedUser(email, data, nowIso) };
    // Unconfirmed: not updated, the confirmation is just re-sent.
    existing.confirmationSentAt = nowIso;
    return { status: 200, body: userJson(existing) };
  }

  const user: SupabaseUser = {
    id: randomUUID(),
    email,
    password: body.password,
    label: email,
    userMetadata: data,
    appMetadata: { provider: 'email', providers: ['email'] },
    createdAt: nowIso,
    updatedAt: nowIso,
    profileRole: 'member',
  };
  ctx.users.push(user);
  if (ctx.emailConfirmation) {
    user.confirmationSentAt = nowIso;
    return { status: 200, body: userJson(user) };
  }
  user.emailConfirmedAt = nowIso;
  user.lastSignInAt = nowIso;
  const { session, refreshToken } = ctx.store.createSession(user.id);
  return sessionReply(ctx, user, session, refreshToken);
}

/** `sanitizeUser`: a look-alike with a fresh id, so signup does not reveal who is registered. */
function obfuscatedUser(email: string, data: Record<string, unknown>, nowIso: string): Record<string, unknown> {
  return {
    id: randomUUID(),
    aud: 'authenticated',
    role: 'authenticated',
    email,
    phone: '',
    confirmation_sent_at: nowIso,
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: data,
    identities: [],
    created_at: nowIso,
    updated_at: nowIso,
    is_anonymous: false,
  };
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
