import { existsSync } from 'node:fs';
import { TokenDeskError } from '../errors.js';
import type { KeytarLike } from './keytar.js';
import { keyFile } from './passphrase-keychain.js';
import { describeChoice, SECRET_STORE_VARIABLE, type SecretStoreChoice } from './store-choice.js';
import type { SecretStore } from './types.js';
import { DATA_KEY_ACCOUNT, vaultFile } from './vault-peek.js';

/**
 * When the vault's key is missing from the store chosen, is it in the other one? Then the key is not
 * lost: the wrong store was chosen (a cron job or an IDE task without TOKENDESK_SECRET_STORE, the app
 * opened from the menu, a config.json moved aside with its secretStore setting; or `file` chosen on a
 * keychain folder). That is `secret_store_mismatch`, naming the choice that opens the vault, and
 * never vault_key_missing: that one offers to start over, which would move aside a vault that opens.
 * - the keychain chosen and `secrets.key` present: the key is in the file (its presence is enough:
 *   only the file store writes it);
 * - the file store chosen, no `secrets.key`, and the OS keychain holds the folder's data key. Asked
 *   only here, once the key is known to be missing, so the file store never touches a keychain
 *   otherwise; a keychain that cannot answer (none on this machine) leaves vault_key_missing, said of
 *   the key file rather than the keychain.
 */
export async function storeMismatch(
  home: string,
  choice: SecretStoreChoice,
  keychainHasKey: () => Promise<boolean>,
): Promise<TokenDeskError | undefined> {
  const vault = vaultFile(home);
  const keep = `Nothing was changed, and there is nothing to start over: the vault and its key are intact`;
  if (choice.kind === 'keychain') {
    if (!existsSync(keyFile(home))) return undefined;
    return new TokenDeskError(
      'secret_store_mismatch',
      `The key of the secrets vault ${vault} is in the passphrase-protected file ${keyFile(home)}, not in the OS keychain, which was chosen (${describeChoice(choice)}): set ${SECRET_STORE_VARIABLE}=file (or the secretStore setting "file") to open it. ${keep}`,
    );
  }
  if (existsSync(keyFile(home))) return undefined;
  const inKeychain = await keychainHasKey().catch(() => false);
  if (!inKeychain) {
    // Really lost (the key file deleted): still vault_key_missing, start-over offered, but naming the file.
    return new TokenDeskError(
      'vault_key_missing',
      `The key file ${keyFile(home)} of the secrets vault ${vault} is gone (deleted, or the folder restored without it), so the sessions and keys the vault holds cannot be read. Nothing was changed. To start over with an empty vault (the old file is kept aside; you sign in again and re-enter the environments' keys): "Start over" in the app, or tokendesk vault start-over`,
    );
  }
  return new TokenDeskError(
    'secret_store_mismatch',
    `The key of the secrets vault ${vault} is in the OS keychain, not in a passphrase-protected file, which was chosen (${describeChoice(choice)}): ${choice.by === 'variable' ? `unset ${SECRET_STORE_VARIABLE} (or set it to keychain)` : `set ${SECRET_STORE_VARIABLE}=keychain (or the secretStore setting "keychain")`} to open it. ${keep}`,
  );
}

/** Whether the OS keychain holds the data key under `service` (a locked keyring answers no). */
export const keychainHolds = (kt: () => Promise<KeytarLike>, service: string) => async (): Promise<boolean> =>
  (await (await kt()).getPassword(service, DATA_KEY_ACCOUNT)) !== null;

/**
 * The store with its vault_key_missing explained when the other store holds the key: every caller
 * (the CLI, the app's state, start-over's own check) sees the mismatch instead.
 */
export function explainingMissingKey(store: SecretStore, explain: () => Promise<TokenDeskError | undefined>): SecretStore {
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      if (e instanceof TokenDeskError && e.code === 'vault_key_missing') throw (await explain()) ?? e;
      throw e;
    }
  };
  return {
    loadAll: () => guard(() => store.loadAll()),
    get: (key) => guard(() => store.get(key)),
    set: (key, value) => guard(() => store.set(key, value)),
    delete: (key) => guard(() => store.delete(key)),
    apply: (changes) => guard(() => store.apply(changes)),
    update: (decide) => guard(() => store.update(decide)),
  };
}
