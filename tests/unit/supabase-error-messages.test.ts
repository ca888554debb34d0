import { describe, expect, it } from 'vitest';
import { mapGoTrueError, parseGoTrueError, retryAfterSeconds, type SupabaseOperation } from '../../src-main/core/providers/supabase/errors.js';
import { weakPasswordWarning } from '../../src-main/core/providers/supabase/session.js';
import { tokenResponseSchema } from '../../src-main/core/providers/supabase/schemas.js';

/**
 * Every GoTrue code issue 22 lists, in the 2024-01-01 shape GoTrue sends to auth-js (and TokenDesk),
 * said as what it means and what to do: never "Sign-in failed: <server text>".
 */
const V2024 = { 'x-supabase-api-version': '2024-01-01' };
const said = (op: SupabaseOperation, status: number, code: string, message: string) => mapGoTrueError(op, parseGoTrueError(status, V2024, { code, message }));

const TABLE: Array<[op: SupabaseOperation, status: number, code: string, server: string, ours: string | RegExp, errorCode: string]> = [
  ['sign-in', 400, 'validation_failed', 'Unable to validate email address: invalid format', 'The server refused the request as not valid (Unable to validate email address: invalid format): check the email address, or the phone number with its country code (+15551234567)', 'invalid_input'],
  ['send-code', 422, 'email_provider_disabled', 'Email logins are disabled', 'Email sign-in is turned off in this project (Authentication → Sign In / Providers → Email): use another method', 'unsupported'],
  ['sign-in', 422, 'phone_provider_disabled', 'Phone logins are disabled', 'Phone sign-in is turned off in this project (Authentication → Sign In / Providers → Phone): use another method', 'unsupported'],
  ['sign-in', 400, 'provider_disabled', 'Unsupported provider: provider is not enabled', /^This sign-in provider is not enabled in the project \(Authentication → Sign In \/ Providers\)/, 'unsupported'],
  ['send-code', 400, 'captcha_failed', 'captcha protection: request disallowed', /^This project asks for a CAPTCHA on sign-in, which TokenDesk cannot show: .*"Import a browser session"/, 'auth_error'],
  ['send-code', 400, 'email_address_not_authorized', 'Email address "x@y.test" cannot be used as it is not authorized', /^The project cannot send email to this address: .*custom SMTP/, 'auth_error'],
  ['send-code', 429, 'over_email_send_rate_limit', 'For security purposes, you can only request this after 42 seconds.', 'Too many emails were asked for: the server takes the next request after 42 seconds; wait, then ask again', 'rate_limited'],
  ['send-code', 429, 'over_sms_send_rate_limit', 'For security purposes, you can only request this after 7 seconds.', 'Too many text messages were asked for: the server takes the next request after 7 seconds; wait, then ask again', 'rate_limited'],
  ['send-code', 429, 'over_email_send_rate_limit', 'Email rate limit exceeded', /^The project's limit on emails was reached/, 'rate_limited'],
  ['sign-in', 403, 'otp_expired', 'Token has expired or is invalid', 'The code has expired or is not valid: check it, or start again for a new one', 'invalid_credentials'],
  ['send-code', 422, 'otp_disabled', 'Signups not allowed for otp', /sign up first$/, 'auth_error'],
  ['sign-in', 403, 'bad_code_verifier', 'code challenge does not match previously saved code verifier', /^The server did not accept this sign-in's PKCE verifier/, 'auth_error'],
  ['sign-in', 404, 'flow_state_not_found', 'invalid flow state, no valid flow state found', /^The server no longer knows this sign-in \(flow_state_not_found\)/, 'auth_error'],
  ['sign-in', 400, 'flow_state_expired', 'Flow state has expired', /^The sign-in took too long .*start again/, 'flow_timed_out'],
  ['sign-in', 400, 'bad_json', 'Could not parse request body as JSON: unexpected EOF', /^The server could not read the request as JSON \(bad_json\): a proxy/, 'bad_response'],
  ['sign-in', 413, 'request_entity_too_large', 'Request entity too large', /^The server refused the request as too large/, 'bad_response'],
  ['sign-in', 422, 'hook_timeout', 'Failed to reach hook within maximum time of 5.000000 seconds', /^The project's auth hook did not answer in time \(hook_timeout\): try again/, 'server_error'],
  ['sign-in', 422, 'hook_timeout_after_retry', 'Failed to reach hook after maximum retries', /even after a retry \(hook_timeout_after_retry\): ask the project's owner/, 'server_error'],
  ['sign-in', 500, 'hook_payload_invalid_content_type', 'Invalid Content-Type: Missing Content-Type header', /something else than JSON \(hook_payload_invalid_content_type\)/, 'server_error'],
  ['sign-in', 500, 'hook_payload_over_size_limit', 'Payload size exceeded size limit', /too much data \(hook_payload_over_size_limit\)/, 'server_error'],
  ['sign-in', 403, 'unknown', 'Only employees may sign in', 'The project refused this: Only employees may sign in', 'auth_error'],
  ['mfa', 403, 'insufficient_aal', 'AAL2 session is required to update email or password when MFA is enabled.', /^This needs the second factor \(insufficient_aal\)/, 'auth_error'],
  ['mfa', 422, 'mfa_verification_failed', 'Invalid TOTP code entered', "The authenticator code was not accepted: enter the current 6-digit code (and check the device's clock)", 'invalid_credentials'],
  ['mfa', 422, 'mfa_challenge_expired', 'MFA challenge 1234 has expired, verify against another challenge or create a new challenge.', /^The code came too late for its challenge/, 'invalid_credentials'],
  ['mfa', 404, 'mfa_factor_not_found', 'Factor not found', /^The second factor is no longer on this account/, 'auth_error'],
];

describe('GoTrue codes of the sign-in methods, said as what to do', () => {
  it.each(TABLE)('%s %i %s', (op, status, code, server, ours, errorCode) => {
    const e = said(op, status, code, server);
    expect(e.code).toBe(errorCode);
    expect(e.serverCode).toBe(code);
    expect(e.status).toBe(status);
    if (typeof ours === 'string') expect(e.message).toBe(ours);
    else expect(e.message).toMatch(ours);
    expect(e.message).not.toMatch(/^Sign-in failed/);
  });

  it('reads the same codes from the initial shape (no API version header)', () => {
    const e = mapGoTrueError('mfa', parseGoTrueError(422, {}, { code: 422, error_code: 'mfa_verification_failed', msg: 'Invalid TOTP code entered' }));
    expect(e.serverCode).toBe('mfa_verification_failed');
    expect(e.code).toBe('invalid_credentials');
  });

  it('a refresh keeps its own reading of validation_failed (the refresh token, not the user\'s input)', () => {
    expect(said('refresh', 400, 'validation_failed', 'Refresh token is not valid').code).toBe('refresh_rejected');
  });

  it('retryAfterSeconds keeps the number the server gave', () => {
    expect(retryAfterSeconds('For security purposes, you can only request this after 1 second.')).toBe(1);
    expect(retryAfterSeconds('For security purposes, you can only request this after 59 seconds.')).toBe(59);
    expect(retryAfterSeconds('Email rate limit exceeded')).toBeUndefined();
  });
});

describe('weak_password on a successful sign-in', () => {
  const body = (weak: unknown) =>
    tokenResponseSchema.parse({ access_token: 'a.b.c', token_type: 'bearer', expires_in: 3600, refresh_token: 'abcdefghijkl', user: { id: 'u1' }, weak_password: weak });

  it('is a warning with the reasons, the password cut out of any server text', () => {
    expect(weakPasswordWarning(body({ message: 'Password should be at least 8 characters.', reasons: ['length'] }), ['demo'])).toBe(
      "The password no longer meets the project's password rules: Password should be at least 8 characters. (reasons: length); change it soon",
    );
  });

  it('is nothing when the server said nothing, and a malformed note does not refuse the session', () => {
    expect(weakPasswordWarning(body(undefined), [])).toBeUndefined();
    expect(weakPasswordWarning(body(null), [])).toBeUndefined();
    expect(weakPasswordWarning(body('weird'), [])).toBeUndefined();
  });
});
