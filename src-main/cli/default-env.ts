import type { Factory } from './factory.js';
import { UsageError } from './output.js';
import { canPrompt, choose } from './prompt.js';

/**
 * The environment a command acts on: --env (or TOKENDESK_ENV), else the default set with
 * `tokendesk env use NAME` (like gh's default host). Without either, one line naming both fixes,
 * not the whole help.
 */
export async function envRef(f: Factory, given: string | undefined, opts: { prompt?: boolean } = {}): Promise<string> {
  if (given !== undefined && given.trim() !== '') return given;
  const cfg = await f.core().config.read();
  const id = cfg.settings.cliDefaultEnvironment;
  const env = id === undefined ? undefined : cfg.environments.find((e) => e.id === id);
  if (env) return env.id;
  if (cfg.environments.length === 0) {
    throw new UsageError('no environment yet: add one with "tokendesk env add NAME …", or try the demo with "tokendesk demo-setup"');
  }
  // `login` on a terminal asks, like `gh auth login`; a pipe or a script gets the one-line error instead.
  if (opts.prompt && canPrompt(f.io)) {
    const chosen = await choose(f, 'Which environment?', cfg.environments, (e) => `${e.name}  (${e.provider}, ${e.baseUrl})`);
    return chosen.id;
  }
  const known = cfg.environments.map((e) => e.name).join(', ');
  throw new UsageError(`which environment? Pass --env NAME, or set a default with "tokendesk env use NAME" (known: ${known})`);
}

/** The default environment's id, if one is set and still exists. */
export async function defaultEnvironmentId(f: Factory): Promise<string | undefined> {
  const cfg = await f.core().config.read();
  const id = cfg.settings.cliDefaultEnvironment;
  return id !== undefined && cfg.environments.some((e) => e.id === id) ? id : undefined;
}
