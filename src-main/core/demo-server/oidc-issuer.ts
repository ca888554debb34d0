import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendEmpty } from './http-util.js';
import {
  findDemoUser,
  OIDC_DEMO_MACHINE_CLIENT,
  OIDC_DEMO_MACHINE_SECRET,
  OIDC_DEMO_PASSWORD,
  OIDC_DEMO_PUBLIC_CLIENT,
  OIDC_DEMO_USERS,
  OIDC_MOUNT,
} from './oidc-accounts.js';
import { consentPage, deviceConfirmPage, deviceDonePage, deviceInputPage, errorPage, homePage, loggedOutPage, loginPage, logoutPage } from './oidc-pages.js';
import { DemoIssuerStore } from './oidc-store.js';

/**
 * The demo server's OpenID Connect issuer (issue 21), mounted at /oidc: oidc-provider (a certified
 * OpenID Provider) with the demo users and clients (oidc-accounts.ts), its own login, consent and
 * device pages (oidc-pages.ts) instead of oidc-provider's development ones, and an in-memory store
 * that can end a user's sessions (oidc-store.ts).
 *
 * oidc-provider is imported on the first request to /oidc, not when the demo server starts: loading
 * it costs hundreds of milliseconds, and most demo runs never touch the issuer.
 */
export interface DemoIssuerOptions {
  /** The issuer URL, known once the server listens (`<base>/oidc`). */
  issuer: () => string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** The device flow's polling interval sent to clients (RFC 8628 §3.2); oidc-provider names none (clients wait 5 s). */
  deviceIntervalSeconds?: number;
}

export interface DemoIssuer {
  /** Answers a request under /oidc; false when the path is not the issuer's. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

export function isIssuerPath(pathname: string): boolean {
  return pathname === OIDC_MOUNT || pathname.startsWith(`${OIDC_MOUNT}/`);
}

/** The little of oidc-provider 9's API used here (the package ships no types). */
interface Interaction {
  uid: string;
  prompt: { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> } };
  params: Record<string, unknown> & { client_id?: string; login_hint?: string };
  session?: { accountId?: string };
  grantId?: string;
}
interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(indicator: string, scope: string): void;
  save(): Promise<string>;
}
interface KoaCtx {
  path: string;
  status: number;
  body: unknown;
  type: string;
  oidc: { client?: { clientId: string; clientName?: string } };
}
interface Provider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  use(mw: (ctx: KoaCtx, next: () => Promise<void>) => Promise<void>): void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, opts?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): Grant; find(id: string): Promise<Grant | undefined> };
  Client: { find(id: string): Promise<{ clientId: string; clientName?: string } | undefined> };
}
type ProviderCtor = new (issuer: string, config: Record<string, unknown>) => Provider;

const CLIENT_NAMES: Record<string, string> = {
  [OIDC_DEMO_PUBLIC_CLIENT]: 'TokenDesk (demo)',
  [OIDC_DEMO_MACHINE_CLIENT]: 'TokenDesk machine client (demo)',
};
const clientName = (id: string | undefined) => (id && CLIENT_NAMES[id]) ?? id ?? 'the application';

const html = (res: ServerResponse, status: number, body: string): void => {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};

/**
 * oidc-provider prints notices on import (on a Node it does not list as supported: Node 20, Electron's
 * non-LTS Node) that are about production use; the demo is not that, and the CLI's output stays clean.
 */
async function loadProvider(): Promise<ProviderCtor> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING: Unsupported runtime')) return;
    warn(...args);
  };
  try {
    const mod = (await import('oidc-provider')) as unknown as { default: ProviderCtor };
    return mod.default;
  } finally {
    console.warn = warn;
  }
}

