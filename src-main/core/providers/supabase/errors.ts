import { TokenDeskError, type ErrorCode } from '../../errors.js';
import { isRetryableStatus, nonJsonError, safeServerText } from '../../http/body.js';
import type { HttpResponse } from '../../http/types.js';

/**
 * GoTrue error answers, read the way auth-js `handleError` reads them (../shared/docs/supabase-auth-api.md §4):
 *  1. OAuth:            {error, error_description}            (always 400; old /token failures)
 *  2. initial version:  {code: <int>, error_code, msg}        (no / old X-Supabase-Api-Version)
 *  3. 2024-01-01:       {code: "<string>", message}           (response echoes X-Supabase-Api-Version)
 * plus the API gateway's own 401s ({message: "No API key found in request"} etc., §7).
 */

/**
 * What was being done: sign-in covers every step of a sign-in method that answers with a session (the
 * password grant, /verify, the PKCE exchange, a factor's verify); `send-code` is /otp (a code or a link
 * is sent); `mfa` a factor's challenge or verify.
 */
export type SupabaseOperation = 'sign-in' | 'sign-up' | 'refresh' | 'profile' | 'sign-out' | 'send-code' | 'mfa';

export interface GoTrueError {
  status: number;
  /** `error_code` (or the string `code` of 2024-01-01 answers). */
  code?: string;
  /** The OAuth `error` of the legacy shape, e.g. `invalid_grant`. */
  oauthError?: string;
  message?: string;
  weakPasswordReasons?: string[];
  /** Set when the answer came from the gateway in front of GoTrue, not from GoTrue. */
  gateway?: 'missing_key' | 'invalid_key' | 'duplicate_key';
}

const API_VERSION_2024 = Date.UTC(2024, 0, 1);

