import { randomBytes } from 'node:crypto';
import { secretKeys, type SecretStore } from '../secrets/types.js';
import type { RefreshLock } from '../sessions/refresh-lock.js';

/** The lock name under which the secret is made: the app and `tokendesk serve` may both start at once. */
const LOCK_KEY = 'endpoint-secret';

/** The endpoint's secret as stored, or undefined before anyone asked for it. */
export function readEndpointSecret(secrets: SecretStore): Promise<string | undefined> {
  return secrets.get(secretKeys.endpointSecret());
}

/**
 * The per-install secret callers send as `Authorization: Bearer …`, made on first use (256 random
 * bits) and kept in the vault like every other secret. Made under a cross-process lock and read again
 * inside it, so two processes starting together agree on one.
 */
export async function ensureEndpointSecret(secrets: SecretStore, lock: RefreshLock): Promise<string> {
  const existing = await readEndpointSecret(secrets);
  if (existing) return existing;
  return lock.exclusive(LOCK_KEY, async () => {
    const again = await readEndpointSecret(secrets);
    if (again) return again;
    const made = randomBytes(32).toString('base64url');
    await secrets.set(secretKeys.endpointSecret(), made);
    return made;
  });
}
