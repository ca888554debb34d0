import { isEpochMs, MAX_LIFETIME_MS } from '../core/providers/lifetime.js';
import { isDue } from '../core/sessions/margin.js';
// The kinds and the token syntax session-codec.ts's schema holds stored sessions to, without its zod.
import { isStoredKind, isTokenSyntax } from '../core/stored-rules.js';

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
  // Every catalogue kind: a kind left out would send each of its sessions to the full CLI.
  if (!isStoredKind(provider)) return undefined;
  if (!isTokenSyntax(accessToken) || (refreshToken !== undefined && !isTokenSyntax(refreshToken))) return undefined;
  if (typeof obtainedAt !== 'number' || typeof expiresAt !== 'number' || !isEpochMs(obtainedAt) || !isEpochMs(expiresAt)) return undefined;
  // decodeSession cuts a lifetime beyond the longest TokenDesk believes.
  const expires = expiresAt - obtainedAt > MAX_LIFETIME_MS ? obtainedAt + MAX_LIFETIME_MS : expiresAt;
  return isDue({ obtainedAt, expiresAt: expires }, now, marginSeconds) ? undefined : accessToken;
}
