import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { browse, Jar } from './form-browser.js';

/**
 * A certified OpenID Provider (oidc-provider 9) on 127.0.0.1 for the `oidc` kind's tests:
 * - `cli`, a public native client (PKCE, loopback redirect on any port: RFC 8252 §7.3, device flow, refresh);
 * - `machine`, a confidential client for client credentials (client_secret_basic).
 * Sign-ins go through the provider's own development login and consent pages (devInteractions), which
 * `completeInteraction` drives over HTTP with a cookie jar instead of a browser. Any login with any
 * password is accepted (devInteractions); the account's claims come from `findAccount`.
 */
export const PUBLIC_CLIENT = 'cli';
export const MACHINE_CLIENT = 'machine';
export const MACHINE_SECRET = 'machine-secret-5a1d';
/**
 * Confidential native clients, one per client authentication method (RFC 6749 §2.3, OIDC Core §9):
 * each may sign users in (loopback redirect), refresh, and get client credentials.
 */
export const BASIC_CLIENT = 'basic-client';
export const POST_CLIENT = 'post-client';
export const JWT_CLIENT = 'jwt-client';
export const CONFIDENTIAL_SECRET = 'confidential-secret-7c2e';
/** The private_key_jwt client's key pair (an EC P-256 key, PKCS#8 PEM): the public half is its registered JWKS. */
const jwtKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const JWT_CLIENT_KEY_PEM = jwtKeys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

export interface OidcPeer {
  issuer: string;
  provider: Provider;
  close(): Promise<void>;
}

/**
 * `refreshExpiresIn`: the token answers say when the refresh token ends, as Keycloak does
 * (`refresh_expires_in`, seconds; not in any RFC, so oidc-provider needs a middleware for it).
 */
/**
 * `resource`: a resource server (RFC 8707) whose scope `api:read` a plain OAuth 2.0 client asks for
 * without openid (oidc-provider grants nothing to a request with neither); its access tokens are JWTs
 * (RFC 9068) naming the user in `sub`.
 */
export const RESOURCE_SCOPE = 'api:read';

