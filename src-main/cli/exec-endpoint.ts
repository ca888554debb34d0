import { basename } from 'node:path';
import type { Factory } from './factory.js';
import { PROGRAM } from './output.js';
import { loadEndpoint } from '../core/facade.js';

/** How long a child's scoped secret lives unless --endpoint-lifetime says otherwise: a working day. */
export const DEFAULT_SCOPED_LIFETIME_MS = 12 * 3_600_000;

/** The endpoint's variables exec sets for its child; an exported variable never overrides them. */
export const ENDPOINT_VARIABLES = ['TOKENDESK_ENDPOINT', 'TOKENDESK_ENDPOINT_SECRET'] as const;

export interface ChildEndpoint {
  vars: Record<string, string>;
  /** One line for stderr when the endpoint is not running, saying how to start it. */
  note?: string;
}

/**
 * TOKENDESK_ENDPOINT and TOKENDESK_ENDPOINT_SECRET for a long-running child: the endpoint's URL (the
 * configured port) and a secret scoped to the environments exec resolved, so the child fetches fresh
 * tokens itself instead of keeping a snapshot that dies with the token. Nothing when exec resolved no
 * environment. When the endpoint is not running, still set, with a note saying how to start it.
 */
export async function endpointForChild(
  f: Factory,
  targets: ReadonlyArray<{ env: string; who?: string }>,
  command: string,
  lifetimeMs: number,
): Promise<ChildEndpoint> {
  if (targets.length === 0) return { vars: {} };
  const ep = await loadEndpoint();
  const core = f.core();
  const cfg = await core.config.read();
  const port = ep.endpointPort(cfg);
  const install = await ep.ensureEndpointSecret(core.secrets, core.lock);
  const secret = ep.makeScopedSecret(install, {
    entries: ep.scopeEntries(cfg, targets),
    expiresAt: Date.now() + lifetimeMs,
    madeFor: `exec ${basename(command)}`,
  });
  const url = ep.endpointUrl(port);
  const probe = await ep.probeEndpoint(port, install, 1000);
  const vars = { TOKENDESK_ENDPOINT: url, TOKENDESK_ENDPOINT_SECRET: secret };
  if (probe.state === 'running') return { vars };
  return { vars, note: `${PROGRAM}: note: the endpoint at ${url} is not running: start it (tokendesk serve, or the app) for the command to fetch fresh tokens there` };
}
