import type { Factory } from './factory.js';
import { findProjectFile, loadProjects, TokenDeskError, type Config, type Environment } from '../core/facade.js';
import { UsageError } from './output.js';

/** The project file governing the current folder, as the CLI offers it (issue 24). */
export interface ProjectContext {
  /** The file's real path. */
  file: string;
  /** Its environments as stored in config.json (ids derived from the file's path and their names). */
  environments: Environment[];
  /** The environment the file names as its default. */
  defaultId?: string;
}

const contexts = new WeakMap<Factory, Promise<ProjectContext | undefined>>();

/**
 * The project file from the current folder upward to the repository root (core/projects/discover.ts),
 * read, checked and synced into config.json once per command. A file that cannot be used (a secret in
 * it, a bad field) is said on stderr with the field named, and the command goes on with the user's own
 * environments: a broken file in a repository must not stop `--env` on one's own.
 */
export function projectContext(f: Factory): Promise<ProjectContext | undefined> {
  let p = contexts.get(f);
  if (!p) {
    p = load(f);
    contexts.set(f, p);
  }
  return p;
}

async function load(f: Factory): Promise<ProjectContext | undefined> {
  const found = findProjectFile(process.cwd());
  if (found === undefined) return undefined;
  const projects = await loadProjects();
  try {
    const loaded = await projects.readProjectFile(found);
    const core = f.core();
    const synced = await projects.syncProjectFile({ config: core.config, envs: core.envs }, loaded);
    for (const n of synced.notices) f.term.warn(n);
    return { file: loaded.file, environments: synced.environments, ...(synced.defaultId !== undefined && { defaultId: synced.defaultId }) };
  } catch (e) {
    if (!(e instanceof TokenDeskError) || e.code !== 'invalid_input') throw e;
    f.term.warn(e.message);
    return undefined;
  }
}

/** An environment as the CLI names it: an own one by its name, a project file's with the file after it. */
export function shownName(env: Environment): string {
  return env.project ? `${env.name} (project ${env.project.file})` : env.name;
}

/** The environments a command in this folder may act on: the user's own, and the current project file's. */
export function offered(cfg: Config, project: ProjectContext | undefined): Environment[] {
  const ids = new Set(project?.environments.map((e) => e.id) ?? []);
  return cfg.environments.filter((e) => !e.project || ids.has(e.id));
}

/**
 * `--env REF` (or TOKENDESK_ENV) to an environment id: an id names any environment; a name, one of
 * those offered here. `project:NAME` and `own:NAME` pick one side when an own environment and the
 * project file's share a name, which is refused rather than guessed (issue 24: never merged silently).
 */
export function resolveGivenEnv(cfg: Config, given: string, project: ProjectContext | undefined): string {
  const byId = cfg.environments.find((e) => e.id === given);
  if (byId) return byId.id;
  const m = /^(project|own):(.+)$/i.exec(given);
  const side = m?.[1]?.toLowerCase();
  const name = (m?.[2] ?? given).trim().toLowerCase();
  const candidates = offered(cfg, project).filter(
    (e) => e.name.toLowerCase() === name && (side === undefined || (side === 'project') === (e.project !== undefined)),
  );
  if (candidates.length === 1) return candidates[0]!.id;
  if (candidates.length > 1) {
    throw new UsageError(
      `"${given}" names your own environment and the one in ${project?.file ?? 'the project file'}: pass --env own:${m?.[2] ?? given} or --env project:${m?.[2] ?? given}`,
    );
  }
  if (side === 'project' && !project) throw new UsageError(`no project file here (${'tokendesk.json'} in this folder or above it, up to the repository root)`);
  // Not offered here: the core's own lookup says what exists (and refuses a project file's name from elsewhere).
  const known = offered(cfg, project).map(shownName).join(', ');
  throw new TokenDeskError('not_found', `No environment named "${given}"${known ? ` (known: ${known})` : ' (none configured yet)'}`);
}
