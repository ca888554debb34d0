import type { IdentityView } from '../../src-main/contract/types.js';
import { liveStatus } from './status.js';

/** "4 min", "40 s": rounded up, so the warning never promises more time than is left. */
export function endsInWords(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  return `${Math.ceil(s / 60)} min`;
}

/**
 * Time left when a session that cannot renew itself, or whose refresh token has its own end, is in
 * its last minutes: from the core's endWarningAt until that end. Otherwise undefined.
 */
export function endsSoon(identity: IdentityView, now: number): number | undefined {
  // A renewing session ends for good only when its refresh token has an end of its own (refreshExpiresAt).
  const end = identity.canRenew ? identity.refreshExpiresAt : identity.expiresAt;
  if (identity.endWarningAt === undefined || end === undefined) return undefined;
  const s = liveStatus(identity, now);
  if (s !== 'valid' && s !== 'expiring') return undefined;
  const left = end - now;
  return now >= identity.endWarningAt && left > 0 ? left : undefined;
}

/** Why a session in its last minutes ends: it cannot renew itself, or its refresh token ends. */
export function endsWhy(identity: IdentityView): string {
  return identity.canRenew ? 'its refresh token ends then (the provider said so)' : 'it cannot renew itself';
}

/** The line under an identity's email: does it renew itself, and how. */
export function renewalNote(identity: IdentityView): string {
  if (identity.renewal === 'refresh_token') return 'renews itself (refresh token)';
  if (identity.renewal === 'remembered_password') return 'renews itself (remembered password)';
  if (identity.renewal === 'client_credentials') return 'renews itself (client credentials)';
  // Nothing to renew: "does not renew itself" would read as a warning about a token that never ends.
  if (identity.noExpiry) return 'needs no renewal';
  return identity.canRememberPassword ? 'does not renew itself: password not remembered' : 'does not renew itself';
}