export function createDemoIssuer(opts: DemoIssuerOptions): DemoIssuer {
  const store = new DemoIssuerStore();
  let provider: Promise<{ p: Provider; callback: (req: IncomingMessage, res: ServerResponse) => void }> | undefined;
  const mount = () => new URL(opts.issuer()).pathname;

  async function build(): Promise<Provider> {
    const Provider = await loadProvider();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'ES256', kid: `demo-${randomBytes(4).toString('hex')}` };
    const p = new Provider(opts.issuer(), {
      adapter: store.adapter(),
      jwks: { keys: [jwk] },
      clients: [
        {
          client_id: OIDC_DEMO_PUBLIC_CLIENT,
          client_name: CLIENT_NAMES[OIDC_DEMO_PUBLIC_CLIENT],
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          // A native client's loopback redirect takes any port (RFC 8252 §7.3): oidc-provider compares without it.
          redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback', 'http://[::1]/callback'],
          grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
          response_types: ['code'],
          id_token_signed_response_alg: 'ES256',
        },
        {
          client_id: OIDC_DEMO_MACHINE_CLIENT,
          client_name: CLIENT_NAMES[OIDC_DEMO_MACHINE_CLIENT],
          client_secret: OIDC_DEMO_MACHINE_SECRET,
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          id_token_signed_response_alg: 'ES256',
        },
      ],
      cookies: {
        // Cookies ignore the port: names of its own, so another app on 127.0.0.1 never mixes with the demo's.
        names: { session: 'tokendesk_demo_session', interaction: 'tokendesk_demo_interaction', resume: 'tokendesk_demo_resume' },
        keys: [randomBytes(32).toString('hex')],
      },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${mount()}/interaction/${interaction.uid}` },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        revocation: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) => token.clientId === client.clientId },
        deviceFlow: {
          enabled: true,
          userCodeInputSource: async (ctx: KoaCtx, form: string, _out: unknown, err?: { name?: string; userCode?: string }) => {
            const error = !err
              ? undefined
              : err.userCode || err.name === 'NoCodeError'
                ? 'That code is not right, or it has expired: check it and try again.'
                : err.name === 'AbortedError'
                  ? 'The sign-in was denied: nothing was given to TokenDesk.'
                  : 'The code could not be checked: try again.';
            ctx.type = 'html';
            ctx.body = deviceInputPage({ form, ...(error && { error }) });
          },
          userCodeConfirmSource: async (ctx: KoaCtx, form: string, client: { clientId: string }, _info: unknown, userCode: string) => {
            ctx.type = 'html';
            ctx.body = deviceConfirmPage({ form, clientName: clientName(client.clientId), userCode });
          },
          successSource: async (ctx: KoaCtx) => {
            ctx.type = 'html';
            ctx.body = deviceDonePage(clientName(ctx.oidc.client?.clientId));
          },
        },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: async (ctx: KoaCtx, form: string) => {
            ctx.type = 'html';
            ctx.body = logoutPage(form);
          },
          postLogoutSuccessSource: async (ctx: KoaCtx) => {
            ctx.type = 'html';
            ctx.body = loggedOutPage();
          },
        },
      },
      renderError: async (ctx: KoaCtx, out: { error: string; error_description?: string }) => {
        ctx.type = 'html';
        ctx.body = errorPage(out.error, out.error_description);
      },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'] },
      findAccount: (_ctx: unknown, sub: string) => {
        const u = OIDC_DEMO_USERS.find((x) => x.sub === sub);
        if (!u) return undefined;
        return { accountId: sub, claims: () => ({ sub, email: u.email, email_verified: true, name: u.name, given_name: u.givenName, family_name: u.familyName }) };
      },
      // Every user sign-in of a client allowed to refresh gets a refresh token (oidc-provider otherwise
      // wants prompt=consent with offline_access), rotated at each use as the issue's rotation tests need.
      issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) => client.grantTypeAllowed('refresh_token'),
      rotateRefreshToken: true,
      clientBasedCORS: () => false,
      ttl: {
        AccessToken: opts.accessTokenTtlSeconds,
        ClientCredentials: opts.accessTokenTtlSeconds,
        IdToken: 3600,
        RefreshToken: opts.refreshTokenTtlSeconds,
        DeviceCode: 600,
        Interaction: 3600,
        Session: 14 * 24 * 3600,
        Grant: 14 * 24 * 3600,
      },
    });
    if (opts.deviceIntervalSeconds !== undefined) {
      const interval = opts.deviceIntervalSeconds;
      p.use(async (ctx, next) => {
        await next();
        if (ctx.path === '/device/auth' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') (ctx.body as Record<string, unknown>).interval = interval;
      });
    }
    return p;
  }

  const get = () => {
    provider ??= build().then((p) => ({ p, callback: p.callback() })).catch((e: unknown) => {
      provider = undefined;
      throw e;
    });
    return provider;
  };

  async function form(req: IncomingMessage): Promise<URLSearchParams> {
    return new URLSearchParams((await readBody(req)).toString('utf8'));
  }

  /** The login, consent and cancel steps of a sign-in (oidc-provider's "interactions"). */
  async function interaction(p: Provider, req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    const [uid, action] = rest.split('/');
    let details: Interaction;
    try {
      details = await p.interactionDetails(req, res);
    } catch {
      return html(res, 400, errorPage('invalid_request', 'This sign-in page has expired or was opened in another browser. Start the sign-in again from TokenDesk.'));
    }
    if (details.uid !== uid) return html(res, 400, errorPage('invalid_request', 'This sign-in page belongs to another sign-in. Start again from TokenDesk.'));
    const base = `${mount()}/interaction/${uid}`;
    const name = clientName(details.params.client_id);
    const finish = (result: Record<string, unknown>) => p.interactionFinished(req, res, result, { mergeWithLastSubmission: false });

    if (req.method === 'POST' && action === 'abort') {
      return finish({ error: 'access_denied', error_description: 'The user cancelled the sign-in' });
    }
    if (details.prompt.name === 'login') {
      if (req.method === 'POST' && action === 'login') {
        const body = await form(req);
        const login = body.get('login') ?? '';
        const user = findDemoUser(login);
        if (!user || body.get('password') !== OIDC_DEMO_PASSWORD) {
          return html(res, 401, loginPage({ action: `${base}/login`, abortAction: `${base}/abort`, clientName: name, login, error: 'Wrong email or password.' }));
        }
        return finish({ login: { accountId: user.sub } });
      }
      const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
      return html(res, 200, loginPage({ action: `${base}/login`, abortAction: `${base}/abort`, clientName: name, ...(hint && { login: hint }) }));
    }
    if (details.prompt.name === 'consent') {
      const accountId = details.session?.accountId;
      const clientId = details.params.client_id;
      if (!accountId || !clientId) return html(res, 400, errorPage('invalid_request', 'This sign-in lost its user: start again from TokenDesk.'));
      if (req.method === 'POST' && action === 'confirm') {
        const grant = (details.grantId ? await p.Grant.find(details.grantId) : undefined) ?? new p.Grant({ accountId, clientId });
        const d = details.prompt.details;
        if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
        if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
        return finish({ consent: { grantId: await grant.save() } });
      }
      const user = OIDC_DEMO_USERS.find((u) => u.sub === accountId)?.email ?? accountId;
      const scopes = details.prompt.details.missingOIDCScope ?? String(details.params.scope ?? '').split(' ').filter(Boolean);
      return html(res, 200, consentPage({ action: `${base}/confirm`, abortAction: `${base}/abort`, clientName: name, user, scopes }));
    }
    return html(res, 400, errorPage('invalid_request', `Unexpected sign-in step "${details.prompt.name}"`));
  }

  /** The home page's "End … sessions": every grant and token of the user is gone (a dead refresh token, on purpose). */
  async function endSessions(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const user = findDemoUser((await form(req)).get('login') ?? '');
    const ended = user ? store.endUserSessions(user.sub) : 0;
    const notice = user ? `Ended the sessions of ${user.email} (${ended} refresh token${ended === 1 ? '' : 's'} revoked).` : 'No such demo user.';
    html(res, user ? 200 : 404, homePage({ issuer: opts.issuer(), endAction: `${mount()}/demo/end-sessions`, notice }));
  }

  return {
    async handle(req, res, url) {
      if (!isIssuerPath(url.pathname)) return false;
      const m = mount();
      const rest = url.pathname.slice(m.length);
      if ((rest === '' || rest === '/') && req.method === 'GET') {
        html(res, 200, homePage({ issuer: opts.issuer(), endAction: `${m}/demo/end-sessions` }));
        return true;
      }
      if (rest === '/demo/end-sessions' && req.method === 'POST') {
        await endSessions(req, res);
        return true;
      }
      const { p, callback } = await get();
      if (rest.startsWith('/interaction/')) {
        await interaction(p, req, res, rest.slice('/interaction/'.length));
        return true;
      }
      if (rest === '/interaction' || rest === '/demo/end-sessions') {
        sendEmpty(res, 405);
        return true;
      }
      // Mounted as Express mounts it: oidc-provider builds its URLs from originalUrl minus url (oidc_context.js urlFor).
      const r = req as IncomingMessage & { originalUrl?: string };
      r.originalUrl = req.url;
      req.url = (req.url ?? '/').slice(m.length) || '/';
      callback(req, res);
      await new Promise<void>((resolve) => {
        if (res.writableFinished) return resolve();
        res.once('finish', resolve);
        res.once('close', resolve);
      });
      return true;
    },
  };
}
