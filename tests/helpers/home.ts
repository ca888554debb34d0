import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteAllForHome } from '../../src-main/core/secrets/keychain.js';
import { vaultFile } from '../../src-main/core/secrets/vault.js';

/**
 * A throwaway TOKENDESK_HOME: its own config file, vault and keychain service. `cleanup` removes the
 * folder at once and, when a vault was made there, the vault's key from the keychain (await it to be
 * sure it is gone; a keychain that cannot be reached is ignored).
 */
export function makeHome(prefix = 'tokendesk-test-'): { dir: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    cleanup: () => {
      const hadVault = existsSync(vaultFile(dir));
      // The keychain first: it reads the folder's record of which service holds the key.
      const keys = hadVault ? deleteAllForHome(dir).catch(() => undefined) : Promise.resolve();
      rmSync(dir, { recursive: true, force: true });
      return keys;
    },
  };
}
