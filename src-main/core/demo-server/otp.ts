import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AuthError } from './auth-errors.js';
import { parseChallengeMethod, validatePkceParams } from './flow-state.js';
import { sendEmail, sendSms } from './gotrue-mail.js';
import { newUser, requestReferrer } from './signup.js';
import {
  checkCaptcha,
  findByEmail,
  findByPhone,
  isBanned,
  issueSession,
  nowIso,
  parseBody,
  tokenHash,
  validateEmail,
  validatePhone,
  type JsonReply,
  type SupabaseContext,
} from './supabase-auth.js';
import type { SupabaseUser } from './users.js';

const otpBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  create_user: z.boolean().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  channel: z.string().nullish(),
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish(),
  gotrue_meta_security: z.object({ captcha_token: z.string().nullish() }).nullish(),
});

const verifyBody = z.object({
  type: z.string().nullish(),
  token: z.string().nullish(),
  token_hash: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  redirect_to: z.string().nullish(),
});

/** The temporary password /otp signs new users up with (`crypto.GeneratePassword`). */
function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * POST /otp (otp.go `Otp`, then `MagicLink` or `SmsOtp`): captcha, parameter checks, create_user,
 * then a magic link / email code, or a text. An unknown or unconfirmed address is signed up first,
 * so its message is the sign-up confirmation (or, with autoconfirm, a sign-in code right after).
 */
export async function otp(ctx: SupabaseContext, req: IncomingMessage, url: URL): Promise<JsonReply> {
  const body = await parseBody(req, otpBody);
  checkCaptcha(ctx, body.gotrue_meta_security?.captcha_token);
  const email = body.email ?? '';
  const phone = body.phone ?? '';
  const challenge = body.code_challenge ?? '';
  const method = body.code_challenge_method ?? '';
  if (email && phone) throw new AuthError(400, 'validation_failed', 'Only an email address or phone number should be provided');
  if (email && body.channel) throw new AuthError(400, 'validation_failed', 'Channel should only be specified with Phone OTP');
  validatePkceParams(method, challenge);
  if (body.create_user === false) {
    const found = email ? findByEmail(ctx, validateEmail(email)) : phone ? findByPhone(ctx, validatePhone(phone)) : undefined;
    if ((email || phone) && !found) throw new AuthError(422, 'otp_disabled', 'Signups not allowed for otp');
  }
  const data = body.data ?? {};
  const s = ctx.settings;
  if (email) {
    if (!s.emailProvider) throw new AuthError(422, 'email_provider_disabled', 'Email logins are disabled');
    if (!s.magicLink) throw new AuthError(422, 'email_provider_disabled', 'Login with magic link is disabled');
    const address = validateEmail(email);
    const redirectTo = requestReferrer(ctx, req, url);
    let user = findByEmail(ctx, address);
    if (!user || !user.emailConfirmedAt) {
      // Signup with a random password: an unconfirmed user is left as is and gets the confirmation again.
      user ??= newUser(ctx, { email: address, password: randomPassword(), data });
      if (s.emailConfirmation) {
        if (challenge) flowFor(ctx, user, 'email/signup', 'email', method, challenge, redirectTo);
        sendEmail(ctx, user, 'signup', challenge !== '', redirectTo);
        return { status: 200, body: {} };
      }
      user.emailConfirmedAt = nowIso(ctx);
    }
    if (challenge) flowFor(ctx, user, 'magiclink', 'magiclink', method, challenge, redirectTo);
    sendEmail(ctx, user, 'magiclink', challenge !== '', redirectTo);
    return { status: 200, body: {} };
  }
  if (phone) {
    if (!s.phoneProvider) throw new AuthError(400, 'phone_provider_disabled', 'Unsupported phone provider');
    const number = validatePhone(phone);
    const channel = body.channel || 'sms';
    if (channel !== 'sms' && channel !== 'whatsapp') {
      throw new AuthError(400, 'validation_failed', 'Invalid channel, supported values are \'sms\' or \'whatsapp\'');
    }
    let user = findByPhone(ctx, number);
    if (!user || !user.phoneConfirmedAt) {
      user ??= newUser(ctx, { phone: number, password: randomPassword(), data });
      if (s.phoneConfirmation) {
        sendSms(ctx, user);
        return { status: 200, body: {} };
      }
      user.phoneConfirmedAt = nowIso(ctx);
    }
    return { status: 200, body: { message_id: sendSms(ctx, user) } };
  }
  throw new AuthError(400, 'validation_failed', 'One of email or phone must be set');
}

function flowFor(ctx: SupabaseContext, user: SupabaseUser, authMethod: string, providerType: string, method: string, challenge: string, referrer: string): void {
  ctx.flows.create({
    providerType,
    authMethod,
    codeChallenge: challenge,
    codeChallengeMethod: parseChallengeMethod(method) ?? 's256',
    userId: user.id,
    referrer,
  });
}

type VerifyType = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email' | 'sms' | 'email_change' | 'phone_change';

