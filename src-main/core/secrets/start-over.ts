import { existsSync } from 'node:fs';
import { TokenDeskError } from '../errors.js';
import type { SecretStore } from './types.js';

/** Why starting over is offered: the vault's key is gone, or the vault is an older copy put back. */
export type StartOverReason = 'vault_key_missing' | 'vault_rolled_back';

/**
 * Resolves only when the vault at `vaultPath` exists and cannot be used: its key is gone from the
 * keychain (`vault_key_missing`: the keychain was reset, or the item deleted), or it was restored
 * from an older copy (`vault_rolled_back`: its sessions may be signed out or their refresh tokens
 * spent), the two cases where starting over is offered; says which. No vault, or one that opens, is
 * refused with its own message; a locked or unreachable keychain's error is thrown as it is: moving
 * a vault whose key is merely locked away would lose every session and key it holds for nothing.
 */
export async function assertVaultKeyLost(secrets: Pick<SecretStore, 'loadAll'>, vaultPath: string): Promise<StartOverReason> {
  if (!existsSync(vaultPath)) throw noVault(vaultPath);
  try {
    await secrets.loadAll();
  } catch (e) {
    if (e instanceof TokenDeskError && (e.code === 'vault_key_missing' || e.code === 'vault_rolled_back')) return e.code;
    throw e;
  }
  throw nothingToStartOver();
}

export const noVault = (vaultPath: string): TokenDeskError =>
  new TokenDeskError('not_found', `There is no secrets vault at ${vaultPath} to start over (another TokenDesk process may have started over already); nothing was changed`);

/** The refusal when the vault opens after all; `how` says how its key was found, when not the usual way. */
export const nothingToStartOver = (how = ''): TokenDeskError =>
  new TokenDeskError('invalid_input', `The secrets vault opens with its key from the OS keychain${how}: there is nothing to start over, and nothing was changed`);

/**
 * Starting over after the vault's key was lost: the vault is moved aside, kept and never deleted, so
 * TokenDesk makes a new, empty one. Only in that case: checked here (assertVaultKeyLost), then again
 * by `moveAside` under the vault's lock (VaultStore.startOver), where no other process can make a key
 * meanwhile. Returns where the old file went.
 */
export async function startOverAfterLostKey(secrets: Pick<SecretStore, 'loadAll'>, vaultPath: string, moveAside: () => Promise<string>): Promise<string> {
  await assertVaultKeyLost(secrets, vaultPath);
  return moveAside();
}
