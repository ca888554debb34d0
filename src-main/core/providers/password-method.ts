import { identifierFields, REMEMBER_FIELD, PASSWORD_FIELDS } from '../../contract/providers.js';
import { TokenDeskError } from '../errors.js';
import type { FlowIO } from '../flows/types.js';
import type { Credentials, FlowOutcome, ProviderContext, StoredSession } from './types.js';

/**
 * The email + password method as a flow of one question: the window's form or the CLI's prompts
 * answer it (or the answers given when the flow began). `canRemember`: the kind renews by signing in
 * again, so the user may let TokenDesk keep the password.
 */
export function passwordFlow(
  signIn: (ctx: ProviderContext, creds: Credentials) => Promise<StoredSession>,
  canRemember: boolean,
  /** True when this environment signs in with another identifier than an email (a user name): any non-empty one is sent. */
  anyIdentifier?: (ctx: ProviderContext) => boolean,
) {
  return async (ctx: ProviderContext, io: FlowIO): Promise<FlowOutcome> => {
    const any = anyIdentifier?.(ctx) ?? false;
    // A user name is asked as text, so neither the window nor the CLI demands an email address for it.
    const fields = identifierFields(canRemember ? [...PASSWORD_FIELDS, REMEMBER_FIELD] : PASSWORD_FIELDS, any);
    const answers = await io.ask({ title: 'Sign in', fields: [...fields], submitLabel: 'Sign in' });
    const email = (answers.email ?? '').trim();
    const password = answers.password ?? '';
    if (any) {
      if (email === '') throw new TokenDeskError('invalid_input', 'The user name is empty');
    } else if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new TokenDeskError('invalid_input', `"${email}" is not an email address`);
    if (password.length === 0) throw new TokenDeskError('invalid_input', 'The password is empty');
    const session = await signIn(ctx, { email, password });
    const remember = canRemember && answers.remember === 'true';
    return { session, typed: email, ...(remember && { rememberPassword: password }) };
  };
}

/** The `signInWith` of a provider from its methods by id; an id it does not have is a specific error. */
export function methodsById(kindLabel: string, methods: Record<string, (ctx: ProviderContext, io: FlowIO) => Promise<FlowOutcome>>) {
  return (method: string, ctx: ProviderContext, io: FlowIO): Promise<FlowOutcome> => {
    const run = Object.prototype.hasOwnProperty.call(methods, method) ? methods[method] : undefined;
    if (!run) {
      return Promise.reject(new TokenDeskError('unsupported', `${kindLabel} has no sign-in method "${method.slice(0, 40)}"; it has: ${Object.keys(methods).join(', ')}`));
    }
    return run(ctx, io);
  };
}
