import { statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { EndpointLogEntry, EndpointProductionAsk } from '../../contract/endpoint.js';
import { identityLabel } from '../../contract/identity-label.js';
import { findEnvironment } from '../environments/service.js';
import { TokenDeskError } from '../errors.js';
import { exportVariables } from '../exports/model.js';
import { authHeaders } from '../exports/headers.js';
import { versionOf } from '../fs/file-version.js';
import { checkHost, checkSecret } from '../http/loopback-guards.js';
import type { Core } from '../open.js';
import { vaultFile } from '../secrets/vault-peek.js';
import { describeIssues } from '../../contract/issues.js';
import { AccessLog } from './access-log.js';
import { ENDPOINT_HOST, ENDPOINT_ROUTES, endpointUrl } from './constants.js';
import { readEndpointSecret } from './secret.js';
import { sendError, sendJson, sendText, statusFor, type EndpointErrorCode } from './responses.js';
import { TokenSource, type Served } from './token-source.js';

export interface EndpointOptions {
  core: Pick<Core, 'home' | 'config' | 'secrets' | 'sessions'>;
  port: number;
  /** Who serves it, said by /v1/status: the desktop app or `tokendesk serve`. */
  servedBy: 'app' | 'serve';
  now?: () => number;
  /** After each call is logged (the app refreshes its panel). */
  onCall?: (entry: EndpointLogEntry) => void;
  /** A production environment not yet allowed was asked for (the app asks the user). */
  onProductionAsked?: (ask: EndpointProductionAsk) => void;
}

export interface Endpoint {
  url: string;
  port: number;
  /** Every access-log line so far is on disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** What the three token routes take. `min-valid` in seconds, as oidc-token's --time. */
const TokenQuery = z.strictObject({
  env: z.string().min(1, 'env= names the environment').max(200),
  identity: z.string().min(1).max(300).optional(),
  'min-valid': z
    .string()
    .regex(/^\d{1,6}$/, 'min-valid is a whole number of seconds')
    .transform(Number)
    .optional(),
});

const UNAUTHORIZED = { code: 'unauthorized', message: 'Unauthorized' } as const;

/** `Authorization: Bearer <secret>`; anything else is no secret at all. */
function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

function vaultVersion(home: string): string {
  try {
    return versionOf(statSync(vaultFile(home), { bigint: true }));
  } catch {
    return '-';
  }
}

/**
 * The local credential endpoint (issue 23): fresh tokens for any tool on this machine without copying.
 * 127.0.0.1 only; every call carries the per-install secret as a bearer token (compared in constant
 * time), names this host and port in Host (DNS rebinding), and is a GET without any CORS answer (a
 * browser's preflight gets 405, so no web page can read a token). A missing or wrong secret is one
 * fixed 401 body whatever exists. Tokens come from the session manager, renewed first inside the
 * margin or `min-valid`; a production environment only once the user allowed it.
 */
export async function startEndpoint(opts: EndpointOptions): Promise<Endpoint> {
  const { core } = opts;
  const now = opts.now ?? Date.now;
  const log = new AccessLog(core.home);
  const tokens = new TokenSource(core, now);
  // The secret as last read, and the vault's version then: made by another process (the CLI's first
  // `endpoint --show-secret`, the window) or after this started, it is read again when the vault changed.
  let secret: { value: string | undefined; vault: string } = { value: undefined, vault: '' };
  const loadSecret = async () => {
    const vault = vaultVersion(core.home);
    secret = { value: await readEndpointSecret(core.secrets).catch(() => undefined), vault };
  };
  await loadSecret();

  async function authorized(req: IncomingMessage): Promise<boolean> {
    const presented = bearer(req);
    if (secret.value !== undefined && checkSecret(presented, secret.value).ok) return true;
    if (vaultVersion(core.home) === secret.vault) return false;
    await loadSecret();
    return secret.value !== undefined && checkSecret(presented, secret.value).ok;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entry: EndpointLogEntry = { time: now(), route: '', status: 0, userAgent: req.headers['user-agent'] ?? '' };
    const finish = (status: number, code?: EndpointErrorCode) => {
      entry.status = status;
      if (code) entry.code = code;
      log.record(entry);
      opts.onCall?.(entry);
    };
    const fail = (status: number, code: EndpointErrorCode, message: string) => {
      sendError(res, status, code, message);
      finish(status, code);
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    entry.route = url.pathname;

    if (!checkHost(req.headers.host, port).ok) return fail(403, 'forbidden_host', 'Forbidden host');
    if (!(await authorized(req))) {
      sendJson(res, 401, UNAUTHORIZED, { 'WWW-Authenticate': 'Bearer' });
      return finish(401, 'unauthorized');
    }
    // GET only: a browser's CORS preflight (OPTIONS) is refused, and no answer carries a CORS header.
    if (req.method !== 'GET') return fail(405, 'method_not_allowed', 'Use GET');

    if (url.pathname === ENDPOINT_ROUTES.status) {
      sendJson(res, 200, { ok: true, servedBy: opts.servedBy, pid: process.pid, port });
      return finish(200);
    }
    const route = Object.entries(ENDPOINT_ROUTES).find(([name, path]) => name !== 'status' && path === url.pathname)?.[0];
    if (!route) return fail(404, 'not_found', `No route ${url.pathname.slice(0, 100)}: use ${ENDPOINT_ROUTES.token}, ${ENDPOINT_ROUTES.headers} or ${ENDPOINT_ROUTES.postman}`);

    const query = TokenQuery.safeParse(Object.fromEntries(url.searchParams));
    if (typeof url.searchParams.get('env') === 'string') entry.env = url.searchParams.get('env')!;
    if (url.searchParams.get('identity')) entry.identity = url.searchParams.get('identity')!;
    if (!query.success) return fail(400, 'invalid_input', `Bad query: ${describeIssues(query.error.issues)}`);
    const q = query.data;

    let served: Served;
    try {
      // Judged before any renewal: a refused production environment is not even renewed.
      const env = findEnvironment(await core.config.read(), q.env);
      entry.env = env.name;
      if (env.production && env.endpointAllowed !== true) {
        opts.onProductionAsked?.({ envId: env.id, name: env.name, userAgent: entry.userAgent });
        return fail(
          403,
          'production_not_allowed',
          `"${env.name}" is a production environment: it is served only once you allow it (in the app, or tokendesk endpoint allow "${env.name}")`,
        );
      }
      served = await tokens.get(env.id, q.identity, q['min-valid'] === undefined ? undefined : q['min-valid'] * 1000);
    } catch (e) {
      const err = e instanceof TokenDeskError ? e : new TokenDeskError('auth_error', 'The token could not be read');
      return fail(e instanceof TokenDeskError ? statusFor(err) : 500, e instanceof TokenDeskError ? err.code : 'internal_error', err.message);
    }
    entry.identity = identityLabel(served.fresh.identity);
    const expiry: Record<string, string> = served.fresh.session.noExpiry ? {} : { 'X-TokenDesk-Expires-At': new Date(served.fresh.session.expiresAt).toISOString() };
    // A renewal that failed while the token is still valid: served, and said.
    if (served.fresh.warning) expiry['X-TokenDesk-Warning'] = encodeURIComponent(served.fresh.warning).slice(0, 2000);
    const expiresAt = served.fresh.session.noExpiry ? null : served.fresh.session.expiresAt;
    if (route === 'token') {
      sendText(res, 200, served.fresh.session.accessToken, expiry);
    } else if (route === 'headers') {
      const headers = authHeaders(served.input);
      sendJson(res, 200, { headers, lines: headers.map((h) => `${h.name}: ${h.value}`), expiresAt }, expiry);
    } else {
      // The refresh token never leaves: it is single-use, and a tool that spent it would end TokenDesk's session.
      const vars = exportVariables(served.input, { includeSecrets: true, includeRefreshToken: false }).filter((v) => v.role !== 'refresh_token');
      sendJson(res, 200, { variables: Object.fromEntries(vars.map((v) => [v.key, v.value])), secret: vars.filter((v) => v.secret).map((v) => v.key), expiresAt }, expiry);
    }
    finish(200);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'internal_error', 'Unexpected failure in the endpoint');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, ENDPOINT_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: endpointUrl(port),
    port,
    flush: () => log.flush(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }).then(() => log.flush());
      return closing;
    },
  };
}
