import type { Expiring } from './margin.js';

/** How long ahead a session that cannot renew itself is announced: 10 min, or half its life if shorter. */
export const END_WARNING_MS = 10 * 60_000;

/**
 * When to start saying "ends in N min — sign in again / remember password" for a session that cannot
 * renew itself. The app shows it from then on and the scheduler fires `session-expiring` at this time.
 */
export function endWarningAt(s: Expiring): number {
  const lifetime = Math.max(0, s.expiresAt - s.obtainedAt);
  return s.expiresAt - Math.min(END_WARNING_MS, Math.floor(lifetime / 2));
}

/**
 * When a session ends for good though it renews itself: its refresh token's own end, where the server
 * said (Keycloak's refresh_expires_in). Undefined when it has none or no refresh token.
 */
export function refreshEndOf(s: Expiring & { refreshToken?: string; refreshExpiresAt?: number }): number | undefined {
  return s.refreshToken && s.refreshExpiresAt !== undefined ? s.refreshExpiresAt : undefined;
}

/** When to start warning that the refresh token ends: the same rule as endWarningAt, counted to its end. */
export function refreshEndWarningAt(s: Expiring & { refreshToken?: string; refreshExpiresAt?: number }): number | undefined {
  const end = refreshEndOf(s);
  return end === undefined ? undefined : endWarningAt({ obtainedAt: s.obtainedAt, expiresAt: end });
}
