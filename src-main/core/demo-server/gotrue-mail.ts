import { randomInt } from 'node:crypto';
import { AuthError, checkFrequency } from './auth-errors.js';
import { nowIso, tokenHash, type SupabaseContext } from './supabase-auth.js';
import type { SupabaseUser } from './users.js';

/** `crypto.GenerateOtp(6)`. */
function otp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The default SMTP's rule (`checkEmailAddressAuthorization`): only listed addresses get mail. */
function checkAuthorized(ctx: SupabaseContext, email: string): void {
  const list = ctx.settings.authorizedEmailAddresses;
  const normalized = email.replace(/[+][^@]+@/, '@');
  if (list.length > 0 && !list.some((a) => a.toLowerCase() === normalized.toLowerCase())) {
    throw new AuthError(400, 'email_address_not_authorized', `Email address ${JSON.stringify(email)} cannot be used as it is not authorized`);
  }
}

/** The /verify link GoTrue puts in its emails (`{{ .ConfirmationURL }}`). */
function verifyLink(ctx: SupabaseContext, token: string, type: string, redirectTo: string): string {
  const q = new URLSearchParams({ token, type, redirect_to: redirectTo });
  return `${ctx.baseUrl()}/auth/v1/verify?${q.toString()}`;
}

/**
 * `sendConfirmation` (sign-up) and `sendMagicLink`: the 60 s frequency limit, then a fresh code whose
 * hash (with 'pkce_' for a PKCE flow) is stored on the user, then the mail lands in the demo mailbox.
 */
export function sendEmail(ctx: SupabaseContext, user: SupabaseUser, kind: 'signup' | 'magiclink', pkce: boolean, redirectTo: string): void {
  const sentAt = kind === 'signup' ? user.confirmationSentAt : user.recoverySentAt;
  checkFrequency(sentAt, ctx.settings.emailMaxFrequencySeconds, ctx.now(), 'over_email_send_rate_limit');
  checkAuthorized(ctx, user.email);
  const code = otp();
  const hash = (pkce ? 'pkce_' : '') + tokenHash(user.email, code);
  const now = nowIso(ctx);
  if (kind === 'signup') {
    user.confirmationToken = hash;
    user.confirmationSentAt = now;
  } else {
    user.recoveryToken = hash;
    user.recoverySentAt = now;
  }
  ctx.mailbox.deliver({
    channel: 'email',
    to: user.email,
    type: kind,
    subject: kind === 'signup' ? 'Confirm your signup' : 'Your Magic Link',
    otp: code,
    link: verifyLink(ctx, hash, kind, redirectTo),
    sentAt: now,
  });
}

/** `sendPhoneConfirmation` for a sign-up or sign-in code: SMS frequency limit, then the text. */
export function sendSms(ctx: SupabaseContext, user: SupabaseUser): string {
  checkFrequency(user.confirmationSentAt, ctx.settings.smsMaxFrequencySeconds, ctx.now(), 'over_sms_send_rate_limit');
  const code = otp();
  const now = nowIso(ctx);
  user.confirmationToken = tokenHash(user.phone, code);
  user.confirmationSentAt = now;
  const msg = ctx.mailbox.deliver({ channel: 'sms', to: user.phone, type: 'sms', subject: 'Your code', otp: code, sentAt: now });
  return `demo-sms-${msg.id}`;
}
