import { PASSWORD_FIELDS, PHONE_FIELD } from '../../../contract/providers.js';
import { TokenDeskError } from '../../errors.js';
import type { FlowIO } from '../../flows/types.js';
import type { FlowOutcome, ProviderContext } from '../types.js';
import { withSecondFactor } from './mfa.js';
import { grant, type Granted } from './session.js';

/** An email address as the window and the CLI check it (GoTrue checks it again: validation_failed). */
export function checkEmail(typed: string | undefined): string {
  const email = (typed ?? '').trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new TokenDeskError('invalid_input', `"${email.slice(0, 100)}" is not an email address`);
  return email;
}

/** A phone number in E.164 (GoTrue stores it without the +; spaces, dashes and brackets typed are dropped). */
export function checkPhone(typed: string | undefined): string {
  const phone = (typed ?? '').replace(/[\s().-]/g, '');
  if (!/^\+?[1-9]\d{6,14}$/.test(phone)) throw new TokenDeskError('invalid_input', `"${(typed ?? '').trim().slice(0, 40)}" is not a phone number: give it with its country code, e.g. +15551234567`);
  return phone;
}

/** The password grant (§1.2) with `email` or `phone` (phone sign-in: the same grant, `phone` instead of `email`). */
export function passwordGrant(ctx: ProviderContext, who: { email: string } | { phone: string }, password: string): Promise<Granted> {
  return grant(ctx, '/token?grant_type=password', { ...who, password }, [password]);
}

/** Email (or phone) and password, then the second factor when the account has one. */
export function passwordMethod(by: 'email' | 'phone') {
  return async (ctx: ProviderContext, io: FlowIO): Promise<FlowOutcome> => {
    const fields = by === 'email' ? PASSWORD_FIELDS : [PHONE_FIELD, PASSWORD_FIELDS[1]!];
    const answers = await io.ask({ title: 'Sign in', fields: [...fields], submitLabel: 'Sign in' });
    const password = answers.password ?? '';
    const typed = by === 'email' ? checkEmail(answers.email) : checkPhone(answers.phone);
    const who: { email: string } | { phone: string } = by === 'email' ? { email: typed } : { phone: typed };
    if (password.length === 0) throw new TokenDeskError('invalid_input', 'The password is empty');
    const done = await withSecondFactor(ctx, io, await passwordGrant(ctx, who, password));
    return { session: done.session, typed, ...(done.warning && { warning: done.warning }) };
  };
}
