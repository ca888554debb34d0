import { parseAuthParams } from '../../../contract/auth-params.js';
import { CLIENT_AUTH_METHODS, PROVIDERS } from '../../../contract/providers.js';
import { serverUrlProblem } from '../../../contract/settings.js';
import { TokenDeskError } from '../../errors.js';
import type { ProviderContext } from '../types.js';

export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret?: string;
  /** The client's private key, PEM, for private_key_jwt (from the vault). */
  privateKey?: string;
  /** How the client authenticates at the token endpoint (the setting, else what is stored decides). */
  clientAuth: ClientAuthMethod;
  /** A fixed loopback port for the browser sign-in's redirect; 0 = a random free one. */
  redirectPort: number;
  /** Space-separated; empty: none asked (a plain OAuth 2.0 server's default scope). */
  scope: string;
  audience?: string;
  /** Extra authorization parameters for the browser sign-in (the `authParams` setting). */
  authParams: Record<string, string>;
}

const DEFAULT_SCOPE = PROVIDERS.oidc.settings.find((s) => s.name === 'scope')?.defaultValue ?? 'openid';

/**
 * A server address from the settings: https, or plain http only on this machine (a local Keycloak, the
 * test peer): anywhere else the codes and tokens would cross the network in clear (RFC 6749 §3.1, §10.9).
 * `what` names it in the refusal ("The issuer", "The token endpoint").
 */
export function serverUrl(raw: string, what: string): URL {
  const why = serverUrlProblem(raw);
  if (why) throw new TokenDeskError('invalid_input', `${what} is ${why.startsWith('not') ? why : `not usable: ${why}`}`);
  return new URL(raw);
}

/** The settings an OAuth client has whatever tells it the server's endpoints (everything but `issuer`). */
export function clientSettings(ctx: Pick<ProviderContext, 'settings' | 'secrets'>, defaultScope: string): Omit<OidcSettings, 'issuer'> {
  const clientId = ctx.settings?.clientId?.trim();
  if (!clientId) throw new TokenDeskError('invalid_input', 'This environment has no client ID: set it (env edit --client-id)');
  const clientSecret = ctx.secrets?.clientSecret || undefined;
  const privateKey = ctx.secrets?.privateKey || undefined;
  const clientAuth = clientAuthOf(ctx.settings?.clientAuth, clientSecret, privateKey);
  const port = ctx.settings?.redirectPort?.trim();
  const redirectPort = port ? Number(port) : 0;
  if (!Number.isInteger(redirectPort) || redirectPort < 0 || redirectPort > 65535) throw new TokenDeskError('invalid_input', `The redirect port must be a number from 1 to 65535, not "${port!.slice(0, 20)}"`);
  const scope = ctx.settings?.scope?.trim() || defaultScope;
  const audience = ctx.settings?.audience?.trim() || undefined;
  // Checked when saved too (contract/settings.ts); a config edited by hand is refused here, before any request.
  const extra = parseAuthParams(ctx.settings?.authParams ?? '');
  if (!extra.ok) throw new TokenDeskError('invalid_input', `The extra authorization parameters are not usable: ${extra.message}`);
  return { clientId, scope, clientAuth, redirectPort, authParams: extra.params, ...(clientSecret && { clientSecret }), ...(privateKey && { privateKey }), ...(audience && { audience }) };
}

/**
 * The environment's OpenID settings (catalogue `oidc`): the issuer is the `issuer` setting or else the
 * base URL.
 */
export function oidcSettings(ctx: Pick<ProviderContext, 'baseUrl' | 'settings' | 'secrets'>): OidcSettings {
  const issuer = serverUrl(ctx.settings?.issuer?.trim() || ctx.baseUrl, 'The issuer');
  return { issuer, ...clientSettings(ctx, DEFAULT_SCOPE) };
}

/**
 * The client authentication method: the setting when given, and then what it needs must be stored;
 * unset, what is stored decides (a secret: client_secret_basic, the default of RFC 6749 §2.3.1; a key:
 * private_key_jwt; nothing: a public client, `none`).
 */
function clientAuthOf(raw: string | undefined, secret: string | undefined, key: string | undefined): ClientAuthMethod {
  const chosen = raw?.trim();
  if (!chosen) return secret ? 'client_secret_basic' : key ? 'private_key_jwt' : 'none';
  const method = CLIENT_AUTH_METHODS.find((m) => m === chosen);
  if (!method) throw new TokenDeskError('invalid_input', `The client authentication must be one of ${CLIENT_AUTH_METHODS.join(', ')}`);
  if ((method === 'client_secret_basic' || method === 'client_secret_post') && !secret) {
    throw new TokenDeskError('invalid_input', `Client authentication ${method} needs the client secret: set it (env edit --client-secret -)`);
  }
  if (method === 'private_key_jwt' && !key) throw new TokenDeskError('invalid_input', 'Client authentication private_key_jwt needs the private key: set it (env edit --private-key-file key.pem)');
  return method;
}

/** The secrets an error message must never quote. */
export function settingSecrets(s: OidcSettings): Array<string | undefined> {
  return [s.clientSecret, s.privateKey];
}

/** The `scope` parameter, when there is one to send. */
export function scopeParams(s: Pick<OidcSettings, 'scope'>): Record<string, string> {
  return s.scope ? { scope: s.scope } : {};
}

/** The audience parameter some providers need (Auth0's `audience`), sent with each grant when set. */
export function audienceParams(s: OidcSettings): Record<string, string> {
  return s.audience ? { audience: s.audience } : {};
}
