import { identityLabel } from '../contract/identity-label.js';
import type { Factory } from './factory.js';
import { choose } from './prompt.js';
import { SessionManager, TokenDeskError, findEnvironment, type Config, type Environment, type Identity } from '../core/facade.js';

export interface Target {
  cfg: Config;
  env: Environment;
  identity: Identity;
}

/** The environment and identity a command acts on (the active identity unless --email is given). */
export async function resolveTarget(f: Factory, envRef: string, email?: string): Promise<Target> {
  const cfg = await f.core().config.read();
  const env = findEnvironment(cfg, envRef);
  return { cfg, env, identity: SessionManager.findIdentity(cfg, env, email) };
}

/**
 * Which identity a command acts on when --email is missing, asked on a terminal as `gh auth switch`
 * asks "What account do you want to switch to?": a numbered list of the environment's identities,
 * the active one marked. With one identity there is nothing to ask.
 */
export async function chooseIdentity(f: Factory, cfg: Config, env: Environment, question: string): Promise<Identity> {
  const identities = cfg.identities.filter((i) => i.envId === env.id);
  if (identities.length === 0) throw new TokenDeskError('not_signed_in', `Nobody is signed in to "${env.name}": sign in first`);
  const activeId = cfg.activeIdentity[env.id];
  return choose(f, question, identities, (i) => `${identityLabel(i)}${i.id === activeId ? ' (active)' : ''}`);
}
