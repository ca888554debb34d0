import * as oidc from 'openid-client';
import type { ProviderContext } from '../types.js';
import { oidcError } from './errors.js';
import { fetchThrough } from './fetch.js';
import { clientPrivateKey } from './private-key.js';
import { oidcSettings, settingSecrets, type OidcSettings } from './settings.js';

export interface Discovered {
  config: oidc.Configuration;
  settings: OidcSettings;
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
export function configOptions(ctx: ProviderContext, plainHttp: boolean): oidc.DiscoveryRequestOptions {
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
    throw oidcError(e, `the discovery of ${settings.issuer.origin}`, settingSecrets(settings));
  }
}
