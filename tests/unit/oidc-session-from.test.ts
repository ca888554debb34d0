import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src-main/core/http/client.js';
import { sessionFrom } from '../../src-main/core/providers/oidc/session.js';
import type { Profile, ProviderContext } from '../../src-main/core/providers/types.js';

/**
 * What a token answer keeps of the session it renews (issue 21): a renewal may leave out the ID token
 * (OIDC Core §12.2), the refresh token (RFC 6749 §6) and Keycloak's refresh_expires_in; what it leaves
 * out stays as it was only while it still describes the same refresh token.
 */
type Answer = Parameters<typeof sessionFrom>[2];
const NOW = 1_800_000_000_000;
const ctx: ProviderContext = { baseUrl: 'https://idp.example.test', http: createHttpClient(), now: () => NOW };
const profile: Profile = { userId: 'u1', email: 'u1@example.test', accounts: [], roles: [], permissions: [], permissionsFromRoles: [] };

function answer(fields: Record<string, unknown>): Answer {
  return { token_type: 'bearer', access_token: 'access-token-value-1', ...fields, expiresIn: () => (typeof fields.expires_in === 'number' ? fields.expires_in : undefined), claims: () => undefined } as unknown as Answer;
}

describe('sessionFrom: what a renewal keeps', () => {
  it('a first answer: refresh_expires_in becomes refreshExpiresAt, the granted scope the profile\'s scopes, the ID token kept', () => {
    const s = sessionFrom('oidc', ctx, answer({ expires_in: 300, refresh_token: 'refresh-token-1', refresh_expires_in: 1800, id_token: 'id.token.one', scope: 'openid email openid' }), profile);
    expect(s).toMatchObject({ expiresAt: NOW + 300_000, refreshToken: 'refresh-token-1', refreshExpiresAt: NOW + 1_800_000, idToken: 'id.token.one' });
    expect(s.profile.scopes).toEqual(['openid', 'email']);
  });

  it('a renewal without an ID token or a new refresh token keeps both, and the refresh token\'s end', () => {
    const previous = { refreshToken: 'refresh-token-1', refreshExpiresAt: NOW + 900_000, idToken: 'id.token.one' };
    const s = sessionFrom('oidc', ctx, answer({ expires_in: 300 }), profile, previous);
    expect(s).toMatchObject(previous);
  });

  it('a rotated refresh token without refresh_expires_in drops the old end: it was the old token\'s', () => {
    const s = sessionFrom('oidc', ctx, answer({ expires_in: 300, refresh_token: 'refresh-token-2' }), profile, { refreshToken: 'refresh-token-1', refreshExpiresAt: NOW + 900_000 });
    expect(s.refreshToken).toBe('refresh-token-2');
    expect(s.refreshExpiresAt).toBeUndefined();
  });

  it('Keycloak\'s refresh_expires_in 0 (an offline token) is no end at all', () => {
    const s = sessionFrom('oidc', ctx, answer({ expires_in: 300, refresh_token: 'refresh-token-1', refresh_expires_in: 0 }), profile);
    expect(s.refreshExpiresAt).toBeUndefined();
  });
});
