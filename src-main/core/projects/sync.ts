import type { ConfigStore } from '../config/store.js';
import type { Environment } from '../config/schema.js';
import type { EnvironmentService } from '../environments/service.js';
import { TokenDeskError } from '../errors.js';
import { changesServers, describeMove } from '../../contract/servers.js';
import { toEnvironmentRecord } from './convert.js';
import type { LoadedProjectFile } from './read.js';

export interface SyncOutcome {
  /** The file's environments as stored, in the file's order. */
  environments: Environment[];
  /** The id of the file's default environment, when it names one. */
  defaultId?: string;
  /** What changed that the user must hear of (identities signed out because the file moved an environment to another server). */
  notices: string[];
}

/**
 * Brings config.json's records of a project file's environments in line with the file (the file is
 * their source; their secrets and sessions are the user's, in the vault under their ids). One config
 * write for what changed, none when nothing did. An environment the file moves to another server
 * (scheme, host or port of its URL or of a setting naming a server, an issuer: a `git pull` pointing it elsewhere) goes through EnvironmentService.edit
 * first, which ends its sessions and removes its keys, so no token or key given for the old server is
 * ever sent to the new one. Records of environments the file no longer names are left alone (their
 * sessions stay until the user removes them) and are no longer offered for this folder.
 */
export async function syncProjectFile(deps: { config: ConfigStore; envs: EnvironmentService; now?: () => number }, loaded: LoadedProjectFile): Promise<SyncOutcome> {
  const now = deps.now ?? Date.now;
  const notices: string[] = [];
  const stored = await deps.config.read();
  const records = loaded.project.environments.map((pe) => {
    const r = toEnvironmentRecord(loaded.file, pe, now());
    // parseProjectFile checked each one already; a failure here is a bug, said without a value.
    if (!r.ok) throw new TokenDeskError('invalid_input', `The project file ${loaded.file} is not used: ${pe.name}: ${r.problem}`);
    // The text's revision with each environment: the window edits one on the text it showed, linked file or not.
    return { ...r.env, project: { file: loaded.file, revision: loaded.revision } };
  });
  for (const rec of records) {
    const old = stored.environments.find((e) => e.id === rec.id);
    if (old && changesServers(old, rec)) {
      // The file is the user's repository: its move is confirmed by being there; the sessions end all the same.
      const outcome = await deps.envs.edit(rec.id, { baseUrl: rec.baseUrl, settings: clearedSettings(old, rec), confirmOriginChange: true });
      if (outcome.signedOut.length > 0) {
        const m = describeMove(old, rec);
        notices.push(`${loaded.file} moved "${rec.name}"${m.what === 'URL' ? '' : ' (its servers)'} from ${m.from} to ${m.to}: ${outcome.signedOut.join(', ')} signed out there; sign in again`);
      }
      notices.push(...outcome.warnings);
    }
  }
  const next = await deps.config.update((cfg) => {
    const byId = new Map(cfg.environments.map((e) => [e.id, e]));
    const merged = cfg.environments.map((e) => {
      const rec = records.find((r) => r.id === e.id);
      // Kept from the stored record: when it was first seen, and what the user decided on this machine
      // (the endpoint's production allow, the Postman id an export writes back), which no file holds.
      return rec ? { ...rec, createdAt: e.createdAt, ...(e.endpointAllowed !== undefined && { endpointAllowed: e.endpointAllowed }), ...(e.postmanId !== undefined && { postmanId: e.postmanId }) } : e;
    });
    for (const rec of records) if (!byId.has(rec.id)) merged.push(rec);
    return { ...cfg, environments: merged };
  });
  const environments = records.map((r) => next.environments.find((e) => e.id === r.id)!);
  const def = loaded.project.default?.toLowerCase();
  const defaultId = def === undefined ? undefined : environments.find((e) => e.name.toLowerCase() === def)?.id;
  return { environments, ...(defaultId !== undefined && { defaultId }), notices };
}

/** The edit's settings patch: the file's, with '' for each stored setting the file dropped (its default applies again). */
function clearedSettings(old: Environment, rec: Environment): Record<string, string> {
  const out: Record<string, string> = { ...rec.settings };
  for (const name of Object.keys(old.settings)) if (!(name in out)) out[name] = '';
  return out;
}
