import type { Config } from './schema.js';
import type { ConfigStore } from './store.js';

/** Thrown out of a config update to release the lock without writing. */
const READ_ONLY = Symbol('read-only');

/**
 * Runs `fn` holding the config lock, given the configuration read under it, and writes nothing: for a
 * judgement no config writer may interleave with (a sweep of orphans, a leftover of an interrupted move).
 */
export async function withConfigLocked(config: ConfigStore, fn: (cfg: Config) => Promise<void>): Promise<void> {
  try {
    await config.update(async (cfg) => {
      await fn(cfg);
      throw READ_ONLY;
    });
  } catch (e) {
    if (e !== READ_ONLY) throw e;
  }
}
