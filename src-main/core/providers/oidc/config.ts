import * as oidc from 'openid-client';
import { TokenDeskError } from '../../errors.js';
import type { ProviderContext, ProviderKind } from '../types.js';
import { oidcError } from './errors.js';
import { fetchThrough } from './fetch.js';
import { clientPrivateKey } from './private-key.js';
import { oidcSettings, settingSecrets, type OidcSettings } from './settings.js';

export interface Discovered {
  config: oidc.Configuration;
  settings: OidcSettings;
}

/** An endpoint a method needs that a server may not have. */
export type OptionalEndpoint = 'authorization_endpoint' | 'device_authorization_endpoint' | 'revocation_endpoint';

/**
 * Where an OAuth kind's server configuration comes from: OpenID Connect discovery (this folder), or
 * endpoints given by hand (providers/oauth2). The flows, renewal and sign-out here run on either.
 */
export interface OAuthSource {
  kind: ProviderKind;
  /** The server's endpoints and the environment's client settings, ready for openid-client. */
  resolve(ctx: ProviderContext): Promise<Discovered>;
  /** A user sign-in must bring a valid ID token (OpenID Connect); plain OAuth 2.0 has none. */
  idTokenExpected: boolean;
  /** Why the server has no `endpoint`, in plain words with what to do instead (the method is then refused). */
  lacks(endpoint: OptionalEndpoint, settings: OidcSettings): string;
}

/** The endpoint, or a refusal saying plainly that the server has none (source.lacks). */
export function requireEndpoint(source: OAuthSource, { config, settings }: Discovered, endpoint: OptionalEndpoint): void {
  if (!config.serverMetadata()[endpoint]) throw new TokenDeskError('unsupported', source.lacks(endpoint, settings));
}

/** The client authentication openid-client sends with each token, device, revocation request (settings.ts chose it). */
export async function clientAuthFor(settings: OidcSettings): Promise<oidc.ClientAuth> {
  switch (settings.clientAuth) {
    case 'client_secret_basic':
      return oidc.ClientSecretBasic(settings.clientSecret);
    case 'client_secret_post':
      return oidc.ClientSecretPost(settings.clientSecret);
    case 'private_key_jwt':
      return oidc.PrivateKeyJwt(await clientPrivateKey(settings.privateKey ?? ''));
    case 'none':
      return oidc.None();
  }
}

/** Options every openid-client Configuration of ours gets: our HTTP client; plain http only for a loopback issuer. */
function configOptions(ctx: ProviderContext, plainHttp: boolean): oidc.DiscoveryRequestOptions {
  return {
    [oidc.customFetch]: fetchThrough(ctx.http),
    // settings.ts took plain http for a loopback issuer only.
    ...(plainHttp && { execute: [oidc.allowInsecureRequests] }),
  };
}

/**
 * Reads the issuer's /.well-known/openid-configuration (OpenID Connect Discovery 1.0) through our HTTP
 * client, with the client authentication the settings give (settings.ts clientAuthOf).
 */
export async function discover(ctx: ProviderContext): Promise<Discovered> {
  const settings = oidcSettings(ctx);
  const auth = await clientAuthFor(settings);
  try {
    const config = await oidc.discovery(settings.issuer, settings.clientId, undefined, auth, configOptions(ctx, settings.issuer.protocol === 'http:'));
    return { config, settings };
  } catch (e) {
    throw oidcError(e, `the discovery of ${settings.issuer.origin}`, oidcSource.kind, settingSecrets(settings));
  }
}

/** Gives a Configuration made without discovery (endpoints given by hand) what configOptions gives a discovered one. */
export function useOurHttp(config: oidc.Configuration, ctx: ProviderContext, plainHttp: boolean): oidc.Configuration {
  config[oidc.customFetch] = fetchThrough(ctx.http);
  // The caller took plain http for loopback addresses only (settings.ts serverUrl).
  if (plainHttp) oidc.allowInsecureRequests(config);
  return config;
}

const WHAT: Record<OptionalEndpoint, string> = {
  authorization_endpoint: 'no browser sign-in (its discovery names no authorization_endpoint): sign in with a device code or client credentials instead',
  device_authorization_endpoint: 'no device authorization (no device_authorization_endpoint): sign in with the browser instead',
  revocation_endpoint: 'no token revocation (its discovery names no revocation_endpoint)',
};

/** OpenID Connect: the issuer's discovery document says what it offers. */
export const oidcSource: OAuthSource = {
  kind: 'oidc',
  resolve: discover,
  idTokenExpected: true,
  lacks: (endpoint, settings) => `${settings.issuer.origin} offers ${WHAT[endpoint]}`,
};
