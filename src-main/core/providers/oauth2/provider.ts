import { oauthProvider } from '../oidc/provider.js';
import { oauth2Source } from './source.js';

/**
 * Plain OAuth 2.0 (issue 21): the OpenID Connect kind's flows, renewal and sign-out (providers/oidc)
 * on endpoints given by hand instead of discovered. Who signed in: userinfo when its endpoint is given,
 * else a JWT access token's claims, else one "signed-in user" per environment; a machine client is its
 * client id.
 */
export const oauth2Provider = oauthProvider(oauth2Source, 'An OAuth 2.0 environment');