export async function startOidcPeer(opts: { accessTokenTtl?: number; deviceInterval?: number; revocation?: boolean; refreshExpiresIn?: number; resource?: string } = {}): Promise<OidcPeer> {
  let handler: Parameters<typeof createServer>[1] = (_req, res) => res.writeHead(503).end();
  const server: Server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: PUBLIC_CLIENT,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
      },
      { client_id: MACHINE_CLIENT, client_secret: MACHINE_SECRET, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
      ...(
        [
          [BASIC_CLIENT, 'client_secret_basic'],
          [POST_CLIENT, 'client_secret_post'],
          [JWT_CLIENT, 'private_key_jwt'],
        ] as const
      ).map(([client_id, method]) => ({
        client_id,
        application_type: 'native' as const,
        token_endpoint_auth_method: method,
        ...(method === 'private_key_jwt' ? { jwks: { keys: [{ ...jwtKeys.publicKey.export({ format: 'jwk' }), use: 'sig' }] } } : { client_secret: CONFIDENTIAL_SECRET }),
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        response_types: ['code' as const],
      })),
    ],
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      clientCredentials: { enabled: true },
      revocation: { enabled: opts.revocation ?? true },
      ...(opts.resource && {
        resourceIndicators: {
          enabled: true,
          defaultResource: () => opts.resource!,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({ scope: RESOURCE_SCOPE, audience: opts.resource!, accessTokenFormat: 'jwt' as const }),
        },
      }),
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'picture'] },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, email: `${sub}@example.test`, email_verified: true, name: `User ${sub}`, picture: `https://avatars.example.test/${sub}.png` }),
    }),
    // Every client may have what it asks: the consent page is not what these tests are about.
    loadExistingGrant: async (ctx) => {
      const id = ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      const grant = id ? await ctx.oidc.provider.Grant.find(id) : new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant!.addOIDCScope('openid profile email offline_access');
      if (opts.resource) grant!.addResourceScope(opts.resource, RESOURCE_SCOPE);
      await grant!.save();
      return grant;
    },
    // A refresh token for every user grant (oidc-provider otherwise wants prompt=consent with offline_access).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: { AccessToken: opts.accessTokenTtl ?? 3600, ClientCredentials: opts.accessTokenTtl ?? 3600 },
  });
  if (opts.deviceInterval !== undefined) {
    // The server's polling interval (RFC 8628 §3.2 `interval`): oidc-provider names none, so clients wait 5 s.
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.path === '/device/auth' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') (ctx.body as Record<string, unknown>).interval = opts.deviceInterval;
    });
  }
  if (opts.refreshExpiresIn !== undefined) {
    provider.use(async (ctx, next) => {
      await next();
      const body = ctx.body as Record<string, unknown> | undefined;
      if (ctx.path === '/token' && ctx.status === 200 && body && typeof body === 'object' && body.refresh_token) body.refresh_expires_in = opts.refreshExpiresIn;
    });
  }
  handler = provider.callback();
  return {
    issuer,
    provider,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/**
 * Follows the provider's redirects from `start` through its login page (as `login`), its consent page and
 * the device flow's confirmation (approved, or aborted with `action`; `abort` also cancels at the login page),
 * until a redirect leaves the provider (to the loopback callback, which is then fetched like a browser
 * would) or a page that is neither login nor consent is reached. Returns that last answer's status and text.
 */
export async function completeInteraction(issuer: string, start: string, login: string, jar = new Jar(), action: 'approve' | 'abort' = 'approve'): Promise<{ status: number; text: string }> {
  let confirmed = false;
  const { status, text } = await browse(
    start,
    ({ text, url }) => {
      if (!url.startsWith(issuer)) return undefined;
      const form = /<form[^>]*\baction="([^"]+)"/i.exec(text);
      if (!form) return undefined;
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(text)?.[1];
      const userCode = /name="user_code" value="([^"]+)"/.exec(text)?.[1];
      let body: URLSearchParams;
      if (/name="login"/.test(text) && action === 'abort') {
        // The user refuses at the provider's page ("[ Cancel ]"): the provider sends the browser back with access_denied.
        const abortHref = /<a href="([^"]+)">\[ Cancel \]<\/a>/.exec(text)?.[1];
        return abortHref ? { url: new URL(abortHref.replace(/&amp;/g, '&'), url).href } : undefined;
      } else if (/name="login"/.test(text)) {
        body = new URLSearchParams({ prompt: 'login', login, password: 'any' });
      } else if (/name="prompt" value="consent"/.test(text)) {
        body = new URLSearchParams({ prompt: 'consent' });
      } else if (xsrf && /deviceConfirmForm/.test(text)) {
        // The device flow's confirmation page ("Continue" or "[ Abort ]") for the code shown.
        body = new URLSearchParams({ xsrf, ...(userCode && { user_code: userCode }), ...(action === 'approve' ? { confirm: 'yes' } : { abort: 'yes' }) });
        confirmed = true;
      } else if (xsrf && !confirmed) {
        // The device flow's self-submitting page that carries the code from the verification URL.
        body = new URLSearchParams({ xsrf, ...(userCode && { user_code: userCode }) });
      } else return undefined;
      return { url: new URL(form[1]!.replace(/&amp;/g, '&'), url).href, body };
    },
    { jar, maxHops: 20, tooMany: 'too many redirects at the OpenID peer' },
  );
  return { status, text };
}

/** Approves (or denies) a device flow's user code on the provider's own /device pages, signing in as `login`. */
export async function approveDeviceCode(peer: OidcPeer, verificationUrl: string, login: string, action: 'approve' | 'abort' = 'approve'): Promise<{ status: number; text: string }> {
  return completeInteraction(peer.issuer, verificationUrl, login, new Jar(), action);
}
