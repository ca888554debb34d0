import { TokenDeskError } from '../errors.js';
import type { SecretStore } from './types.js';

/**
 * Resolves only when the vault cannot be opened because its key is gone from the keychain
 * (`vault_key_missing`: the keychain was reset, or the item deleted), the one case where starting
 * over is offered. A vault that opens is refused with its own message, and a locked or unreachable
 * keychain's error is thrown as it is: moving a vault whose key is merely locked away would lose
 * every session and key it holds for nothing.
 */
export async function assertVaultKeyLost(secrets: Pick<SecretStore, 'loadAll'>): Promise<void> {
  try {
    await secrets.loadAll();
  } catch (e) {
    if (e instanceof TokenDeskError && e.code === 'vault_key_missing') return;
    throw e;
  }
  throw new TokenDeskError('invalid_input', 'The secrets vault opens with its key from the OS keychain: there is nothing to start over, and nothing was changed');
}

/**
 * Starting over after the vault's key was lost: the vault is moved aside, kept and never deleted, so
 * TokenDesk makes a new, empty one. Only in that case (assertVaultKeyLost); returns where the old file went.
 */
export async function startOverAfterLostKey(secrets: Pick<SecretStore, 'loadAll'>, moveAside: () => Promise<string | undefined>): Promise<string> {
  await assertVaultKeyLost(secrets);
  const aside = await moveAside();
  if (aside !== undefined) return aside;
  throw new TokenDeskError('not_found', 'The secrets vault is no longer there (another TokenDesk process started over meanwhile); nothing was changed');
}
