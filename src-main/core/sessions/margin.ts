/**
 * How much life a handed-out token must have left. The configured margin (default 120 s) is scaled
 * down for short-lived tokens, so a 30-second token is not refreshed on every use: never more than a
 * quarter of the token's lifetime.
 */
export function effectiveMarginMs(lifetimeMs: number, marginSeconds: number): number {
  const configured = Math.max(0, marginSeconds) * 1000;
  if (lifetimeMs <= 0) return configured;
  return Math.min(configured, Math.floor(lifetimeMs / 4));
}

export interface Expiring {
  obtainedAt: number;
  expiresAt: number;
}

/** True when the session must be renewed before its token is handed out. */
export function isDue(s: Expiring, now: number, marginSeconds: number): boolean {
  return s.expiresAt - now <= effectiveMarginMs(s.expiresAt - s.obtainedAt, marginSeconds);
}

/**
 * The renewal rule of every reader (the CLI, the app, the endpoint): inside the margin, or less left
 * than the caller's minimum (min-valid).
 */
export function needsRenewal(s: Expiring & { noExpiry?: boolean }, now: number, marginSeconds: number, minValidMs: number | undefined): boolean {
  // A min-valid longer than this token's whole lifetime cannot be met by a renewal (it gives a token of
  // about the same life): renewing for it alone would spend a refresh token on every call (a tool
  // polling the endpoint with min-valid=7200 against 1-hour tokens) and still fail; getFreshToken says so.
  const reachable = minValidMs !== undefined && minValidMs <= s.expiresAt - s.obtainedAt;
  return isDue(s, now, marginSeconds) || (reachable && !s.noExpiry && s.expiresAt - now < minValidMs);
}

export function isExpired(s: Pick<Expiring, 'expiresAt'>, now: number): boolean {
  return s.expiresAt <= now;
}

/** When a background refresh should run: at the start of the margin window. */
export function refreshAt(s: Expiring, marginSeconds: number): number {
  return s.expiresAt - effectiveMarginMs(s.expiresAt - s.obtainedAt, marginSeconds);
}
