import { request } from 'node:http';
import type { Config, Environment } from '../config/schema.js';
import type { ConfigStore } from '../config/store.js';
import { findEnvironment } from '../environments/service.js';
import { DEFAULT_ENDPOINT_PORT, ENDPOINT_HOST, ENDPOINT_ROUTES } from './constants.js';
import { makeProbeSecret, PROBE_NONCE_HEADER, probeNonce, provesSecret } from './scoped-secret.js';

/** The configured port, else the fixed default. */
export function endpointPort(cfg: Config): number {
  return cfg.settings.endpointPort ?? DEFAULT_ENDPOINT_PORT;
}

/** Sets the port the endpoint listens on from its next start (the app's, or tokendesk serve's). */
export async function setEndpointPort(config: ConfigStore, port: number): Promise<void> {
  await config.update((cfg) => ({ ...cfg, settings: { ...cfg.settings, endpointPort: port } }));
}

/** Lets the endpoint serve a production environment (stored with the environment; nothing else changes). */
export async function allowProduction(config: ConfigStore, envRef: string): Promise<Environment> {
  let allowed: Environment | undefined;
  await config.update((cfg) => {
    const env = findEnvironment(cfg, envRef);
    allowed = { ...env, endpointAllowed: true };
    return { ...cfg, environments: cfg.environments.map((e) => (e.id === env.id ? allowed! : e)) };
  });
  return allowed!;
}

/** The production environments the endpoint may serve. */
export function allowedProduction(cfg: Config): Array<{ envId: string; name: string }> {
  return cfg.environments.filter((e) => e.production && e.endpointAllowed === true).map((e) => ({ envId: e.id, name: e.name }));
}

export type EndpointProbe =
  | { state: 'running'; servedBy: string; pid: number }
  /** Nothing listens on the port. */
  | { state: 'stopped' }
  /** Something answers, but not with this folder's secret: another program, or a TokenDesk of another folder. */
  | { state: 'other'; status: number };

/**
 * Asks /v1/status on 127.0.0.1:port, within `timeoutMs`. Never with the install secret itself: what
 * listens there may not be the endpoint (a program of another user on the port while the endpoint is
 * stopped), so the probe presents a one-minute secret that serves nothing, and counts the answer as the
 * endpoint only when it proves it holds the install secret (a MAC of the probe's nonce). Without a
 * secret made yet, nothing is sent and whatever answers is "other".
 */
export function probeEndpoint(port: number, installSecret: string | undefined, timeoutMs = 1500, now = Date.now()): Promise<EndpointProbe> {
  const nonce = probeNonce();
  const auth = installSecret === undefined ? {} : { Authorization: `Bearer ${makeProbeSecret(installSecret, now)}`, [PROBE_NONCE_HEADER]: nonce };
  return new Promise((resolve) => {
    const req = request(
      {
        host: ENDPOINT_HOST,
        port,
        path: ENDPOINT_ROUTES.status,
        method: 'GET',
        headers: { Host: `${ENDPOINT_HOST}:${port}`, 'User-Agent': 'tokendesk-cli', ...auth },
        timeout: timeoutMs,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body = (body + c).slice(0, 4096)));
        res.on('end', () => {
          if (res.statusCode !== 200) return resolve({ state: 'other', status: res.statusCode ?? 0 });
          try {
            const parsed = JSON.parse(body) as { servedBy?: unknown; pid?: unknown; proof?: unknown };
            if (installSecret === undefined || !provesSecret(installSecret, nonce, parsed.proof)) return resolve({ state: 'other', status: 200 });
            resolve({ state: 'running', servedBy: String(parsed.servedBy ?? ''), pid: Number(parsed.pid ?? 0) });
          } catch {
            resolve({ state: 'other', status: 200 });
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' ? { state: 'stopped' } : { state: 'other', status: 0 }));
    req.end();
  });
}
