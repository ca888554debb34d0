import * as oidc from 'openid-client';
import { TokenDeskError } from '../../errors.js';
import { clientAuthFor, useOurHttp, type Discovered, type OAuthSource, type OptionalEndpoint } from '../oidc/config.js';
import { clientSettings, serverUrl } from '../oidc/settings.js';
import type { ProviderContext } from '../types.js';

/** The endpoints a plain OAuth 2.0 environment may give by hand: setting name, server metadata name, words. */
const ENDPOINTS = [
  { setting: 'tokenEndpoint', meta: 'token_endpoint', what: 'The token endpoint' },
  { setting: 'authorizationEndpoint', meta: 'authorization_endpoint', what: 'The authorization endpoint' },
  { setting: 'deviceAuthorizationEndpoint', meta: 'device_authorization_endpoint', what: 'The device authorization endpoint' },
  { setting: 'revocationEndpoint', meta: 'revocation_endpoint', what: 'The revocation endpoint' },
  { setting: 'userinfoEndpoint', meta: 'userinfo_endpoint', what: 'The userinfo endpoint' },
] as const;

/**
 * The server as the environment gives it: no discovery, so openid-client's Configuration is made from
 * the endpoints given by hand (https://github.com/panva/openid-client/blob/main/docs/classes/Configuration.md).
 * Its `issuer` is the token endpoint's origin: only an ID token would be checked against it, and this
 * kind asks for none (openid-client still checks one that comes: use the OpenID Connect kind then).
 */
export async function resolveByHand(ctx: ProviderContext): Promise<Discovered> {
  const endpoints: Record<string, string> = {};
  let plainHttp = false;
  for (const e of ENDPOINTS) {
    const raw = ctx.settings?.[e.setting]?.trim();
    if (!raw) {
      if (e.setting === 'tokenEndpoint') throw new TokenDeskError('invalid_input', 'This environment has no token endpoint: set it (env edit --token-endpoint URL)');
      continue;
    }
    const url = serverUrl(raw, e.what);
    plainHttp ||= url.protocol === 'http:';
    endpoints[e.meta] = url.href;
  }
  const tokenUrl = new URL(endpoints.token_endpoint!);
  const server: oidc.ServerMetadata = { ...endpoints, issuer: tokenUrl.origin };
  const settings = { issuer: tokenUrl, ...clientSettings(ctx, '') };
  const config = new oidc.Configuration(server, settings.clientId, undefined, await clientAuthFor(settings));
  return { config: useOurHttp(config, ctx, plainHttp), settings };
}

/** What a missing endpoint takes away, and how to give it. */
const LACKING: Record<OptionalEndpoint, string> = {
  authorization_endpoint: 'no authorization endpoint, so no browser sign-in: set it (env edit --authorization-endpoint URL), or sign in with a device code or client credentials',
  device_authorization_endpoint: 'no device authorization endpoint, so no device code sign-in: set it (env edit --device-authorization-endpoint URL), or sign in with the browser',
  revocation_endpoint: 'no revocation endpoint (env edit --revocation-endpoint URL)',
};

/** Plain OAuth 2.0 (RFC 6749): the endpoints given by hand, no ID token. */
export const oauth2Source: OAuthSource = {
  kind: 'oauth2',
  resolve: resolveByHand,
  idTokenExpected: false,
  lacks: (endpoint) => `This environment has ${LACKING[endpoint]}`,
};
