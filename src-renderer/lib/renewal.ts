import type { IdentityView } from '../../src-main/contract/types.js';
import { liveStatus } from './status.js';

/** "4 min", "40 s": rounded up, so the warning never promises more time than is left. */
export function endsInWords(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  return `${Math.ceil(s / 60)} min`;
}

/**
 * Time left when a session that cannot renew itself is in its last minutes: from the core's
 * endWarningAt (set only for such sessions) until it expires. Otherwise undefined.
 */
export function endsSoon(identity: IdentityView, now: number): number | undefined {
  if (identity.canRenew || identity.endWarningAt === undefined || identity.expiresAt === undefined) return undefined;
  const s = liveStatus(identity, now);
  if (s !== 'valid' && s !== 'expiring') return undefined;
  const left = identity.expiresAt - now;
  return now >= identity.endWarningAt && left > 0 ? left : undefined;
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
