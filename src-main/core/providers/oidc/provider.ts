import * as oidc from 'openid-client';
import { TokenDeskError } from '../../errors.js';
import { methodsById } from '../password-method.js';
import type { AuthProvider, Profile, ProviderContext, SignOutNote, SignUpResult, StoredSession } from '../types.js';
import { browserFlow } from './browser.js';
import { clientCredentialsFlow, clientCredentialsSession } from './client-credentials.js';
import { oidcSource, type OAuthSource } from './config.js';
import { deviceFlow } from './device.js';
import { oidcError, refreshError } from './errors.js';
import { profileFromClaims, sessionFrom, UNNAMED_USER, userinfo, userProfile } from './session.js';
import { audienceParams, settingSecrets } from './settings.js';

/**
 * An OAuth 2.0 kind on openid-client 6, its requests through core/http (fetch.ts), its server's
 * endpoints from `source` (OpenID Connect discovery, or given by hand: providers/oauth2). `label`
 * names an environment of the kind in messages ("An OpenID Connect environment").
 * Sessions of the browser and device methods renew with the refresh grant; a rotated refresh token
 * comes back in the answer and is stored (the manager stores it before handing the access token out).
 */
export function oauthProvider(source: OAuthSource, label: string): AuthProvider {
  /**
   * Sign-out: revokes the refresh token (RFC 7009 §2; the server then ends the grant it belongs to), or
   * the access token of a session without one (client credentials). Where the server has no
   * revocation_endpoint, says so: the token stays valid at the provider until it ends by itself.
   */
  async function revoke(ctx: ProviderContext, session: StoredSession): Promise<void | SignOutNote> {
    const { config, settings } = await source.resolve(ctx);
    if (!config.serverMetadata().revocation_endpoint) {
      return { note: `${source.lacks('revocation_endpoint', settings)}: the session was removed here, but its ${session.refreshToken ? 'refresh' : 'access'} token stays valid at the provider until it expires` };
    }
    const token = session.refreshToken ?? session.accessToken;
    try {
      await oidc.tokenRevocation(config, token, { token_type_hint: session.refreshToken ? 'refresh_token' : 'access_token' });
    } catch (e) {
      throw oidcError(e, 'the revocation', source.kind, [session.refreshToken, session.accessToken, ...settingSecrets(settings)]);
    }
  }

  return {
    kind: source.kind,
    canRefresh: true,
    canSignUp: false,
    signInWith: methodsById(label, {
      browser: (ctx, io) => browserFlow(ctx, io, source),
      device: (ctx, io) => deviceFlow(ctx, io, source),
      'client-credentials': (ctx, io) => clientCredentialsFlow(ctx, io, source),
    }),
    async signUp(): Promise<SignUpResult> {
      throw new TokenDeskError('unsupported', `${label} has no sign-up here: create the account at the provider`);
    },
    async refresh(ctx: ProviderContext, session: StoredSession): Promise<StoredSession> {
      if (!session.refreshToken) throw new TokenDeskError('refresh_rejected', 'This session has no refresh token: sign in again');
      const { config, settings } = await source.resolve(ctx);
      let tokens;
      try {
        tokens = await oidc.refreshTokenGrant(config, session.refreshToken, audienceParams(settings));
      } catch (e) {
        throw refreshError(e, settings.issuer, source.kind, [session.refreshToken, session.accessToken, ...settingSecrets(settings)]);
      }
      // A refreshed ID token (when sent) is validated by openid-client; its sub must be the session's own.
      const sub = tokens.claims()?.sub;
      // (A session read without its profile file has no userId to compare: as supabase/provider.ts.)
      if (sub !== undefined && session.profile.userId && sub !== session.profile.userId) throw new TokenDeskError('bad_response', 'The provider renewed the session for another user; nothing was stored');
      const profile = await userProfile(config, tokens, session.profile);
      return sessionFrom(source.kind, ctx, tokens, profile, session);
    },
    /** A machine client's session (no refresh token, RFC 6749 §4.4.3) renews by the same grant again. */
    async renewWithoutUser(ctx: ProviderContext, session: StoredSession): Promise<StoredSession> {
      if (session.renewsBy !== 'client-credentials') throw new TokenDeskError('refresh_rejected', 'This session cannot renew itself: sign in again');
      return clientCredentialsSession(ctx, source);
    },
    async fetchProfile(ctx: ProviderContext, session: StoredSession): Promise<Profile> {
      // A machine identity (no refresh token, the client id as subject) has no userinfo.
      if (!session.refreshToken && session.profile.userId === ctx.settings?.clientId) return session.profile;
      const { config } = await source.resolve(ctx);
      const info = await userinfo(config, session.accessToken, session.profile.userId === UNNAMED_USER ? undefined : session.profile.userId);
      return Object.keys(info).length ? profileFromClaims({ ...info, sub: session.profile.userId }, session.profile.userId) : session.profile;
    },
    signOut: revoke,
    signOutExpired: revoke,
  };
}

/** OpenID Connect (issue 21): the issuer's discovery document gives the endpoints. */
export const oidcProvider: AuthProvider = oauthProvider(oidcSource, 'An OpenID Connect environment');
