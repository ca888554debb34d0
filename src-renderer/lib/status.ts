import type { IdentityView, SessionStatus } from '../../src-main/contract/types.js';
import { clockDuration, shortDuration } from './format.js';

export const statusWord: Record<SessionStatus, string> = {
  valid: 'valid',
  refreshing: 'refreshing',
  expiring: 'expiring',
  expired: 'expired',
  signed_out: 'signed out',
  error: 'error',
  ended: 'ended by the server',
};

/** The status as of `now`: a token past its expiry is expired even before the next state arrives. */
export function liveStatus(identity: IdentityView, now: number): SessionStatus {
  const s = identity.status;
  if ((s === 'valid' || s === 'expiring' || s === 'refreshing') && identity.expiresAt !== undefined && identity.expiresAt <= now) {
    return s === 'refreshing' ? 'refreshing' : 'expired';
  }
  return s;
}

export function hasTimeLeft(s: SessionStatus): boolean {
  return s === 'valid' || s === 'expiring' || s === 'refreshing';
}

/** "valid · 41:12 left", "expired", "signed out". */
export function statusText(identity: IdentityView, now: number, compact = false): string {
  const s = liveStatus(identity, now);
  // A pasted token without an end: its expiresAt is a placeholder a year on, not a countdown to show.
  if (hasTimeLeft(s) && identity.noExpiry) return compact ? 'no expiry' : `${statusWord[s]} · no expiry`;
  if (hasTimeLeft(s) && identity.expiresAt !== undefined) {
    const left = identity.expiresAt - now;
    return compact ? shortDuration(left) : `${statusWord[s]} · ${clockDuration(left)} left`;
  }
  return statusWord[s];
}
