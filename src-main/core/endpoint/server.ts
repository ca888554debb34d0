import { statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EndpointLogEntry, EndpointProductionAsk } from '../../contract/endpoint.js';
import type { Environment } from '../config/schema.js';
import { TokenDeskError } from '../errors.js';
import { exportVariables } from '../exports/model.js';
import { authHeaders } from '../exports/headers.js';
import { versionOf } from '../fs/file-version.js';
import { checkHost, SecretCheck } from '../http/loopback-guards.js';
import type { Core } from '../open.js';
import { vaultFile } from '../secrets/vault-peek.js';
import { AccessLog } from './access-log.js';
import { ENDPOINT_HOST, ENDPOINT_ROUTES, endpointUrl } from './constants.js';
import { readEndpointSecret } from './secret.js';
import { looksScoped, PROBE_NONCE_HEADER, ScopedSecretCheck, statusProof, type Scope } from './scoped-secret.js';
import { withinScope } from './scope-gate.js';
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
  /** The access log stopped being written (why), or is written again (undefined). */
  onLogProblem?: (problem: string | undefined) => void;
}

export interface Endpoint {
  url: string;
  port: number;
  /** Every access-log line so far is on disk (or failed to be: see logProblem). */
  flush(): Promise<void>;
  /** Why the access log is not written now (a full disk, a read-only folder), else undefined. */
  logProblem(): string | undefined;
  close(): Promise<void>;
}

/** What the three token routes take: env, identity, min-valid (seconds, as oidc-token's --time); nothing else. */
interface TokenQuery {
  env: string;
  identity?: string;
  minValidMs?: number;
}

function parseQuery(params: URLSearchParams): TokenQuery | string {
  const q: Partial<TokenQuery> = {};
  for (const [key, value] of params) {
    if (key === 'env' && value.length >= 1 && value.length <= 200 && q.env === undefined) q.env = value;
    else if (key === 'identity' && value.length >= 1 && value.length <= 300 && q.identity === undefined) q.identity = value;
    else if (key === 'min-valid' && /^\d{1,6}$/.test(value) && q.minValidMs === undefined) q.minValidMs = Number(value) * 1000;
    else if (key === 'min-valid') return 'min-valid is a whole number of seconds (at most 999999), given once';
    else if (key === 'env' || key === 'identity') return `${key} is given once, 1 to ${key === 'env' ? 200 : 300} characters`;
    else return `unknown parameter "${key.slice(0, 40)}" (env, identity, min-valid)`;
  }
  if (q.env === undefined) return 'env= names the environment';
  return q as TokenQuery;
}

/** A production environment the user has not allowed (thrown by the gate, before any renewal). */
class ProductionRefused extends Error {
  constructor(readonly env: Environment) {
    super('production environment not allowed');
  }
}

const TOKEN_ROUTES = new Map<string, 'token' | 'headers' | 'postman'>([
  [ENDPOINT_ROUTES.token, 'token'],
  [ENDPOINT_ROUTES.headers, 'headers'],
  [ENDPOINT_ROUTES.postman, 'postman'],
]);

const UNAUTHORIZED = { code: 'unauthorized', message: 'Unauthorized' } as const;

/** One message for every environment or identity outside a scoped secret, whether it exists or not. */
const OUT_OF_SCOPE = "Outside this secret's scope: it serves only the environments of the command it was made for";

/** Who called: with the install secret (no scope), or with a scoped secret (what it may be served). */
interface Caller {
  scope?: Scope;
}

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
 * fixed 401 body whatever exists. A secret scoped to one child of `tokendesk exec` (scoped-secret.ts)
 * is verified with the install secret alone and serves only its environments (403 out_of_scope for
 * any other, existing or not); expired or altered, it is that same 401. Tokens come from the session
 * manager, renewed first inside the margin or `min-valid`; a production environment only once the
 * user allowed it.
 */
