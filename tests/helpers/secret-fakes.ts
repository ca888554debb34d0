import type { SecretChanges, SecretStore } from '../../src-main/core/secrets/types.js';

/**
 * SecretStore.apply for a test fake: its own set and delete, one change after the other, so a fake's
 * failure or pause on one key still happens when the core changes several at once. Not atomic, unlike
 * the vault: a test of all-or-nothing uses the real store.
 */
export async function applyEach(store: Pick<SecretStore, 'set' | 'delete'>, changes: SecretChanges): Promise<void> {
  for (const [key, value] of changes) await (value === undefined ? store.delete(key) : store.set(key, value));
}
