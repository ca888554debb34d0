import { openCore, type Core } from '../core/open.js';
import type { Config, Environment, Identity } from '../core/config/schema.js';
import { findEnvironment } from '../core/environments/service.js';
import { SessionManager } from '../core/sessions/manager.js';

/** One core per CLI run, opened on first use (TOKENDESK_HOME selects the config folder and keychain). */
let core: Core | undefined;
export function getCore(): Core {
  core ??= openCore();
  return core;
}

export interface Target {
  cfg: Config;
  env: Environment;
  identity: Identity;
}

/** The environment and identity a command acts on (the active identity unless --email is given). */
export async function resolveTarget(envRef: string, email?: string): Promise<Target> {
  const cfg = await getCore().config.read();
  const env = findEnvironment(cfg, envRef);
  return { cfg, env, identity: SessionManager.findIdentity(cfg, env, email) };
}
