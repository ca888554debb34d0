import type { AppEvent } from '../contract/types.js';
import { sanitizeForDisplay } from '../core/text/sanitize.js';

export interface IdentityInfo {
  envName: string;
  email: string;
  canRenew: boolean;
  /** The session's expiry as last seen: a new session gets new notifications. */
  expiresAt?: number;
  /** When its refresh token itself ends (the server said): it renews until then, then needs a sign-in. */
  refreshExpiresAt?: number;
}

export interface Notice {
  title: string;
  body: string;
  identityId: string;
  envId: string;
}

/**
 * Decides which events deserve a desktop notification: a session about to expire that cannot renew
 * itself, a session that expired, a refresh that failed for good. Each at most once per session (an
 * event repeated on every tick notifies once), so the user is never notified in a loop.
 */
export class NotificationPolicy {
  /** Keys already notified, per identity. */
  private readonly seen = new Map<string, Set<string>>();

  constructor(private readonly lookup: (identityId: string) => IdentityInfo | undefined) {}

  decide(e: AppEvent): Notice | null {
    switch (e.type) {
      case 'session-refreshed':
        // A fresh session: its own expiry and failures are news again.
        this.forget(e.identityId);
        return null;
      case 'session-expiring': {
        const who = this.lookup(e.identityId);
        // A renewing session is announced only when its refresh token has an end of its own.
        if (!who || (who.canRenew && who.refreshExpiresAt === undefined)) return null;
        return this.once(`expiring:${e.expiresAt}`, e, `${who.envName}: session expires soon`,
          `${who.email} will be signed out at ${new Date(e.expiresAt).toLocaleTimeString()}. Sign in again to keep copying tokens.`);
      }
      case 'session-expired': {
        const who = this.lookup(e.identityId);
        if (!who) return null;
        return this.once(`expired:${who.expiresAt ?? ''}`, e, `${who.envName}: session expired`,
          `${who.email} is signed out. Sign in again to get a new token.`);
      }
      case 'refresh-failed': {
        if (!e.final) return null;
        const who = this.lookup(e.identityId);
        if (!who) return null;
        return this.once(`failed:${who.expiresAt ?? ''}`, e, `${who.envName}: could not renew the session`,
          `${who.email}: the session could not be renewed. Sign in again.`);
      }
      default:
        return null;
    }
  }

  private once(key: string, e: { identityId: string; envId: string }, title: string, body: string): Notice | null {
    const keys = this.seen.get(e.identityId) ?? new Set<string>();
    if (keys.has(key)) return null;
    keys.add(key);
    this.seen.set(e.identityId, keys);
    // Names and emails come from the server or an imported file: the notification shows plain text only.
    return { title: sanitizeForDisplay(title), body: sanitizeForDisplay(body), identityId: e.identityId, envId: e.envId };
  }

  private forget(identityId: string): void {
    this.seen.delete(identityId);
  }
}
