import type { Factory } from './factory.js';
import { SessionManager, findEnvironment, type Config, type Environment, type Identity } from '../core/facade.js';

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
