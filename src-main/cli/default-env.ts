import type { Factory } from './factory.js';
import { guessedEnvironmentId, guessNeedsSessions } from './fast-default-env.js';
import { secretKeys, type Config } from '../core/facade.js';
import { UsageError } from './output.js';
import { canPrompt, choose } from './prompt.js';
import { offered, projectContext, resolveGivenEnv, shownName } from './project-context.js';

/**
 * The environment a command acts on: --env (or TOKENDESK_ENV), else the default set with
 * `tokendesk env use NAME` (like gh's default host), else the one fast-default-env.ts guesses.
 * Otherwise one line naming both fixes (exit 2), not the whole help.
 */
export async function envRef(f: Factory, given: string | undefined, opts: { prompt?: boolean } = {}): Promise<string> {
  // The project file is read (and synced) first: its environments are offered by name, its default applies (issue 24).
  const project = await projectContext(f);
  const cfg = await f.core().config.read();
  if (given !== undefined && given.trim() !== '') return resolveGivenEnv(cfg, given, project);
  if (project?.defaultId !== undefined) return project.defaultId;
  const envs = offered(cfg, project);
  const id = cfg.settings.cliDefaultEnvironment;
  const env = id === undefined ? undefined : envs.find((e) => e.id === id);
  if (env) return env.id;
  if (envs.length === 0) {
    throw new UsageError('no environment yet: add one with "tokendesk env add NAME …", or try the demo with "tokendesk demo-setup"');
  }
  // The only environment, or the only one somebody is signed in to (the fast path's rule too). Not for
  // login and signup: signing in somewhere else is why one runs them, so they ask or name the choices.
  const ids = envs.map((e) => e.id);
  const signedIn = !opts.prompt && guessNeedsSessions(ids, cfg.identities.length) ? await signedInEnvIds(f, cfg) : undefined;
  const guessed = guessedEnvironmentId(ids, signedIn);
  if (guessed !== undefined) return guessed;
  // `login` on a terminal asks, like `gh auth login`; a pipe or a script gets the one-line error instead.
  if (opts.prompt && canPrompt(f.io)) {
    const chosen = await choose(f, 'Which environment?', envs, (e) => `${shownName(e)}  (${e.provider}, ${e.baseUrl})`);
    return chosen.id;
  }
  const known = envs.map(shownName).join(', ');
  throw new UsageError(`which environment? Pass --env NAME, or set a default with "tokendesk env use NAME" (known: ${known})`);
}

/** The default environment's id, if one is set and still exists. */
export async function defaultEnvironmentId(f: Factory): Promise<string | undefined> {
  const cfg = await f.core().config.read();
  const id = cfg.settings.cliDefaultEnvironment;
  return id !== undefined && cfg.environments.some((e) => e.id === id) ? id : undefined;
}

/** The environments with an identity whose session is stored (one vault read: the command reads it next anyway). */
async function signedInEnvIds(f: Factory, cfg: Config): Promise<Set<string>> {
  const secrets = await f.core().secrets.loadAll();
  return new Set(cfg.identities.filter((i) => secrets.has(secretKeys.session(i.id))).map((i) => i.envId));
}