function parseApiVersion(value: string | undefined): number | undefined {
  if (!value || !/^2\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(value.trim())) return undefined;
  const t = Date.parse(`${value.trim()}T00:00:00.0Z`);
  return Number.isFinite(t) ? t : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function parseGoTrueError(status: number, headers: Record<string, string>, body: unknown): GoTrueError {
  const out: GoTrueError = { status };
  if (!body || typeof body !== 'object' || Array.isArray(body)) return out;
  const data = body as Record<string, unknown>;

  const version = parseApiVersion(headers['x-supabase-api-version']);
  if (version !== undefined && version >= API_VERSION_2024 && str(data.code)) out.code = str(data.code);
  else if (str(data.error_code)) out.code = str(data.error_code);
  else if (str(headers['x-sb-error-code'])) out.code = str(headers['x-sb-error-code']);

  out.oauthError = str(data.error);
  out.message = str(data.msg) ?? str(data.message) ?? str(data.error_description) ?? str(data.error);

  const weak = data.weak_password;
  if (weak && typeof weak === 'object' && Array.isArray((weak as { reasons?: unknown }).reasons)) {
    const reasons = ((weak as { reasons: unknown[] }).reasons).filter((r): r is string => typeof r === 'string');
    if (reasons.length) out.weakPasswordReasons = reasons;
  }
  // auth-js: no code but a weak_password payload is a weak-password error too.
  if (!out.code && out.weakPasswordReasons) out.code = 'weak_password';

  // The gateway answers with a bare {message[, hint]}: nothing GoTrue-shaped in it.
  const gotrueShaped = data.code !== undefined || data.error_code !== undefined || data.error !== undefined || data.msg !== undefined;
  const gwMessage = str(data.message);
  if (!gotrueShaped && gwMessage && (status === 401 || status === 403)) {
    if (/no api key found/i.test(gwMessage)) out.gateway = 'missing_key';
    else if (/duplicate api key/i.test(gwMessage)) out.gateway = 'duplicate_key';
    else if (/invalid api key|invalid authentication credentials/i.test(gwMessage)) out.gateway = 'invalid_key';
  }
  return out;
}

/** Maps the legacy `invalid_grant` texts of refresh failures (< v2.164) onto today's codes. */
function legacyRefreshCode(message: string | undefined): string | undefined {
  if (!message) return undefined;
  if (/already used/i.test(message)) return 'refresh_token_already_used';
  if (/not found/i.test(message)) return 'refresh_token_not_found';
  if (/no valid session/i.test(message)) return 'session_not_found';
  if (/session expired/i.test(message)) return 'session_expired';
  if (/user banned/i.test(message)) return 'user_banned';
  if (/refresh token|refresh_token/i.test(message)) return 'invalid_refresh_token';
  return undefined;
}

const REFRESH_REASONS: Record<string, string> = {
  refresh_token_not_found: 'refresh token not found (the session was signed out)',
  refresh_token_already_used: 'refresh token already used',
  session_not_found: 'session not found',
  session_expired: 'session expired',
  user_banned: 'the user is banned',
  invalid_refresh_token: 'refresh token is not valid',
};

const OPERATION_LABEL: Record<SupabaseOperation, string> = {
  'sign-in': 'Sign-in',
  'sign-up': 'Sign-up',
  refresh: 'Refresh',
  profile: 'Reading the profile',
  'sign-out': 'Sign-out',
  'send-code': 'Sending the code',
  mfa: 'The second factor',
};

/** "after 42 seconds" from GoTrue's "For security purposes, you can only request this after 42 seconds." */
export function retryAfterSeconds(message: string | undefined): number | undefined {
  const m = /after (\d{1,6}) seconds?/i.exec(message ?? '');
  return m ? Number(m[1]) : undefined;
}

type Said = (e: GoTrueError, msg: string | undefined) => string;
interface CodeRule {
  code: ErrorCode;
  say: Said;
  retryable?: boolean;
}

const HOOK_FIX = "ask the project's owner to check its auth hook (Authentication → Hooks)";
const sendLimit = (what: string): Said => (e) => {
  const after = retryAfterSeconds(e.message);
  return after !== undefined
    ? `Too many ${what} were asked for: the server takes the next request after ${after} seconds; wait, then ask again`
    : `The project's limit on ${what} was reached (its rate limits: Authentication → Rate Limits); try again later`;
};

/**
 * GoTrue's codes on the sign-in calls beyond the password grant (issue 22): each said as what it means
 * and what to do, instead of "Sign-in failed: <server text>" (codes: internal/api/apierrors/errorcode.go).
 */
export const CODE_RULES: Readonly<Record<string, CodeRule>> = {
  validation_failed: {
    code: 'invalid_input',
    say: (_e, msg) => `The server refused the request as not valid${msg ? ` (${msg})` : ''}: check the email address, or the phone number with its country code (+15551234567)`,
  },
  email_provider_disabled: { code: 'unsupported', say: () => 'Email sign-in is turned off in this project (Authentication → Sign In / Providers → Email): use another method' },
  phone_provider_disabled: { code: 'unsupported', say: () => 'Phone sign-in is turned off in this project (Authentication → Sign In / Providers → Phone): use another method' },
  provider_disabled: {
    code: 'unsupported',
    say: () => "This sign-in provider is not enabled in the project (Authentication → Sign In / Providers): enable it there, or remove it from the environment's Social sign-in setting",
  },
  email_address_not_authorized: {
    code: 'auth_error',
    say: () => "The project cannot send email to this address: Supabase's built-in email service only mails the project team's addresses. Set up custom SMTP (Authentication → Emails), or use a team member's address",
  },
  over_email_send_rate_limit: { code: 'rate_limited', say: sendLimit('emails'), retryable: true },
  over_sms_send_rate_limit: { code: 'rate_limited', say: sendLimit('text messages'), retryable: true },
  otp_expired: { code: 'invalid_credentials', say: () => 'The code has expired or is not valid: check it, or start again for a new one' },
  otp_disabled: {
    code: 'auth_error',
    say: () => 'No account with this address or number signs in by code or link here (the project does not create one that way): check it, or sign up first',
  },
  bad_code_verifier: { code: 'auth_error', say: () => "The server did not accept this sign-in's PKCE verifier (bad_code_verifier): the code belongs to another sign-in; start again" },
  flow_state_not_found: {
    code: 'auth_error',
    say: () => 'The server no longer knows this sign-in (flow_state_not_found): it was completed already, or began elsewhere; start again',
  },
  flow_state_expired: { code: 'flow_timed_out', say: () => 'The sign-in took too long between the browser and the server (flow_state_expired): start again and finish within a few minutes' },
  bad_json: { code: 'bad_response', say: () => 'The server could not read the request as JSON (bad_json): a proxy between TokenDesk and the project may be changing requests' },
  request_entity_too_large: { code: 'bad_response', say: () => 'The server refused the request as too large (request_entity_too_large): a proxy between TokenDesk and the project may be limiting requests' },
  hook_timeout: { code: 'server_error', say: () => `The project's auth hook did not answer in time (hook_timeout): try again; if it keeps happening, ${HOOK_FIX}`, retryable: true },
  hook_timeout_after_retry: { code: 'server_error', say: () => `The project's auth hook did not answer in time, even after a retry (hook_timeout_after_retry): ${HOOK_FIX}` },
  hook_payload_invalid_content_type: { code: 'server_error', say: () => `The project's auth hook answered with something else than JSON (hook_payload_invalid_content_type): ${HOOK_FIX}` },
  hook_payload_over_size_limit: { code: 'server_error', say: () => `The project's auth hook answered with too much data (hook_payload_over_size_limit): ${HOOK_FIX}` },
  insufficient_aal: { code: 'auth_error', say: () => 'This needs the second factor (insufficient_aal): sign in again and enter the code from your authenticator app' },
  mfa_verification_failed: { code: 'invalid_credentials', say: () => "The authenticator code was not accepted: enter the current 6-digit code (and check the device's clock)" },
  mfa_challenge_expired: { code: 'invalid_credentials', say: () => 'The code came too late for its challenge (mfa_challenge_expired): enter the current code' },
  mfa_factor_not_found: { code: 'auth_error', say: () => 'The second factor is no longer on this account (mfa_factor_not_found): sign in again' },
};

function err(code: ErrorCode, message: string, e: GoTrueError, retryable = false): TokenDeskError {
  const opts: { serverCode?: string; status: number; retryable: boolean } = { status: e.status, retryable };
  const serverCode = e.code ?? e.oauthError;
  if (serverCode) opts.serverCode = serverCode;
  return new TokenDeskError(code, message, opts);
}

/** The TokenDeskError for a parsed GoTrue/gateway error. `secrets` are cut out of any server text. */
export function mapGoTrueError(
  op: SupabaseOperation,
  e: GoTrueError,
  secrets: Array<string | undefined> = [],
): TokenDeskError {
  const msg = safeServerText(e.message, secrets);

  if (e.gateway === 'missing_key') return err('gateway_rejected', "No anon key was sent: the gateway needs the project's anon key", e);
  if (e.gateway === 'invalid_key') return err('gateway_rejected', 'The anon key was rejected by the gateway', e);
  if (e.gateway === 'duplicate_key') return err('gateway_rejected', 'The gateway rejected the request: more than one API key was sent', e);

  const rule = e.code !== undefined && Object.prototype.hasOwnProperty.call(CODE_RULES, e.code) ? CODE_RULES[e.code] : undefined;
  // validation_failed on a refresh is the refresh token's own syntax (below), not the user's input.
  if (rule && !(op === 'refresh' && e.code === 'validation_failed')) return err(rule.code, rule.say(e, msg), e, rule.retryable);
  // A hook (before-user-created, custom access token…) that refused with its own message: GoTrue
  // sends its text under the code `unknown`; it is the project's word, said as such.
  if (e.code === 'unknown' && msg && e.status < 500 && op !== 'refresh') return err('auth_error', `The project refused this: ${msg}`, e);

  if (e.status === 429 || (e.code ?? '').startsWith('over_')) {
    return err('rate_limited', "The server's rate limit was reached; try again in a few minutes", e, true);
  }
  if (e.status === 409 || e.code === 'conflict') {
    return err('server_error', 'The server is busy with another request for this session; try again', e, true);
  }
  if (e.status >= 500) {
    return err('server_error', `The server failed (${e.status})${msg ? `: ${msg}` : ''}`, e, isRetryableStatus(e.status));
  }

  const legacyInvalidGrant = e.oauthError === 'invalid_grant' && !e.code;

  if (op === 'refresh') {
    const code = e.code === 'validation_failed' ? 'invalid_refresh_token' : legacyInvalidGrant || e.oauthError === 'invalid_request' ? legacyRefreshCode(e.message) : e.code;
    const reason = code ? REFRESH_REASONS[code] : undefined;
    if (reason) {
      // "Invalid Refresh Token: Session Expired (Inactivity)" -> keep the server's "(inactivity)" detail.
      const detail = code === 'session_expired' ? /\(([^)]{1,80})\)\s*$/.exec(e.message ?? '')?.[1] : undefined;
      return err('refresh_rejected', `The session was ended by the server: ${reason}${detail ? ` (${detail.toLowerCase()})` : ''}`, e);
    }
  }

  if (e.code === 'invalid_credentials' || (legacyInvalidGrant && /invalid login credentials/i.test(e.message ?? ''))) {
    return err('invalid_credentials', 'Invalid login credentials', e);
  }
  if (e.code === 'email_not_confirmed' || (legacyInvalidGrant && /email not confirmed/i.test(e.message ?? ''))) {
    return err('email_not_confirmed', 'Email not confirmed', e);
  }
  if (e.code === 'phone_not_confirmed' || (legacyInvalidGrant && /phone not confirmed/i.test(e.message ?? ''))) {
    return err('auth_error', 'Phone number not confirmed', e);
  }
  if (e.code === 'user_banned') return err('user_banned', 'This user is banned', e);
  // The project asks for a CAPTCHA (hCaptcha/Turnstile) on sign-in, which only its web page can show:
  // the way in is the session the browser gets there (the browser-session method).
  if (e.code === 'captcha_failed' && (op === 'sign-in' || op === 'sign-up' || op === 'send-code')) {
    return err(
      'auth_error',
      `This project asks for a CAPTCHA on ${op === 'sign-up' ? 'sign-up' : 'sign-in'}, which TokenDesk cannot show: sign in to the web app in a browser, then use "Import a browser session" (CLI: tokendesk login --env NAME --with-token)`,
      e,
    );
  }
  if (e.code === 'weak_password') {
    const reasons = e.weakPasswordReasons?.map((r) => safeServerText(r, secrets)).filter(Boolean).join(', ');
    return err('weak_password', `The password is too weak${msg ? `: ${msg}` : ''}${reasons ? ` (reasons: ${reasons})` : ''}`, e);
  }
  if (e.code === 'signup_disabled') return err('signup_disabled', 'Sign-ups are disabled on this server', e);
  if (e.code === 'user_already_exists' || e.code === 'email_exists') {
    return err('user_already_exists', 'A user with this email is already registered', e);
  }

  if (op === 'profile' || op === 'sign-out' || op === 'refresh') {
    switch (e.code) {
      case 'session_not_found':
        return err('session_expired', 'The session was ended by the server (signed out or revoked)', e);
      case 'bad_jwt':
        return err('session_expired', 'The access token has expired or is not valid', e);
      case 'no_authorization':
        return err('session_expired', 'The server did not receive a valid access token', e);
      case 'user_not_found':
        return err('session_expired', 'The user no longer exists on the server', e);
    }
    // Before v2.145 JWT failures were 401 {code:401, msg:"invalid JWT: ..."} with no error_code.
    if (op === 'profile' && (e.status === 401 || e.status === 403)) {
      return err('session_expired', 'The access token has expired or is not valid', e);
    }
  }

  const label = OPERATION_LABEL[op];
  return err('auth_error', `${label} failed${msg ? `: ${msg}` : ` (${e.status})`}`, e);
}

/** The TokenDeskError for a non-2xx answer, whatever its body. */
export function supabaseErrorFromResponse(
  op: SupabaseOperation,
  res: HttpResponse,
  secrets: Array<string | undefined> = [],
): TokenDeskError {
  if (res.json === undefined) {
    if (res.status === 429) return mapGoTrueError(op, { status: 429 }, secrets);
    return nonJsonError(res);
  }
  return mapGoTrueError(op, parseGoTrueError(res.status, res.headers, res.json), secrets);
}
