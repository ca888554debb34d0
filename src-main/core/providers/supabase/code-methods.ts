import { CODE_FIELD, PASSWORD_FIELDS, PHONE_FIELD } from '../../../contract/providers.js';
import { TokenDeskError } from '../../errors.js';
import type { FlowIO } from '../../flows/types.js';
import type { FlowOutcome, ProviderContext } from '../types.js';
import { cleanCode, MAX_CODE_ATTEMPTS, withSecondFactor } from './mfa.js';
import { checkEmail, checkPhone } from './password-methods.js';
import { authUrl, headers } from './request.js';
import { fail, grant, ok, type Granted } from './session.js';

/**
 * One-time codes (§ GoTrue `POST /otp`, `POST /verify`): the code is sent by email or SMS, typed by the
 * user, and exchanged for a session with `type: email` or `type: sms`. `create_user: false`: signing in
 * never creates an account by surprise (GoTrue answers otp_disabled for an unknown address).
 */

/** `POST /otp`: sends a code (or, with a PKCE challenge and redirect_to, a link). */
export async function sendOtp(ctx: ProviderContext, body: Record<string, unknown>, redirectTo?: string): Promise<void> {
  const query = redirectTo ? `?redirect_to=${encodeURIComponent(redirectTo)}` : '';
  const res = await ctx.http.request({ method: 'POST', url: authUrl(ctx.baseUrl, `/otp${query}`), headers: headers(ctx), body: { ...body, create_user: false } });
  if (!ok(res)) fail('send-code', res, ctx, []);
}

export function codeMethod(by: 'email' | 'sms') {
  return async (ctx: ProviderContext, io: FlowIO): Promise<FlowOutcome> => {
    const first = await io.ask({
      title: by === 'email' ? 'Sign in with an email code' : 'Sign in with a text message code',
      fields: [by === 'email' ? PASSWORD_FIELDS[0]! : PHONE_FIELD],
      submitLabel: 'Send the code',
    });
    const to = by === 'email' ? checkEmail(first.email) : checkPhone(first.phone);
    const who: { email: string } | { phone: string } = by === 'email' ? { email: to } : { phone: to };
    await sendOtp(ctx, by === 'email' ? who : { ...who, channel: 'sms' });
    const granted = await askAndVerify(ctx, io, by, who, to);
    const done = await withSecondFactor(ctx, io, granted);
    return { session: done.session, typed: to, ...(done.warning && { warning: done.warning }) };
  };
}

/** Asks for the code until the server takes one (or MAX_CODE_ATTEMPTS were refused). */
async function askAndVerify(ctx: ProviderContext, io: FlowIO, by: 'email' | 'sms', who: { email: string } | { phone: string }, to: string): Promise<Granted> {
    let error: string | undefined;
    for (let attempt = 1; ; attempt++) {
      const answers = await io.ask({
        title: 'Enter the code',
        message: by === 'email' ? `A code was sent to ${to}: enter it here (it is valid for a limited time).` : `A code was texted to ${to}: enter it here.`,
        fields: [CODE_FIELD],
        submitLabel: 'Sign in',
        ...(error && { error }),
      });
      const code = cleanCode(answers.code);
      try {
        if (!/^\d{6,10}$/.test(code)) throw new TokenDeskError('invalid_input', 'The code is the 6 digits from the message');
        return await grant(ctx, '/verify', { ...who, token: code, type: by }, [code]);
      } catch (e) {
        // A mistyped or stale code is asked again; anything else (a rate limit, a disabled provider) ends the sign-in.
        const again = e instanceof TokenDeskError && (e.code === 'invalid_input' || e.serverCode === 'otp_expired');
        if (!again || attempt >= MAX_CODE_ATTEMPTS) throw e;
        error = e.message;
      }
    }
}