/** `isOtpExpired`. */
function expired(sentAtIso: string | undefined, expSeconds: number, nowMs: number): boolean {
  return sentAtIso === undefined || nowMs > Date.parse(sentAtIso) + expSeconds * 1000;
}

/** `isOtpValid`: not expired, and the stored hash equals the given one (or its 'pkce_' form). */
function valid(given: string, stored: string | undefined, sentAt: string | undefined, expSeconds: number, nowMs: number): boolean {
  if (!stored || sentAt === undefined) return false;
  return !expired(sentAt, expSeconds, nowMs) && (given === stored || `pkce_${given}` === stored);
}

/** `verifyUserAndToken` (a typed code): the user by address, then the hash by type. Returns the resolved type. */
function verifyCode(ctx: SupabaseContext, type: VerifyType, hash: string, email: string, phone: string): { user: SupabaseUser; type: VerifyType } {
  const invalid = new AuthError(403, 'otp_expired', 'Token has expired or is invalid');
  const user = type === 'sms' || type === 'phone_change' ? findByPhone(ctx, phone) : findByEmail(ctx, email);
  if (!user) throw invalid;
  if (isBanned(ctx, user)) throw new AuthError(403, 'user_banned', 'User is banned');
  const s = ctx.settings;
  const now = ctx.now();
  const confirm = valid(hash, user.confirmationToken, user.confirmationSentAt, s.emailOtpExpSeconds, now);
  const recover = valid(hash, user.recoveryToken, user.recoverySentAt, s.emailOtpExpSeconds, now);
  if (type === 'email') {
    if (confirm) return { user, type: 'signup' };
    if (recover) return { user, type: 'magiclink' };
    throw invalid;
  }
  if ((type === 'signup' || type === 'invite') && confirm) return { user, type };
  if ((type === 'magiclink' || type === 'recovery') && recover) return { user, type };
  if (type === 'sms' && valid(hash, user.confirmationToken, user.confirmationSentAt, s.smsOtpExpSeconds, now)) return { user, type };
  throw invalid;
}

/** `verifyTokenHash` (a link's token_hash): the user by stored hash, then expiry by type. */
function verifyHash(ctx: SupabaseContext, type: VerifyType, hash: string): { user: SupabaseUser; type: VerifyType } {
  const invalidLink = new AuthError(403, 'otp_expired', 'Email link is invalid or has expired');
  let user: SupabaseUser | undefined;
  if (type === 'email') user = ctx.users.find((u) => u.confirmationToken === hash || u.recoveryToken === hash);
  else if (type === 'signup' || type === 'invite') user = ctx.users.find((u) => u.confirmationToken === hash);
  else if (type === 'magiclink' || type === 'recovery') user = ctx.users.find((u) => u.recoveryToken === hash);
  else throw new AuthError(400, 'validation_failed', 'Invalid email verification type');
  if (!user) throw invalidLink;
  if (isBanned(ctx, user)) throw new AuthError(403, 'user_banned', 'User is banned');
  let resolved = type;
  let sentAt = type === 'magiclink' || type === 'recovery' ? user.recoverySentAt : user.confirmationSentAt;
  if (type === 'email') {
    resolved = user.recoveryToken === hash ? 'magiclink' : 'signup';
    sentAt = resolved === 'magiclink' ? user.recoverySentAt : user.confirmationSentAt;
  }
  if (expired(sentAt, ctx.settings.emailOtpExpSeconds, ctx.now())) throw invalidLink;
  return { user, type: resolved };
}

/** `signupVerify` / `recoverVerify` / `smsVerify`: confirm, and spend the code. */
function applyVerification(ctx: SupabaseContext, user: SupabaseUser, type: VerifyType): void {
  const now = nowIso(ctx);
  if (type === 'signup' || type === 'invite') {
    user.confirmationToken = undefined;
    user.emailConfirmedAt ??= now;
  } else if (type === 'magiclink' || type === 'recovery') {
    user.recoveryToken = undefined;
    user.emailConfirmedAt ??= now;
  } else if (type === 'sms') {
    user.confirmationToken = undefined;
    user.phoneConfirmedAt ??= now;
  } else {
    throw new AuthError(400, 'validation_failed', 'Unsupported verification type');
  }
}

const VERIFY_TYPES = new Set<string>(['signup', 'invite', 'magiclink', 'recovery', 'email', 'sms', 'email_change', 'phone_change']);

