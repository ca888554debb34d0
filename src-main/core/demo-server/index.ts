import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkApiKey, needsApiKey } from './gateway.js';
import { sendEmpty, sendJson, sleep } from './http-util.js';
import { RefreshStore } from './refresh-store.js';
import { SessionApi } from './session-api-routes.js';
import { FlowStore } from './flow-state.js';
import { DEFAULT_GOTRUE_SETTINGS, type GoTrueSettings } from './gotrue-settings.js';
import { Mailbox } from './mailbox.js';
import type { SupabaseContext } from './supabase-auth.js';
import { handleSupabase, supabaseHandlers } from './supabase-routes.js';
import { DEMO_PATS, handlePat } from './pat-routes.js';
import {
  DEMO_ANON_KEY,
  DEMO_API_KEY,
  DEMO_PHONE,
  DEMO_TOTP_SECRET,
  DEMO_WEAK_PASSWORD,
  seedSessionUsers,
  seedSupabaseUsers,
  SESSION_DEMO_PASSWORD,
  SUPABASE_DEMO_PASSWORD,
} from './users.js';

export { DEMO_JWT_SECRET, DEMO_JWT_KID } from './jwt.js';
export { DEMO_ANON_KEY, DEMO_API_KEY, DEMO_ORGANIZATION_ID, DEMO_PHONE, DEMO_TOTP_SECRET, DEMO_WEAK_PASSWORD } from './users.js';
export type { GoTrueSettings, HookFault } from './gotrue-settings.js';
export type { DemoMessage } from './mailbox.js';
export { totpNow } from './mfa.js';
export { DEMO_PAT_PATH, DEMO_PATS } from './pat-routes.js';

export interface DemoServerOptions {
  /** 0 = a random free port (default). */
  port?: number;
  /** Default 127.0.0.1: the demo must never listen beyond loopback by accident. */
  host?: string;
  /** Supabase access-token lifetime, default 3600. */
  accessTokenTtlSeconds?: number;
  /** Session-API token lifetime, default 8 h (the seed's expiresAt is ~8 h after login). */
  sessionTtlSeconds?: number;
  /** Supabase REFRESH_TOKEN_REUSE_INTERVAL, default 10 (the platform/CLI default). */
  refreshReuseIntervalSeconds?: number;
  /** Server clock offset applied to iat/exp/expires_at/expiresAt and the Date header, default 0. */
  clockSkewSeconds?: number;
  /** Delay before every answer, default 0. */
  latencyMs?: number;
  /** Supabase Auth only: delay after the work is done (a token rotated) and before the answer is sent. */
  answerDelayMs?: number;
  /** Signup confirmations ON → bare user; default false (autoconfirm) → session. Same as gotrue.emailConfirmation. */
  emailConfirmation?: boolean;
  /** The GoTrue settings the demo plays (providers, redirect allow list, limits, faults). */
  gotrue?: Partial<GoTrueSettings>;
  /** Injectable wall clock in ms (before skew), for tests; default Date.now. */
  now?: () => number;
}

export interface DemoStats {
  /** Requests that reached each handler (failures included), so tests can count round trips. */
  passwordGrants: number;
  refreshGrants: number;
  sessionLogins: number;
  /** Supabase /logout plus session-API /api/auth/logout. */
  logouts: number;
  /** Every request, counted on arrival (before the latency), so a test can act while one is in flight. */
  requests: number;
  /** A refresh token already used was presented again (forgiven or not). */
  refreshReplays: number;
  /** Sessions whose whole refresh-token family was revoked by reuse detection. */
  familyRevocations: number;
}

export interface DemoServer {
  url: string;
  port: number;
  anonKey: string;
  apiKey: string;
  stats: DemoStats;
  close(): Promise<void>;
}

export interface DemoCredential {
  email: string;
  password: string;
  label: string;
}

export const DEMO_CREDENTIALS: {
  supabase: DemoCredential[];
  session: DemoCredential[];
  /** Personal access tokens of the demo's token API (GET /pat/v1/me), for the pasted-token kind. */
  bearer: Array<{ token: string; label: string; email: string }>;
  anonKey: string;
  apiKey: string;
} = {
  // Password-by-email accounts only: the MFA, phone and weak-password users are in the README and
  // DEMO_SUPABASE_EXTRAS, since signing in as them needs more than an email and a password.
  supabase: seedSupabaseUsers()
    .filter((u) => u.email !== '' && u.factors.length === 0 && u.password === SUPABASE_DEMO_PASSWORD)
    .map((u) => ({ email: u.email, password: SUPABASE_DEMO_PASSWORD, label: u.label })),
  session: seedSessionUsers().map((u) => ({ email: u.email, password: SESSION_DEMO_PASSWORD, label: u.label })),
  bearer: DEMO_PATS.map((p) => ({ token: p.token, label: p.label, email: p.user.email })),
  anonKey: DEMO_ANON_KEY,
  apiKey: DEMO_API_KEY,
};

