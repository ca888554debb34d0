import * as oidc from 'openid-client';
import type { ProviderContext } from '../types.js';
import { oidcError } from './errors.js';
import { fetchThrough } from './fetch.js';
import { oidcSettings, type OidcSettings } from './settings.js';

export interface Discovered {
  config: oidc.Configuration;
  settings: OidcSettings;
}

/**
 * Reads the issuer's /.well-known/openid-configuration (OpenID Connect Discovery 1.0) through our HTTP
 * client. A client secret means a confidential client, authenticated with client_secret_basic (the
 * default of RFC 6749 §2.3.1 and OIDC Core §9); without one the client is public (`none`, PKCE).
 */
export async function discover(ctx: ProviderContext): Promise<Discovered> {
  const settings = oidcSettings(ctx);
  const auth = settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None();
  try {
    const config = await oidc.discovery(settings.issuer, settings.clientId, undefined, auth, {
      [oidc.customFetch]: fetchThrough(ctx.http),
      // settings.ts took plain http for a loopback issuer only.
      ...(settings.issuer.protocol === 'http:' && { execute: [oidc.allowInsecureRequests] }),
    });
    return { config, settings };
  } catch (e) {
    throw oidcError(e, `the discovery of ${settings.issuer.origin}`, [settings.clientSecret]);
  }
}