/** POST /verify (verify.go `verifyPost`): a typed code or a token_hash → a session (AMR `otp`). */
export async function verifyPost(ctx: SupabaseContext, req: IncomingMessage): Promise<JsonReply> {
  const p = await parseBody(req, verifyBody);
  const type = p.type ?? '';
  const token = p.token ?? '';
  const hashGiven = p.token_hash ?? '';
  const email = p.email ?? '';
  const phone = p.phone ?? '';
  if (type === '') throw new AuthError(400, 'validation_failed', 'Verify requires a verification type');
  if ((token === '' && hashGiven === '') || (token !== '' && hashGiven !== '')) {
    throw new AuthError(400, 'validation_failed', 'Verify requires either a token or a token hash');
  }
  let found: { user: SupabaseUser; type: VerifyType };
  if (token !== '') {
    let hash: string;
    let address: { email: string; phone: string };
    if (phone !== '' && email === '') {
      address = { email: '', phone: validatePhone(phone) };
      hash = tokenHash(address.phone, token);
    } else if (email !== '' && phone === '') {
      let normalized: string;
      try {
        normalized = validateEmail(email);
      } catch {
        throw new AuthError(422, 'validation_failed', 'Invalid email format');
      }
      address = { email: normalized, phone: '' };
      hash = tokenHash(normalized, token);
    } else {
      throw new AuthError(400, 'validation_failed', 'Only an email address or phone number should be provided on verify');
    }
    if (!VERIFY_TYPES.has(type)) throw new AuthError(403, 'otp_expired', 'Token has expired or is invalid');
    found = verifyCode(ctx, type as VerifyType, hash, address.email, address.phone);
  } else {
    if (email || phone || p.redirect_to) throw new AuthError(400, 'validation_failed', 'Only the token_hash and type should be provided');
    if (!VERIFY_TYPES.has(type)) throw new AuthError(400, 'validation_failed', 'Invalid email verification type');
    found = verifyHash(ctx, type as VerifyType, hashGiven);
  }
  applyVerification(ctx, found.user, found.type);
  return issueSession(ctx, found.user, 'otp');
}

/** `oauthErrorMap`. */
const OAUTH_ERROR: Record<number, string> = { 400: 'invalid_request', 401: 'unauthorized_client', 403: 'access_denied', 500: 'server_error', 503: 'temporarily_unavailable' };

/** `prepErrorRedirectURL`: the error in the fragment (and in the query for PKCE), plus `sb`. */
export function errorRedirect(target: string, err: AuthError, pkce: boolean): string {
  const u = new URL(target);
  const fields: Array<[string, string]> = [];
  const oauth = OAUTH_ERROR[err.status];
  if (oauth) fields.push(['error', oauth]);
  fields.push(['error_code', err.code], ['error_description', err.message]);
  if (pkce) for (const [k, v] of fields) u.searchParams.set(k, v);
  const hq = new URLSearchParams(fields);
  hq.set('sb', '');
  u.hash = hq.toString();
  return u.toString();
}

/** `AsRedirectURL`: the implicit flow's session in the fragment. */
function sessionRedirect(target: string, session: Record<string, unknown>, type: string): string {
  const u = new URL(target);
  const q = new URLSearchParams();
  for (const k of ['access_token', 'token_type', 'expires_in', 'expires_at', 'refresh_token']) q.set(k, String(session[k]));
  q.set('type', type);
  u.hash = q.toString();
  return u.toString();
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { Location: location });
  res.end();
}

/** The AMR / flow-state method for an emailed link's type (`ParseAuthenticationMethod`). */
function authMethodOf(type: string): string {
  return type === 'signup' || type === 'invite' ? 'email/signup' : type;
}

/**
 * GET /verify?token=…&type=…&redirect_to=… (verify.go `verifyGet`), the link in an email: a 303
 * to redirect_to with the session in the fragment (implicit) or `?code=` (PKCE), or with the error.
 * Parameter errors are answered as JSON, like GoTrue does before it has a redirect target.
 */
export function verifyGet(ctx: SupabaseContext, req: IncomingMessage, res: ServerResponse, url: URL): JsonReply | undefined {
  const token = url.searchParams.get('token') ?? '';
  const type = url.searchParams.get('type') ?? '';
  const target = requestReferrer(ctx, req, url);
  if (type === '') throw new AuthError(400, 'validation_failed', 'Verify requires a verification type');
  if (token === '') throw new AuthError(400, 'validation_failed', 'Verify requires a token or a token hash');
  const pkce = token.startsWith('pkce_');
  try {
    if (!['signup', 'invite', 'magiclink', 'recovery', 'email'].includes(type)) {
      throw new AuthError(400, 'validation_failed', 'Unsupported verification type');
    }
    const found = verifyHash(ctx, type as VerifyType, token);
    if (pkce) {
      const flow = ctx.flows.latestForUser(found.user.id, authMethodOf(found.type));
      if (!flow) throw new AuthError(400, 'flow_state_not_found', 'No associated flow state found. No valid flow state found for user.');
      applyVerification(ctx, found.user, found.type);
      flow.authCodeIssuedAt = ctx.now();
      const u = new URL(target);
      u.searchParams.set('code', flow.authCode);
      redirect(res, u.toString());
      return undefined;
    }
    applyVerification(ctx, found.user, found.type);
    const reply = issueSession(ctx, found.user, 'otp');
    redirect(res, sessionRedirect(target, reply.body as Record<string, unknown>, type));
    return undefined;
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    redirect(res, errorRedirect(target, err, pkce));
    return undefined;
  }
}
