/**
 * Plain variables are written to config.json, so anything that looks like a credential is kept out
 * of them and stored in the keychain instead: by name (db_pass, client_secret, auth…) or by value
 * (a JWT, an Authorization scheme, a well-known key prefix, a URL with a password, a long random
 * string). A false positive only costs a keychain entry; a false negative leaks a secret to disk.
 */

/** Substrings of a name that mark a credential (kept from the first version: nothing it caught is missed now). */
export const SECRET_LOOKING_NAME = /secret|passw|token|key|jwt|bearer|cookie|session|credential|private|authoriz|signature/i;

/** Whole words of a name (after camelCase and `-`/`.` split) that mark a credential. */
const SECRET_WORDS = new Set(['pass', 'pwd', 'pw', 'auth', 'creds', 'sig', 'salt', 'otp', 'dsn', 'hmac', 'pin', 'sid', 'priv']);

export const JWT_LIKE = /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/;
/** A JWT anywhere in the value (e.g. after "Bearer "). */
const JWT_INSIDE = /(^|[^\w-])eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/;
/** An HTTP Authorization value: a scheme and its credentials. */
const AUTH_SCHEME = /^(bearer|basic|digest|token|negotiate|hoba|aws4-hmac-sha256)\s+\S{6,}/i;
/** Issuer prefixes of well-known API keys; each needs a random tail, so `sk-west` or `ghp_` alone pass. */
const KNOWN_KEY = new RegExp(
  [
    'sb_secret_[\\w-]{8,}',
    '[sr]k_(live|test)_\\w{8,}',
    'whsec_\\w{8,}',
    'gh[pousr]_\\w{20,}',
    'github_pat_\\w{20,}',
    'glpat-[\\w-]{16,}',
    'xox[abposr]-[\\w-]{10,}',
    '(AKIA|ASIA)[0-9A-Z]{16}',
    'AIza[\\w-]{30,}',
    'ya29\\.[\\w-]{20,}',
    'sk-(ant-|proj-)?[\\w-]{20,}',
    'npm_\\w{30,}',
    'pypi-[\\w-]{30,}',
    'hf_\\w{30,}',
    'dop_v1_[a-f0-9]{32,}',
    'shp(at|ss|ca)_[a-fA-F0-9]{20,}',
    'SG\\.[\\w-]{16,}\\.[\\w-]{16,}',
  ].map((p) => `(^|[^\\w-])${p}`).join('|'),
);
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
/** `Server=…;Password=…` style connection strings. */
const CONNECTION_STRING_PASSWORD = /(^|;)\s*(password|pwd)\s*=/i;

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function secretLookingName(name: string): boolean {
  return SECRET_LOOKING_NAME.test(name) || nameWords(name).some((w) => SECRET_WORDS.has(w));
}

/** A URL carrying credentials: a password in its userinfo, or a secret-named query parameter with a value. */
function urlWithCredentials(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    // Unparseable, but `scheme://user:pass@` is still recognisable.
    return /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i.test(value);
  }
  if (u.password !== '') return true;
  for (const [k, v] of u.searchParams) if (v !== '' && secretLookingName(k)) return true;
  return false;
}

function shannonBitsPerChar(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / s.length) * Math.log2(n / s.length);
  return bits;
}

/**
 * A single long token of mixed-case letters and digits with high entropy: how generated keys look.
 * Identifiers are spared: UUIDs and hex strings (ids, hashes), words joined by `_`/`-`/`.`, and
 * anything shorter than 32 characters.
 */
function randomLooking(value: string): boolean {
  if (value.length < 32 || value.length > 8192) return false;
  if (!/^[A-Za-z0-9+/=_-]+$/.test(value)) return false;
  if (/^[0-9a-fA-F-]+$/.test(value)) return false;
  if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/[0-9]/.test(value)) return false;
  // snake_case / kebab-case identifiers: mostly letters between separators.
  const parts = value.split(/[_-]/);
  if (parts.length > 2 && parts.every((p) => p.length < 16)) return false;
  return shannonBitsPerChar(value) >= 4.2;
}

export function secretLookingValue(value: string): boolean {
  const v = value.trim();
  if (v === '') return false;
  return (
    JWT_LIKE.test(v) ||
    JWT_INSIDE.test(v) ||
    AUTH_SCHEME.test(v) ||
    KNOWN_KEY.test(v) ||
    PRIVATE_KEY_BLOCK.test(v) ||
    CONNECTION_STRING_PASSWORD.test(v) ||
    urlWithCredentials(v) ||
    randomLooking(v)
  );
}

export function looksLikeSecret(name: string, value: string): boolean {
  return secretLookingName(name) || secretLookingValue(value);
}
