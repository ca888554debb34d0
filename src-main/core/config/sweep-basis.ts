import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readRegularFile } from '../fs/read-regular-file.js';
import type { Config } from './schema.js';
import { MAX_CONFIG_BYTES, type ConfigStore } from './store.js';

/** What the sweeps may delete a vault entry or a profile file on the strength of. */
export interface SweepBasis {
  config: Config;
  /** A configuration the store moved aside names this id: its entries stay for the user to restore. */
  namedAside(id: string): boolean;
}

/**
 * The configuration the sweeps (environments/orphans.ts, sessions/interrupted-sign-ins.ts, the profile
 * sweep in sessions/manager.ts) judge against, or undefined when nothing may be judged.
 *
 * A configuration that is missing, unreadable or corrupt is undefined here, never an empty one: read()
 * returns an empty configuration once a corrupt file has been moved aside (and when the file is
 * missing), and judged against that every secret in the vault looks orphaned. peek() never locks
 * and never moves a file aside, so a background sweep does not swallow the report a command owes its
 * user. And once a new config.json is written (the user carries on after the report), the moved-aside
 * file still names the environments and identities whose secrets the user gets back by fixing and
 * restoring it: ids are random UUIDs, so a plain text search of the file (which may not parse) is
 * enough to spare them. A moved-aside file that cannot be read spares everything.
 */
export async function sweepBasis(store: ConfigStore): Promise<SweepBasis | undefined> {
  const config = await store.peek();
  if (!config) return undefined;
  const aside = await movedAsideTexts(store.path);
  if (!aside) return undefined;
  return { config, namedAside: (id) => aside.some((text) => text.includes(id)) };
}

/** The texts of `config.json.corrupt-*` (ConfigStore's name for a file it moved aside); undefined if one cannot be read. */
async function movedAsideTexts(path: string): Promise<string[] | undefined> {
  const prefix = `${basename(path)}.corrupt-`;
  const names = (await readdir(dirname(path)).catch(() => [] as string[])).filter((n) => n.startsWith(prefix));
  const texts: string[] = [];
  for (const name of names) {
    const text = await readRegularFile(join(dirname(path), name), MAX_CONFIG_BYTES).then(
      (b) => b?.toString('utf8') ?? '', // gone meanwhile (the user restored or deleted it): names nothing
      () => undefined,
    );
    if (text === undefined) return undefined;
    texts.push(text);
  }
  return texts;
}
