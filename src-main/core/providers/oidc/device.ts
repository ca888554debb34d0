import * as oidc from 'openid-client';
import { TokenDeskError } from '../../errors.js';
import type { FlowIO } from '../../flows/types.js';
import type { FlowOutcome, ProviderContext } from '../types.js';
import { oidcSource, requireEndpoint, type OAuthSource } from './config.js';
import { oidcError } from './errors.js';
import { sessionFrom, userProfile } from './session.js';
import { audienceParams, scopeParams, settingSecrets } from './settings.js';

/**
 * The `device` method: the device authorization grant (RFC 8628). The code is shown; openid-client
 * polls the token endpoint every `interval` seconds (5 when the server names none), 5 s slower after
 * each `slow_down` (§3.5), until the user approves, denies, or the code expires, or io.signal aborts.
 */
export async function deviceFlow(ctx: ProviderContext, io: FlowIO, source: OAuthSource = oidcSource): Promise<FlowOutcome> {
  const resolved = await source.resolve(ctx);
  requireEndpoint(source, resolved, 'device_authorization_endpoint');
  const { config, settings } = resolved;
  let started;
  try {
    started = await oidc.initiateDeviceAuthorization(config, { ...scopeParams(settings), ...audienceParams(settings) });
  } catch (e) {
    throw oidcError(e, 'the device code request', source.kind, settingSecrets(settings));
  }
  io.show({
    kind: 'device-code',
    title: 'Enter the code',
    userCode: started.user_code,
    verificationUrl: started.verification_uri_complete ?? started.verification_uri,
    message: `Open ${started.verification_uri} and enter the code ${started.user_code}`,
  });
  let tokens;
  try {
    tokens = await oidc.pollDeviceAuthorizationGrant(config, started, undefined, { signal: io.signal });
  } catch (e) {
    if (io.signal.aborted) throw io.signal.reason;
    const err = oidcError(e, 'the device sign-in', source.kind, settingSecrets(settings));
    // Said plainly (RFC 8628 §3.5): the two ends a user meets.
    if (err.serverCode === 'expired_token') throw new TokenDeskError('flow_timed_out', 'The device code expired before it was approved: nothing was stored; start again', { serverCode: 'expired_token' });
    if (err.serverCode === 'access_denied') throw new TokenDeskError('invalid_credentials', 'The sign-in was denied on the verification page: nothing was stored', { serverCode: 'access_denied' });
    throw err;
  }
  const profile = await userProfile(config, tokens);
  return { session: sessionFrom(source.kind, ctx, tokens, profile), ...(profile.email && { typed: profile.email }) };
}
