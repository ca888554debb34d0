import * as oidc from 'openid-client';
import { TokenDeskError } from '../../errors.js';
import type { FlowIO } from '../../flows/types.js';
import type { FlowOutcome, ProviderContext } from '../types.js';
import { oidcSource, requireEndpoint, type OAuthSource } from './config.js';
import { oidcError } from './errors.js';
import { listenForCallback } from '../../flows/loopback.js';
import { sessionFrom, userProfile } from './session.js';
import { audienceParams, scopeParams, settingSecrets } from './settings.js';

/**
 * The `browser` method: authorization code with PKCE S256 (RFC 7636) in the system browser, back to a
 * loopback listener (RFC 8252). openid-client checks state and nonce and validates the ID token
 * (signature with the issuer's JWKS, iss, aud, exp, nonce). The listener closes when the flow ends,
 * however it ends (done, an error, cancel, the deadline: io.signal).
 */
export async function browserFlow(ctx: ProviderContext, io: FlowIO, source: OAuthSource = oidcSource): Promise<FlowOutcome> {
  const resolved = await source.resolve(ctx);
  requireEndpoint(source, resolved, 'authorization_endpoint');
  const { config, settings } = resolved;
  const listener = await listenForCallback(io.signal, settings.redirectPort);
  let outcome: { ok: boolean; message: string } = { ok: false, message: 'TokenDesk could not complete the sign-in: see the app or the terminal.' };
  try {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    // A nonce belongs to the ID token (OIDC Core §3.1.2.1): plain OAuth 2.0 servers may refuse it without openid.
    const nonce = source.idTokenExpected ? oidc.randomNonce() : undefined;
    const url = oidc.buildAuthorizationUrl(config, {
      // The user's extra parameters first: the protocol's own below cannot be overridden (parseAuthParams refuses them too).
      ...settings.authParams,
      redirect_uri: listener.redirectUri,
      ...scopeParams(settings),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...(nonce && { nonce }),
      ...audienceParams(settings),
    });
    io.show({
      kind: 'open-url',
      title: 'Continue in your browser',
      url: url.href,
      message: `Waiting for the browser to come back to ${listener.redirectUri} (register this redirect URI at the provider${settings.redirectPort ? '' : '; the port is random each time, which RFC 8252 providers accept for http://127.0.0.1/callback'})`,
      copy: { label: 'Redirect URI to register at the provider', value: listener.redirectUri },
    });
    const back = await listener.callback;
    let tokens;
    try {
      tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state, ...(nonce && { expectedNonce: nonce }), idTokenExpected: source.idTokenExpected });
    } catch (e) {
      const err = oidcError(e, 'the sign-in', source.kind, settingSecrets(settings));
      // The user said no at the provider's page (RFC 6749 §4.1.2.1): said plainly, not as bad credentials.
      if (err.serverCode === 'access_denied') throw new TokenDeskError('invalid_credentials', 'The sign-in was denied at the provider (consent refused or cancelled): nothing was stored', { serverCode: 'access_denied' });
      throw err;
    }
    const profile = await userProfile(config, tokens);
    const session = sessionFrom(source.kind, ctx, tokens, profile);
    outcome = { ok: true, message: 'You may close this tab and return to TokenDesk.' };
    return { session, ...(profile.email && { typed: profile.email }) };
  } catch (e) {
    if (e instanceof Error) outcome = { ok: false, message: e.message };
    throw e;
  } finally {
    await listener.finish(outcome.ok, outcome.message);
  }
}
