import type { Config } from '../config/schema.js';
import { findEnvironment } from '../environments/service.js';
import { TokenDeskError } from '../errors.js';
import { SessionManager } from '../sessions/manager.js';
import { mergeScope, scopeFor, type Scope, type ScopeEntry } from './scoped-secret.js';

/** What a call with a scoped secret is served: the environment by id, and the identity to use. */
export interface InScope {
  env: string;
  identity?: string;
}

/**
 * Whether a scoped secret may be served the environment (and identity) a call names. Anything outside
 * it, an environment that does not exist included, is the same refusal (undefined), so a scoped secret
 * learns nothing of what else is there. Where the secret names identities and the call none, the
 * environment's active one is served if the secret names it, else the first it names (the one exec chose).
 */
export function withinScope(cfg: Config, scope: Scope, envRef: string, identityRef: string | undefined): InScope | undefined {
  const quiet = <T>(find: () => T): T | undefined => {
    try {
      return find();
    } catch (e) {
      if (e instanceof TokenDeskError) return undefined;
      throw e;
    }
  };
  const env = quiet(() => findEnvironment(cfg, envRef));
  const allowed = env && scopeFor(scope, env.id);
  if (!env || !allowed) return undefined;
  if (!allowed.identities) return { env: env.id, ...(identityRef !== undefined && { identity: identityRef }) };
  if (identityRef !== undefined) {
    const id = quiet(() => SessionManager.findIdentity(cfg, env, identityRef))?.id;
    return id !== undefined && allowed.identities.includes(id) ? { env: env.id, identity: id } : undefined;
  }
  const active = cfg.activeIdentity[env.id];
  return { env: env.id, identity: active !== undefined && allowed.identities.includes(active) ? active : allowed.identities[0]! };
}

/**
 * The scope of exec's child: every environment exec resolved (by name or id, as given), by id, with
 * the identity it chose when it named one (an email or an id). Resolved after exec's own look-ups
 * succeeded, so every name here is known.
 */
export function scopeEntries(cfg: Config, targets: ReadonlyArray<{ env: string; who?: string }>): ScopeEntry[] {
  return mergeScope(
    targets.map((t) => {
      const env = findEnvironment(cfg, t.env);
      return t.who === undefined ? { env: env.id } : { env: env.id, identity: SessionManager.findIdentity(cfg, env, t.who).id };
    }),
  );
}
