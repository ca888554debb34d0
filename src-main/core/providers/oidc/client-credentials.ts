import * as oidc from 'openid-client';
import { TokenDeskError } from '../../errors.js';
import type { FlowIO } from '../../flows/types.js';
import type { FlowOutcome, ProviderContext, StoredSession } from '../types.js';
import { oidcSource, type OAuthSource } from './config.js';
import { oidcError } from './errors.js';
import { profileFromClaims, sessionFrom } from './session.js';
import { audienceParams, settingSecrets } from './settings.js';

/**
 * The `client-credentials` method (RFC 6749 §4.4): a machine identity, the client itself. No user, no
 * ID token and no refresh token (§4.4.3): the identity is the client id.
 */
export async function clientCredentialsFlow(ctx: ProviderContext, _io: FlowIO, source: OAuthSource = oidcSource): Promise<FlowOutcome> {
  return { session: await clientCredentialsSession(ctx, source) };
}

/**
 * One client credentials grant as a session marked `renewsBy: 'client-credentials'`: with no refresh
 * token, renewal is this same grant again (the secret stays in the vault, read for each call).
 */
export async function clientCredentialsSession(ctx: ProviderContext, source: OAuthSource = oidcSource): Promise<StoredSession> {
  const { config, settings } = await source.resolve(ctx);
  if (settings.clientAuth === 'none') throw new TokenDeskError('invalid_input', 'Client credentials need the client to authenticate: set its secret (env edit --client-secret -) or its private key (env edit --private-key-file key.pem)');
  // openid (and offline_access) mean a user: a machine client asks for the rest of the scope only.
  const scope = settings.scope.split(/\s+/).filter((s) => s && s !== 'openid' && s !== 'offline_access' && s !== 'profile' && s !== 'email').join(' ');
  let tokens;
  try {
    tokens = await oidc.clientCredentialsGrant(config, { ...(scope && { scope }), ...audienceParams(settings) });
  } catch (e) {
    throw oidcError(e, 'the client credentials', source.kind, settingSecrets(settings));
  }
  const profile = profileFromClaims({ sub: settings.clientId, name: `Client ${settings.clientId}` }, settings.clientId);
  const session = sessionFrom(source.kind, ctx, tokens, profile);
  delete session.refreshToken;
  session.renewsBy = 'client-credentials';
  return session;
}
