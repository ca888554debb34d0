import type { ConfigStore } from '../config/store.js';
import { withConfigLocked } from '../config/with-config-locked.js';
import { secretKeys, type SecretStore } from '../secrets/types.js';
import { serversFingerprint } from '../../contract/servers.js';

/**
 * Removes the servers a move recorded for `envId` (secretKeys.servers) when the configuration does
 * not show them: an edit killed between its vault write and its config write left it, and kept it
 * would refuse every sign-in. Judged under the config lock, which a move holds across both of its
 * writes, so a move in progress is waited for and its record is never taken for a leftover. True
 * when one was removed.
 */
export async function clearStaleServersRecord(config: ConfigStore, secrets: SecretStore, envId: string): Promise<boolean> {
  const key = secretKeys.servers(envId);
  let cleared = false;
  await withConfigLocked(config, async (cfg) => {
    const env = cfg.environments.find((e) => e.id === envId);
    await secrets.update((read) => {
      const recorded = read(key);
      if (recorded === undefined || (env && recorded === serversFingerprint(env))) return [];
      cleared = true;
      return [[key, undefined]];
    });
  });
  return cleared;
}
