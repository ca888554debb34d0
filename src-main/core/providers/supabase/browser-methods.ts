import { PASSWORD_FIELDS, variantLabel } from '../../../contract/providers.js';
import { TokenDeskError } from '../../errors.js';
import { listenForCallback, type LoopbackCallback } from '../../flows/loopback.js';
import type { FlowIO } from '../../flows/types.js';
import { createPkce } from '../pkce.js';
import type { FlowOutcome, ProviderContext } from '../types.js';
import { codeFromCallback, exchangeCode, notAllowedHint, REDIRECT_COPY } from './browser-return.js';
import { sendOtp } from './code-methods.js';
import { supabaseErrorFromResponse } from './errors.js';
import { withSecondFactor } from './mfa.js';
import { checkEmail } from './password-methods.js';
import { anonKeyOf, authUrl, headers } from './request.js';
import type { Granted } from './session.js';

/**
 * The two methods that end in the browser, on TokenDesk's loopback listener: the email link (`/otp`
 * with a PKCE challenge: the link's redirect carries `?code=`) and a social provider (`/authorize`,
 * GoTrue's PKCE flow). Either way the verifier never leaves TokenDesk. The listener closes when the
 * flow ends, however it ends (io.signal).
 */

/** Waits for the browser, exchanges its code, then tells the tab how it went before the second factor (if any) is asked here. */
async function completeInBrowser(ctx: ProviderContext, io: FlowIO, listener: LoopbackCallback, verifier: string, what: 'link' | 'provider'): Promise<Granted> {
  let first: Granted;
  try {
    first = await exchangeCode(ctx, codeFromCallback(await listener.callback, what), verifier);
  } catch (e) {
    await listener.finish(false, e instanceof Error ? e.message : 'TokenDesk could not complete the sign-in: see the app or the terminal.');
    throw e;
  }
  const mfa = first.session.profile.claims?.aal === 'aal1' && (first.body.user.factors ?? []).some((f) => f.status === 'verified');
  await listener.finish(true, mfa ? 'Return to TokenDesk and enter the code from your authenticator app.' : 'You may close this tab and return to TokenDesk.');
  return withSecondFactor(ctx, io, first);
}

export async function magicLinkMethod(ctx: ProviderContext, io: FlowIO): Promise<FlowOutcome> {
  const answers = await io.ask({ title: 'Sign in with an email link', fields: [PASSWORD_FIELDS[0]!], submitLabel: 'Send the link' });
  const email = checkEmail(answers.email);
  const listener = await listenForCallback(io.signal);
  try {
    const pkce = createPkce();
    await sendOtp(ctx, { email, code_challenge: pkce.challenge, code_challenge_method: 's256' }, listener.redirectUri);
    io.show({
      kind: 'progress',
      title: 'Check your email',
      message: `A sign-in link was sent to ${email}: open it in a browser on this computer. ${notAllowedHint(listener.redirectUri)}`,
      copy: REDIRECT_COPY,
    });
    const done = await completeInBrowser(ctx, io, listener, pkce.verifier, 'link');
    return { session: done.session, typed: email, ...(done.warning && { warning: done.warning }) };
  } finally {
    await listener.finish(false, 'The sign-in has ended in TokenDesk.');
  }
}

/** `oauth:<provider>`: GoTrue's /authorize with a PKCE challenge, in the system browser. */
export async function oauthMethod(ctx: ProviderContext, io: FlowIO, provider: string): Promise<FlowOutcome> {
  if (!/^[a-z0-9_-]{1,40}$/.test(provider)) throw new TokenDeskError('invalid_input', `"${provider.slice(0, 40)}" is not a provider name (github, google, azure…)`);
  const listener = await listenForCallback(io.signal);
  try {
    const pkce = createPkce();
    const query = new URLSearchParams({ provider, redirect_to: listener.redirectUri, code_challenge: pkce.challenge, code_challenge_method: 's256' });
    const url = await whereAuthorizeSends(ctx, authUrl(ctx.baseUrl, `/authorize?${query}`), provider);
    io.show({ kind: 'open-url', title: `Sign in with ${variantLabel(provider)}`, url, message: notAllowedHint(listener.redirectUri), copy: REDIRECT_COPY });
    const done = await completeInBrowser(ctx, io, listener, pkce.verifier, 'provider');
    return { session: done.session, ...(done.session.profile.email && { typed: done.session.profile.email }), ...(done.warning && { warning: done.warning }) };
  } finally {
    await listener.finish(false, 'The sign-in has ended in TokenDesk.');
  }
}

/**
 * Asks /authorize where it would send the browser, without following: a redirect is the provider's
 * page (opened in the browser); GoTrue's refusal (provider_disabled, an unknown provider) is said here
 * rather than shown as JSON in a browser tab. Any other answer: the browser goes to /authorize itself.
 */
async function whereAuthorizeSends(ctx: ProviderContext, authorizeUrl: string, provider: string): Promise<string> {
  const res = await ctx.http.request({ method: 'GET', url: authorizeUrl, headers: headers(ctx), followRedirects: false });
  if (res.status >= 300 && res.status < 400 && res.headers.location) {
    try {
      const next = new URL(res.headers.location, authorizeUrl);
      if (next.protocol === 'https:' || next.protocol === 'http:') return next.href;
    } catch {
      // A Location that is not a URL: the browser gets /authorize and sees for itself.
    }
    return authorizeUrl;
  }
  if (res.status >= 400 && res.status < 500) {
    const e = supabaseErrorFromResponse('sign-in', res, [anonKeyOf(ctx)]);
    // GoTrue's "Unsupported provider: provider is not enabled" (validation_failed) is a disabled provider too.
    if (e.serverCode === 'validation_failed' && /unsupported provider|not enabled/i.test(res.text)) {
      throw new TokenDeskError('unsupported', `The project does not offer sign-in with ${variantLabel(provider)} (it is not enabled under Authentication → Sign In / Providers): enable it there, or remove it from the environment's Social sign-in setting`, { serverCode: 'validation_failed', status: res.status });
    }
    throw e;
  }
  return authorizeUrl;
}
