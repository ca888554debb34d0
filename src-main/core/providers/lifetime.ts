import { TokenDeskError } from '../errors.js';

/**
 * The range of token lifetimes TokenDesk believes (measured on the local clock, after skew correction).
 *
 * - Shorter than MIN_LIFETIME_MS: refused. Such a token is dead before the command that asked for it
 *   can use it (`expires_in: 0.001`, an `expiresAt` in the past), so storing it would hand out an
 *   expired token with exit 0. The floor is 1 s, not more: test servers and some gateways issue
 *   2–5 s tokens on purpose, and the margin already scales down for short-lived tokens.
 * - Longer than MAX_LIFETIME_MS (365 days, Infinity included): clamped to it. The tokens in the
 *   answer are real and, for a refresh, the old refresh token is already spent, so refusing would lose
 *   the session; clamping keeps it and only means TokenDesk renews after a year at the latest, which
 *   is harmless. `expires_in: 1e306` (×1000 is Infinity) or an `expiresAt` in year 9999 end up here.
 * - Not a number at all: refused.
 */
export const MIN_LIFETIME_MS = 1_000;
export const MAX_LIFETIME_MS = 365 * 24 * 3600_000;

/** Epoch ms a JS Date can hold (±8.64e15): anything beyond cannot be shown or stored as a time. */
export const MAX_EPOCH_MS = 8.64e15;

export function isEpochMs(v: number): boolean {
  return Number.isFinite(v) && Math.abs(v) <= MAX_EPOCH_MS;
}

/** "0.001 s", "0.25 s": three significant digits at most. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(3))} s`;
}

/**
 * The local expiry for a token received at `receivedAt` that the server says lives `lifetimeMs`.
 * Throws `bad_response` (nothing is stored) for a lifetime that is not a number or too short; clamps
 * one that is too long. `source` names what the server sent, for the message ("expires_in").
 */
export function expiryFromLifetime(receivedAt: number, lifetimeMs: number, source: string, status?: number): number {
  const opts = status === undefined ? {} : { status };
  if (Number.isNaN(lifetimeMs)) {
    throw new TokenDeskError('bad_response', `The server sent a token lifetime (${source}) that is not a number; nothing was stored`, opts);
  }
  if (lifetimeMs <= 0) {
    throw new TokenDeskError('bad_response', `The server issued a token that has already expired (${source}); nothing was stored`, opts);
  }
  if (lifetimeMs < MIN_LIFETIME_MS) {
    throw new TokenDeskError(
      'bad_response',
      `The server issued a token that lives only ${seconds(lifetimeMs)} (${source}); a token must live at least ${MIN_LIFETIME_MS / 1000} s, so nothing was stored`,
      opts,
    );
  }
  return receivedAt + Math.round(Math.min(lifetimeMs, MAX_LIFETIME_MS));
}
