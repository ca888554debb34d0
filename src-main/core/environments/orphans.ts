import type { Config } from '../config/schema.js';
import type { ConfigStore } from '../config/store.js';
import { sweepBasis } from '../config/sweep-basis.js';
import { withConfigLocked } from '../config/with-config-locked.js';
import { secretKeys, type SecretKey, type SecretStore } from '../secrets/types.js';
import { PROVIDERS } from '../../contract/providers.js';
import { serversFingerprint } from '../../contract/servers.js';
import type { RefreshLock } from '../sessions/refresh-lock.js';

export interface OrphanSweepDeps {
  config: ConfigStore;
  secrets: SecretStore;
  /** The sessions' lock (sign-in writes a new identity's session under it before listing the identity). */
  lock: RefreshLock;
}

/**
 * Deletes the keychain entries of this config folder that no command can reach any more: those of an
 * environment or identity the configuration does not list, and secret variables an environment does
 * not list. They are what a killed or failed `env remove`, `env add` or sign-in leaves behind.
 *
 * The rule that keeps a write in flight from being taken for an orphan (writers store the secret
 * first and list it in the config second):
 * - `env/<id>/…`: EnvironmentService.add/update write these while holding the config lock, so they
 *   are judged while holding that lock too. An unlisted entry seen then belongs to no write in flight.
 * - `identity/<id>/…`: a sign-in writes the session while holding the identity's refresh lock and
 *   lists the identity before releasing it. An unknown identity is judged under its own lock, after
 *   re-reading the config there, and never while the config lock is held (sign-in takes the identity
 *   lock, then the config lock: the reverse order could deadlock).
 * Entries of any other shape are not ours to judge and are left alone.
 *
 * Judged only against a configuration file that reads (config/sweep-basis.ts): a missing or corrupt
 * one judges nothing (read() would give an empty one and every secret would look orphaned), and
 * entries a moved-aside configuration names are kept for the user to restore.
 *
 * Returns the deleted keys (names only, never values). Throws the keychain's TokenDeskError if it
 * cannot be read; a failed delete stops the sweep (each group of deletes is one write: all or none),
 * and what is left is found by the next one.
 */
export async function removeOrphanSecrets(deps: OrphanSweepDeps): Promise<string[]> {
  const removed: string[] = [];
  const unknownIdentities = new Map<string, string[]>();
  // Looked at before locking: update() would move a corrupt file aside, and the report would be lost here.
  if (!(await sweepBasis(deps.config))) return removed;

  await withConfigLocked(deps.config, async () => {
    // Again under the lock, where no writer of ours is mid-write (the file may have gone meanwhile).
    const basis = await sweepBasis(deps.config);
    if (!basis) return;
    const cfg = basis.config;
    const all = await deps.secrets.loadAll();
    const orphans: SecretKey[] = [];
    for (const key of all.keys()) {
      if (key.startsWith('env/')) {
        if (envEntryIsOrphan(cfg, key, all.get(key)) && !basis.namedAside(ownerId(key))) orphans.push(key as SecretKey);
      } else if (key.startsWith('identity/') && !cfg.identities.some((i) => key.startsWith(`identity/${i.id}/`))) {
        const id = key.slice('identity/'.length, key.lastIndexOf('/'));
        if (basis.namedAside(id)) continue;
        unknownIdentities.set(id, [...(unknownIdentities.get(id) ?? []), key]);
      }
    }
    await deps.secrets.apply(orphans.map((k) => [k, undefined] as const));
    removed.push(...orphans);
  });

  for (const [id, keys] of unknownIdentities) {
    // Lock files are named after the id: only ids this program could have made are locked.
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) continue;
    await deps.lock.exclusive(id, async () => {
      const basis = await sweepBasis(deps.config);
      if (!basis || basis.namedAside(id)) return;
      if (basis.config.identities.some((i) => i.id === id)) return; // a sign-in finished meanwhile
      await deps.secrets.apply(keys.map((k) => [k as SecretKey, undefined] as const));
      removed.push(...keys);
    });
  }
  return removed;
}

/** `env/<id>/api_key` -> `<id>`. */
const ownerId = (key: string) => key.split('/')[1] ?? '';

/**
 * An entry of an unlisted environment, a secret variable its environment does not list, a secret
 * setting its environment's kind does not declare (secretKeys.setting), or the servers of a move the
 * configuration does not show (an edit killed between its vault write and its config write: kept, it
 * would refuse every sign-in at the servers the configuration names).
 */
function envEntryIsOrphan(cfg: Config, key: string, value: string | undefined): boolean {
  const env = cfg.environments.find((e) => key.startsWith(`env/${e.id}/`));
  if (!env) return true;
  if (key === secretKeys.servers(env.id)) return value !== serversFingerprint(env);
  const rest = key.slice(`env/${env.id}/`.length);
  if (rest.startsWith('setting/')) return !PROVIDERS[env.provider].settings.some((s) => s.secret && secretKeys.setting(env.id, s.name) === key);
  if (!rest.startsWith('var/')) return false;
  return !(env.secretVariables ?? []).includes(rest.slice('var/'.length));
}
