import { TokenDeskError } from '../errors.js';
import type { ConfigStore } from '../config/store.js';
import { sweepBasis } from '../config/sweep-basis.js';
import type { SecretKey, SecretStore } from '../secrets/types.js';
import type { ProfileStore } from './profile-store.js';
import type { RefreshLock } from './refresh-lock.js';

export interface InterruptedSignInDeps {
  config: ConfigStore;
  secrets: SecretStore;
  lock: RefreshLock;
  profiles: ProfileStore;
}

/** Per start: a folder full of leftovers is cleared over a few starts, never in one long wait. */
export const MAX_SWEPT_PER_START = 16;
/** Lock names are identity ids this program made (random UUIDs); anything else is not ours to judge. */
const IDENTITY_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * Deletes what a sign-in killed between its vault write and its config write left behind (issue 27:
 * 15 in 1,100 kills): the new identity's session, remembered password and profile file, which no
 * configuration lists and so no command could reach or remove. Run at every start, in the background.
 *
 * Cheap when there is nothing to do: such a sign-in dies holding its identity's lock (the first
 * sign-in of an identity writes the vault and lists the identity under it; a sign-in of an identity
 * already listed leaves nothing unlisted and takes no such lock), so its lock folder is still there. Only those folders are
 * read; the keychain is touched only when one names an identity the configuration does not list
 * (the vault's key is read once per process at most, and on macOS each read may ask for access).
 * Other leftovers (a failed sign-in whose undo failed too) are left to the full sweep that follows an
 * `env remove` and the app's start (environments/orphans.ts).
 *
 * Safe against a sign-in in flight in another process: each identity is judged while holding its
 * lock, after reading the configuration again there (orphans.ts's rule). A live holder is not waited
 * for (the command must not hang at exit): that identity is left for the next start. Locks of listed
 * identities are never touched, so a killed renewal's note for its successor stays. No configuration
 * file, or one that cannot be read, means nothing is judged: an empty list would make every session
 * look orphaned; identities a moved-aside configuration names are kept (config/sweep-basis.ts, the
 * rule all the sweeps share). Returns the deleted vault keys (names only).
 */
export async function sweepInterruptedSignIns(deps: InterruptedSignInDeps, max = MAX_SWEPT_PER_START): Promise<string[]> {
  const locked = (await deps.lock.presentKeys()).filter((k) => IDENTITY_ID.test(k));
  if (locked.length === 0) return [];
  const basis = await sweepBasis(deps.config);
  if (!basis) return [];
  const listed = new Set(basis.config.identities.map((i) => i.id));
  const removed: string[] = [];
  for (const id of locked.filter((k) => !listed.has(k) && !basis.namedAside(k)).slice(0, max)) {
    try {
      await deps.lock.exclusive(
        id,
        async () => {
          const now = await sweepBasis(deps.config);
          if (!now || now.namedAside(id) || now.config.identities.some((i) => i.id === id)) return; // its sign-in finished meanwhile
          const keys = [...(await deps.secrets.loadAll()).keys()].filter((k) => k.startsWith(`identity/${id}/`));
          await deps.secrets.apply(keys.map((k) => [k as SecretKey, undefined] as const));
          await deps.profiles.delete(id);
          removed.push(...keys);
        },
        { waitMs: 0 },
      );
    } catch (e) {
      // A live holder (a sign-in or renewal in flight): judged at a later start.
      if (e instanceof TokenDeskError && e.code === 'config_locked') continue;
      throw e;
    }
  }
  return removed;
}
