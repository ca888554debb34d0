import type { SessionCheck } from '../providers/types.js';

/**
 * What checking one identity's session with its server came to (issue 27), for `status --check`
 * and the app's "Check now":
 * - accepted: the server accepted the access token;
 * - renewed: it refused the access token alone, and a refresh was accepted (the session lives on);
 * - ended: it refused the session; the session was removed and the server's reason recorded, so
 *   every reader (the window, `status`, `token`'s fast path) sees it signed out with that reason;
 * - unknown: no answer to go by (network failure, timeout, 5xx): nothing changed;
 * - skipped: nothing to check (signed out, or the token expired already: the next use renews it).
 */
export type SessionCheckResult = 'accepted' | 'renewed' | 'ended' | 'unknown' | 'skipped';

export interface SessionCheckOutcome {
  identityId: string;
  envId: string;
  email: string;
  result: SessionCheckResult;
  /** Why, in the server's words where it gave any (never a secret: server text is sanitised). */
  reason?: string;
}

/**
 * The error codes a provider gives when the server itself refused a refresh token (GoTrue's
 * refresh_token_not_found, session_expired, ... mapped in providers/supabase/errors.ts; its JWT
 * codes bad_jwt, session_not_found ... as session_expired): only these end a session after a check.
 */
export const REFRESH_REFUSED: ReadonlySet<string> = new Set(['refresh_rejected', 'session_expired']);

/** The reason recorded for an ended session: what the window, `status` and `token` then say. */
export function endedReason(check: Extract<SessionCheck, { outcome: 'refused' }>): string {
  const code = check.serverCode ? ` (${check.serverCode})` : ` (${check.status})`;
  return `The server ended this session: ${check.reason}${code}`;
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of `items`. */
export async function mapPooled<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