/** The Supabase accounts that show the other sign-in methods (listed in the README too). */
export const DEMO_SUPABASE_EXTRAS = {
  /** Password, then a TOTP code from DEMO_TOTP_SECRET: the session becomes aal2. */
  mfa: { email: 'mfa@connectgain.test', password: SUPABASE_DEMO_PASSWORD, factorId: '5f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', totpSecret: DEMO_TOTP_SECRET },
  /** Phone + password, or an SMS code (read in the demo mailbox). */
  phone: { phone: `+${DEMO_PHONE}`, password: SUPABASE_DEMO_PASSWORD },
  /** Signs in with a weak_password warning (shorter than the 6-character policy). */
  weak: { email: 'weak@connectgain.test', password: DEMO_WEAK_PASSWORD },
  /** A person's pages: emailed codes and links, and the same as JSON. */
  mailboxPath: '/demo/mailbox',
  mailboxJsonPath: '/demo/mailbox.json',
} as const;

/** Lets browser pages (the web bridge, docs) call the demo too; hosted Supabase allows any origin. */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Date, X-Supabase-Api-Version, x-sb-error-code, sb-auth-user-id, sb-auth-session-id',
};

export async function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const wallClock = opts.now ?? Date.now;
  const skewMs = (opts.clockSkewSeconds ?? 0) * 1000;
  const now = (): number => wallClock() + skewMs;
  const stats: DemoStats = { passwordGrants: 0, refreshGrants: 0, sessionLogins: 0, logouts: 0, requests: 0, refreshReplays: 0, familyRevocations: 0 };
  let baseUrl = '';

  const settings: GoTrueSettings = {
    ...DEFAULT_GOTRUE_SETTINGS,
    ...(opts.emailConfirmation !== undefined ? { emailConfirmation: opts.emailConfirmation } : {}),
    ...opts.gotrue,
  };
  const supabase: SupabaseContext = {
    users: seedSupabaseUsers(),
    store: new RefreshStore(now, (opts.refreshReuseIntervalSeconds ?? 10) * 1000, stats),
    now,
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 3600,
    settings,
    baseUrl: () => baseUrl,
    issuer: () => `${baseUrl}/auth/v1`,
    mailbox: new Mailbox(),
    flows: new FlowStore(now, () => settings.flowStateExpirySeconds * 1000),
    stats,
    answerDelayMs: opts.answerDelayMs,
  };
  const supabaseRoutes = supabaseHandlers(supabase);
  const sessionApi = new SessionApi({
    users: seedSessionUsers(),
    now,
    sessionTtlSeconds: opts.sessionTtlSeconds ?? 8 * 3600,
    stats,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Set first so every answer, errors included, carries the (skewed) server time.
    res.setHeader('Date', new Date(now()).toUTCString());
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    stats.requests++;
    if (opts.latencyMs) await sleep(opts.latencyMs);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'OPTIONS') {
      return sendEmpty(res, 204, {
        'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
        'Access-Control-Allow-Headers':
          'authorization, private-token, apikey, content-type, x-client-info, x-supabase-api-version, x-api-key, x-account-id, x-demo-legacy-errors',
      });
    }
    if (needsApiKey(url.pathname) && !checkApiKey(req, res, url, DEMO_ANON_KEY)) return;
    if (await handleSupabase(supabaseRoutes, DEMO_API_KEY, req, res, url)) return;
    if (await sessionApi.handle(req, res, url)) return;
    if (handlePat(req, res, url, now())) return;
    sendJson(res, 404, { message: 'Not found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // Never leak internals (or secrets) in a 500; the body is a fixed text.
      if (!res.headersSent) sendJson(res, 500, { message: 'Unexpected failure in the demo server' });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  baseUrl = `http://${host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    anonKey: DEMO_ANON_KEY,
    apiKey: DEMO_API_KEY,
    stats,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
