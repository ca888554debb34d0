/**
 * The GoTrue configuration the demo plays (GOTRUE_* settings), with the platform's defaults.
 * Everything a test or a user may want to flip is here, so one server can play a given project.
 */
export type HookFault =
  | 'hook_timeout'
  | 'hook_timeout_after_retry'
  | 'hook_payload_invalid_content_type'
  | 'hook_payload_over_size_limit'
  /** The hook answered `{error: {http_code, message}}`: GoTrue passes it on with code `unknown`. */
  | { reject: { httpCode: number; message: string } };

export interface GoTrueSettings {
  /** Confirmations ON (MAILER_AUTOCONFIRM off): sign-up answers the bare user. */
  emailConfirmation: boolean;
  /** SMS confirmations ON (SMS_AUTOCONFIRM off). */
  phoneConfirmation: boolean;
  emailProvider: boolean;
  phoneProvider: boolean;
  magicLink: boolean;
  /** External providers that are enabled, by GoTrue name (github, google, azure, gitlab, …). */
  oauthProviders: string[];
  /** GOTRUE_SITE_URL; default: the demo's own /demo/site page. Unallowed redirect_to lands here. */
  siteUrl?: string;
  /** GOTRUE_URI_ALLOW_LIST (globs). Loopback IPs are always allowed, as in GoTrue. */
  uriAllowList: string[];
  /** GOTRUE_SMTP_MAX_FREQUENCY / GOTRUE_SMS_MAX_FREQUENCY, seconds (default 60). */
  emailMaxFrequencySeconds: number;
  smsMaxFrequencySeconds: number;
  /** GOTRUE_MAILER_OTP_EXP (3600) and GOTRUE_SMS_OTP_EXP (60), seconds. */
  emailOtpExpSeconds: number;
  smsOtpExpSeconds: number;
  /** GOTRUE_EXTERNAL_FLOW_STATE_EXPIRY_DURATION, seconds (300). */
  flowStateExpirySeconds: number;
  /** GOTRUE_MFA_CHALLENGE_EXPIRY_DURATION, seconds (300). */
  mfaChallengeExpirySeconds: number;
  /** GOTRUE_PASSWORD_MIN_LENGTH (6). */
  passwordMinLength: number;
  /** GOTRUE_SECURITY_CAPTCHA_ENABLED: password grant, sign-up and /otp need a captcha token. */
  captcha: boolean;
  /** The default SMTP's rule: only these addresses receive mail (empty = any). */
  authorizedEmailAddresses: string[];
  /** A custom-access-token hook that fails this way whenever a session is issued. */
  hookFault?: HookFault;
  /** Answer as GoTrue v2.158 does (/token errors in the OAuth shape, no x-sb-error-code). */
  legacyErrors: boolean;
}

export const DEFAULT_GOTRUE_SETTINGS: GoTrueSettings = {
  emailConfirmation: false,
  phoneConfirmation: true,
  emailProvider: true,
  phoneProvider: true,
  magicLink: true,
  oauthProviders: ['github', 'google'],
  uriAllowList: [],
  emailMaxFrequencySeconds: 60,
  smsMaxFrequencySeconds: 60,
  emailOtpExpSeconds: 3600,
  smsOtpExpSeconds: 60,
  flowStateExpirySeconds: 300,
  mfaChallengeExpirySeconds: 300,
  passwordMinLength: 6,
  captcha: false,
  authorizedEmailAddresses: [],
  legacyErrors: false,
};

/** gobwas/glob with separators '.' and '/', as GoTrue compiles GOTRUE_URI_ALLOW_LIST. */
function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^./]*';
    else if (c === '?') re += '[^./]';
    else re += c.replace(/[\\^$+.()|{}[\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const DECIMAL_IP = /^[0-9]+$/;
const REGULAR_HOST = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/;

function isLoopbackIp(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::1';
}

/** `utilities.IsRedirectURLValid`. */
export function isRedirectAllowed(siteUrl: string, allowList: string[], redirect: string): boolean {
  if (redirect === '') return false;
  let base: URL;
  let ref: URL;
  try {
    base = new URL(siteUrl);
    ref = new URL(redirect);
  } catch {
    return false;
  }
  const isLocal = ref.hostname === 'localhost' || isLoopbackIp(ref.hostname);
  if (base.hostname === ref.hostname && base.protocol === ref.protocol && (base.port === ref.port || isLocal)) return true;
  const hostname = ref.hostname.replace(/^\[|\]$/g, '');
  if (DECIMAL_IP.test(hostname)) return false;
  if (/^[\d.]+$/.test(hostname) || hostname.includes(':')) return isLoopbackIp(hostname);
  if ((ref.protocol === 'http:' || ref.protocol === 'https:') && !REGULAR_HOST.test(hostname)) return false;
  const noFragment = redirect.split('#')[0]!;
  return allowList.some((p) => globToRegExp(p).test(noFragment));
}

/** `utilities.GetReferrer`: the redirect_to when allowed, else the Referer when allowed, else the Site URL. */
export function referrer(siteUrl: string, allowList: string[], redirectTo: string | null | undefined, refererHeader?: string): string {
  if (redirectTo && isRedirectAllowed(siteUrl, allowList, redirectTo)) return redirectTo;
  if (refererHeader && isRedirectAllowed(siteUrl, allowList, refererHeader)) return refererHeader;
  return siteUrl;
}
