import { mapKeychainError } from './keychain-errors.js';
import { keychainService, loadKeytar, type KeytarLike } from './keytar.js';
import { readServiceRecordSync } from './service-record.js';
import { createVaultStore, type VaultStore, type VaultStoreOptions } from './vault.js';

export { keychainService, type KeytarLike } from './keytar.js';

/** The secret store of a config folder: the vault (vault.ts), whose data key is the folder's only keychain item (keytar, one service per folder). */
export function createKeychainStore(home: string, opts: VaultStoreOptions = {}): VaultStore {
  return createVaultStore(home, opts);
}

/**
 * Removes every keychain item of a config folder: the vault key and the probe (tests, and a future
 * "forget everything"). The vault file goes with the folder.
 */
export async function deleteAllForHome(home: string, opts: { keytar?: KeytarLike } = {}): Promise<void> {
  const kt = opts.keytar ?? (await loadKeytar());
  // The folder's recorded service and the one its path gives now (a folder without a record, or the
  // old key a start-over left under that name).
  const services = new Set([readServiceRecordSync(home) ?? keychainService(home), keychainService(home)]);
  try {
    for (const service of services) {
      for (const { account } of await kt.findCredentials(service)) await kt.deletePassword(service, account);
    }
  } catch (e) {
    throw mapKeychainError(e, 'delete');
  }
}