export async function startEndpoint(opts: EndpointOptions): Promise<Endpoint> {
  const { core } = opts;
  const now = opts.now ?? Date.now;
  const log = new AccessLog(core.home, undefined, undefined, opts.onLogProblem);
  const tokens = new TokenSource(core, now);
  // The secret as last read, and the vault's version then: made by another process (the CLI's first
  // `endpoint --show-secret`, the window) or after this started, it is read again when the vault changed.
  let secret: { install?: string; check?: SecretCheck; scoped?: ScopedSecretCheck; vault: string } = { vault: '' };
  const loadSecret = async () => {
    const vault = vaultVersion(core.home);
    const value = await readEndpointSecret(core.secrets).catch(() => undefined);
    secret = value === undefined ? { vault } : { install: value, check: new SecretCheck(value), scoped: new ScopedSecretCheck(value), vault };
  };
  await loadSecret();

  /** The install secret (no scope), a scoped secret made with it and not expired (its scope), or refused. */
  const judge = (presented: string | undefined): Caller | undefined => {
    if (presented === undefined) return undefined;
    if (looksScoped(presented)) {
      const scope = secret.scoped?.verify(presented, now());
      return scope && { scope };
    }
    return secret.check?.matches(presented) ? {} : undefined;
  };

  async function authorized(req: IncomingMessage): Promise<Caller | undefined> {
    const presented = bearer(req);
    const caller = judge(presented);
    if (caller || vaultVersion(core.home) === secret.vault) return caller;
    await loadSecret();
    return judge(presented);
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
    // Split by hand: new URL() per call costs more than the rest of a cached answer.
    const target = req.url ?? '/';
    const mark = target.indexOf('?');
    const pathname = mark < 0 ? target : target.slice(0, mark);
    const searchParams = new URLSearchParams(mark < 0 ? '' : target.slice(mark + 1));
    entry.route = pathname;

    if (!checkHost(req.headers.host, port).ok) return fail(403, 'forbidden_host', 'Forbidden host');
    const caller = await authorized(req);
    if (!caller) {
      sendJson(res, 401, UNAUTHORIZED, { 'WWW-Authenticate': 'Bearer' });
      return finish(401, 'unauthorized');
    }
    if (caller.scope) entry.scoped = caller.scope.madeFor || 'a scoped secret';
    // GET only: a browser's CORS preflight (OPTIONS) is refused, and no answer carries a CORS header.
    if (req.method !== 'GET') return fail(405, 'method_not_allowed', 'Use GET');

    if (pathname === ENDPOINT_ROUTES.status) {
      // A probe's nonce is answered with proof of the install secret (scoped-secret.ts statusProof).
      const nonce = req.headers[PROBE_NONCE_HEADER];
      const proof = typeof nonce === 'string' && secret.install !== undefined ? statusProof(secret.install, nonce) : undefined;
      sendJson(res, 200, { ok: true, servedBy: opts.servedBy, pid: process.pid, port, ...(proof !== undefined && { proof }) });
      return finish(200);
    }
    const route = TOKEN_ROUTES.get(pathname);
    if (!route) return fail(404, 'not_found', `No route ${pathname.slice(0, 100)}: use ${ENDPOINT_ROUTES.token}, ${ENDPOINT_ROUTES.headers} or ${ENDPOINT_ROUTES.postman}`);

    const q = parseQuery(searchParams);
    if (typeof q === 'string') {
      const env = searchParams.get('env');
      if (env) entry.env = env;
      return fail(400, 'invalid_input', `Bad query: ${q}`);
    }
    entry.env = q.env; // as asked; its name once found
    if (q.identity) entry.identity = q.identity;
    let asked: { env: string; identity?: string } = q;
    if (caller.scope) {
      let inScope;
      try {
        inScope = withinScope(await core.config.read(), caller.scope, q.env, q.identity);
      } catch (e) {
        const err = e instanceof TokenDeskError ? e : new TokenDeskError('config_unreadable', 'The configuration could not be read');
        return fail(statusFor(err), err.code, err.message);
      }
      if (!inScope) return fail(403, 'out_of_scope', OUT_OF_SCOPE);
      asked = inScope;
    }

    let served: Served;
    try {
      served = await tokens.get(asked.env, asked.identity, q.minValidMs, (env) => {
        entry.env = env.name;
        // Judged before any renewal: a refused production environment is not even renewed.
        if (env.production && env.endpointAllowed !== true) throw new ProductionRefused(env);
      });
    } catch (e) {
      if (e instanceof ProductionRefused) {
        opts.onProductionAsked?.({ envId: e.env.id, name: e.env.name, userAgent: entry.userAgent });
        return fail(
          403,
          'production_not_allowed',
          `"${e.env.name}" is a production environment: it is served only once you allow it (in the app, or tokendesk endpoint allow "${e.env.name}")`,
        );
      }
      const err = e instanceof TokenDeskError ? e : new TokenDeskError('auth_error', 'The token could not be read');
      return fail(e instanceof TokenDeskError ? statusFor(err) : 500, e instanceof TokenDeskError ? err.code : 'internal_error', err.message);
    }
    entry.identity = served.label;
    const expiry: Record<string, string> = served.fresh.session.noExpiry ? {} : { 'X-TokenDesk-Expires-At': served.expiresAtText };
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
    logProblem: () => log.problem,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }).then(() => {
        tokens.close();
        return log.flush();
      });
      return closing;
    },
  };
}
