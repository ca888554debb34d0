import { isEpochMs, MAX_LIFETIME_MS } from '../core/providers/lifetime.js';
import { isDue } from '../core/sessions/margin.js';

/**
 * providers/token-syntax.ts's rule (RFC 6750 b64token, at most 16 KiB), copied because that module
 * brings zod; tests/unit/cli-fast-token.test.ts holds the two to the same answers.
 */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_TOKEN_CHARS = 16 * 1024;
export const isBearerTokenFast = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TOKEN_CHARS && B64TOKEN.test(v);

/**
 * The access token of a vault session entry when session-codec.ts decodeSession would accept the
 * entry and the session is not due (margin.ts): what `token` prints. Undefined otherwise — due,
 * malformed, or an entry with a profile inside (the vault keeps tokens only), which the full path decodes.
 */
export function freshAccessToken(text: string | undefined, marginSeconds: number, now: number): string | undefined {
  if (text === undefined) return undefined;
  let s: unknown;
  try {
    s = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return undefined;
  const { provider, accessToken, refreshToken, obtainedAt, expiresAt, profile } = s as Record<string, unknown>;
  if (profile !== undefined) return undefined;
  if (provider !== 'supabase' && provider !== 'session') return undefined;
  if (!isBearerTokenFast(accessToken) || (refreshToken !== undefined && !isBearerTokenFast(refreshToken))) return undefined;
  if (typeof obtainedAt !== 'number' || typeof expiresAt !== 'number' || !isEpochMs(obtainedAt) || !isEpochMs(expiresAt)) return undefined;
  // decodeSession cuts a lifetime beyond the longest TokenDesk believes.
  const expires = expiresAt - obtainedAt > MAX_LIFETIME_MS ? obtainedAt + MAX_LIFETIME_MS : expiresAt;
  return isDue({ obtainedAt, expiresAt: expires }, now, marginSeconds) ? undefined : accessToken;
}
