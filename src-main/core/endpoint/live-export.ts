import type { Config, Environment } from '../config/schema.js';
import { postmanLiveScript, toPostmanLiveEnvironment } from '../exports/postman-live.js';
import type { SecretStore } from '../secrets/types.js';
import type { RefreshLock } from '../sessions/refresh-lock.js';
import { endpointUrl } from './constants.js';
import { ensureEndpointSecret } from './secret.js';
import { makeScopedSecret } from './scoped-secret.js';
import { localTime } from '../format-time.js';
import { endpointPort } from './settings.js';

/** How long the secret in a live Postman environment serves: a new export (or Save) gives a new one. */
export const LIVE_SECRET_DAYS = 90;

/** The live Postman pair: the pre-request script, and the environment with the endpoint's URL and secret. */
export const LIVE_FORMATS = ['postman-script', 'postman-live'] as const;
export type LiveFormat = (typeof LIVE_FORMATS)[number];

export interface LiveExport {
  text: string;
  /** A file name for it: the environment's name made safe, and the format's extension. */
  fileName: string;
  /** What it is, for "Wrote … to FILE" and a toast. */
  what: string;
}

/** An environment's name as a file name's stem (the same rule for every export). */
export function fileStem(envName: string): string {
  return envName.replace(/[^A-Za-z0-9_.-]+/g, '-');
}

/**
 * One live export, the same for `tokendesk export` and the window: no token is written anywhere, so
 * none goes stale in Postman; the endpoint keeps refusing a production environment until it is allowed.
 * `includeSecret: false` blanks the endpoint's secret (a file to share: each user fills in their own).
 * `url` is where the endpoint is served (the app's running one), else the configured port.
 */
export async function liveExport(
  deps: { secrets: SecretStore; lock: RefreshLock },
  cfg: Config,
  env: Pick<Environment, 'id' | 'name' | 'postmanId'>,
  format: LiveFormat,
  opts: { includeSecret: boolean; url?: string; now?: () => number },
): Promise<LiveExport> {
  const stem = fileStem(env.name);
  if (format === 'postman-script') {
    return { text: postmanLiveScript(env.name, cfg.settings.marginSeconds), fileName: `${stem}.postman-prerequest.js`, what: `the Postman pre-request script for "${env.name}"` };
  }
  // Not the install secret, which serves every environment: Postman may sync the file's values to its
  // cloud. A secret scoped to this environment (scoped-secret.ts), for LIVE_SECRET_DAYS; a new export renews it.
  const expiresAt = (opts.now ?? Date.now)() + LIVE_SECRET_DAYS * 86_400_000;
  const secret = opts.includeSecret
    ? makeScopedSecret(await ensureEndpointSecret(deps.secrets, deps.lock), { entries: [{ env: env.id }], expiresAt, madeFor: 'Postman' })
    : '';
  const live = toPostmanLiveEnvironment({ id: `${env.postmanId ?? env.id}-live`, envName: env.name, endpointUrl: opts.url ?? endpointUrl(endpointPort(cfg)), secret });
  return {
    text: `${JSON.stringify(live, null, 2)}\n`,
    fileName: `${stem}-live.postman_environment.json`,
    what: `the live Postman environment of "${env.name}" (${opts.includeSecret ? `the endpoint's URL and a secret for this environment only, until ${localTime(expiresAt)}` : "the endpoint's URL, the secret blank"}; no token)`,
  };
}
