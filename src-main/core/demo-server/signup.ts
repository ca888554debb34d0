import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { AuthError } from './auth-errors.js';
import { validatePkceParams } from './flow-state.js';
import { referrer } from './gotrue-settings.js';
import { sendEmail, sendSms } from './gotrue-mail.js';
import {
  checkCaptcha,
  findByEmail,
  findByPhone,
  issueSession,
  nowIso,
  parseBody,
  validateEmail,
  validatePhone,
  weakPassword,
  type JsonReply,
  type SupabaseContext,
} from './supabase-auth.js';
import { DEMO_ORGANIZATION_ID, userJson, type SupabaseUser } from './users.js';

const signupBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  channel: z.string().nullish(),
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish(),
  gotrue_meta_security: z.object({ captcha_token: z.string().nullish() }).nullish(),
});

/** The Site URL GoTrue falls back to when a redirect_to is not allowed. */
export function siteUrl(ctx: SupabaseContext): string {
  return ctx.settings.siteUrl ?? `${ctx.baseUrl()}/demo/site`;
}

/** `GetReferrer` for this request: redirect_to from a header or the query, else Referer, else the Site URL. */
export function requestReferrer(ctx: SupabaseContext, req: IncomingMessage, url: URL): string {
  const fromHeader = req.headers['redirect_to'];
  const asked = (typeof fromHeader === 'string' && fromHeader) || url.searchParams.get('redirect_to');
  return referrer(siteUrl(ctx), ctx.settings.uriAllowList, asked, req.headers.referer);
}

/** A user created by sign-up (or by /otp, which signs up unknown addresses with a random password). */
export function newUser(ctx: SupabaseContext, fields: { email?: string; phone?: string; password: string; data: Record<string, unknown> }): SupabaseUser {
  const now = nowIso(ctx);
  const id = randomUUID();
  const provider = fields.email ? 'email' : 'phone';
  const identityData: Record<string, unknown> = fields.email
    ? { sub: id, email: fields.email, email_verified: false, phone_verified: false }
    : { sub: id, phone: fields.phone, email_verified: false, phone_verified: false };
  for (const [k, v] of Object.entries(fields.data)) if (!(k in identityData)) identityData[k] = v;
  const user: SupabaseUser = {
    id,
    email: fields.email ?? '',
    phone: fields.phone ?? '',
    password: fields.password,
    label: fields.email ?? `+${fields.phone ?? ''}`,
    userMetadata: fields.data,
    appMetadata: { provider, providers: [provider], organization_id: DEMO_ORGANIZATION_ID },
    identities: [{ provider, providerId: id, data: identityData, createdAt: now }],
    factors: [],
    createdAt: now,
    updatedAt: now,
    profileRole: 'member',
  };
  ctx.users.push(user);
  return user;
}

/**
 * §2, in signup.go's order: captcha, anonymous, password (empty, > 72, weak), both addresses, PKCE
 * params, provider switch, address format, then the existing-user rules.
 */
export async function signup(ctx: SupabaseContext, req: IncomingMessage, url: URL): Promise<JsonReply> {
  const body = await parseBody(req, signupBody);
  checkCaptcha(ctx, body.gotrue_meta_security?.captcha_token);
  const data = body.data ?? {};
  const rawEmail = body.email ?? '';
  const rawPhone = body.phone ?? '';
  if (!rawEmail && !rawPhone) throw new AuthError(422, 'anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
  const password = body.password ?? '';
  if (!password) throw new AuthError(400, 'validation_failed', 'Signup requires a valid password');
  const weak = weakPassword(ctx, password);
  if (weak) throw new AuthError(422, 'weak_password', weak.message, { weak_password: { reasons: weak.reasons } });
  if (rawEmail && rawPhone) throw new AuthError(400, 'validation_failed', 'Only an email address or phone number should be provided on signup.');
  const challenge = body.code_challenge ?? '';
  if (rawPhone && challenge) throw new AuthError(400, 'validation_failed', 'PKCE not supported for phone signups');
  validatePkceParams(body.code_challenge_method ?? '', challenge);

  const s = ctx.settings;
  const isEmail = rawEmail !== '';
  let existing: SupabaseUser | undefined;
  let email = '';
  let phone = '';
  if (isEmail) {
    if (!s.emailProvider) throw new AuthError(400, 'email_provider_disabled', 'Email signups are disabled');
    email = validateEmail(rawEmail);
    existing = findByEmail(ctx, email);
  } else {
    if (!s.phoneProvider) throw new AuthError(400, 'phone_provider_disabled', 'Phone signups are disabled');
    phone = validatePhone(rawPhone);
    existing = findByPhone(ctx, phone);
  }

  if (existing && (isEmail ? existing.emailConfirmedAt : existing.phoneConfirmedAt)) {
    // UserExistsError: any autoconfirm answers 422, otherwise a look-alike hides who is registered.
    if (!s.emailConfirmation || !s.phoneConfirmation) throw new AuthError(422, 'user_already_exists', 'User already registered');
    return { status: 200, body: obfuscatedUser(ctx, isEmail ? 'email' : 'phone', email, phone, data) };
  }
  // An unconfirmed existing user is not updated ("we can't be sure of their claimed identity").
  const user = existing ?? newUser(ctx, { ...(isEmail ? { email } : { phone }), password, data });
  const now = nowIso(ctx);
  if (isEmail) {
    if (!s.emailConfirmation) {
      user.emailConfirmedAt = now;
    } else {
      const pkce = challenge !== '';
      if (pkce) {
        ctx.flows.create({
          providerType: 'email',
          authMethod: 'email/signup',
          codeChallenge: challenge,
          codeChallengeMethod: (body.code_challenge_method ?? '').toLowerCase() === 'plain' ? 'plain' : 's256',
          userId: user.id,
          referrer: requestReferrer(ctx, req, url),
        });
      }
      sendEmail(ctx, user, 'signup', pkce, requestReferrer(ctx, req, url));
    }
  } else if (!s.phoneConfirmation) {
    user.phoneConfirmedAt = now;
  } else {
    sendSms(ctx, user);
  }
  if (user.emailConfirmedAt || user.phoneConfirmedAt) return issueSession(ctx, user, 'password');
  return { status: 200, body: userJson(user) };
}

/** `sanitizeUser`: a look-alike with a fresh id and an empty role, so sign-up does not reveal who is registered. */
function obfuscatedUser(
  ctx: SupabaseContext,
  provider: 'email' | 'phone',
  email: string,
  phone: string,
  data: Record<string, unknown>,
): Record<string, unknown> {
  const now = nowIso(ctx);
  return {
    id: randomUUID(),
    aud: 'authenticated',
    role: '',
    email: provider === 'email' ? email : '',
    phone: provider === 'phone' ? phone : '',
    confirmation_sent_at: now,
    app_metadata: { provider, providers: [provider] },
    user_metadata: data,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}
