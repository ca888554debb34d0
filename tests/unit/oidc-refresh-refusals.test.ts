import { describe, expect, it } from 'vitest';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src-main/core/http/types.js';
import { oauth2Provider } from '../../src-main/core/providers/oauth2/index.js';
import { oidcProvider } from '../../src-main/core/providers/oidc/index.js';
import type { StoredSession } from '../../src-main/core/providers/types.js';

/**
 * A refused refresh explained in plain words, from each provider's real refusal body. The bodies are
 * the ones users posted (trace ids and dates kept as shape only):
 * - Entra AADSTS700082: Azure/azure-cli#14244; AADSTS70043: simonrob/email-oauth2-proxy#181 (and as
 *   interaction_required: KelvinTegelaar/CIPP#1156); AADSTS50173: microsoft/azuredatastudio#13953.
 * - Google invalid_rapt: googleapis/google-auth-library-nodejs#1961, anthropics/blobfile#2 (error_subtype
 *   per google-auth-library-nodejs#1457); a revoked/expired token ("Token has been expired or revoked.").
 * - Auth0 "Unknown or invalid refresh token.": auth0/Auth0.swift#819; Okta "The refresh token is
 *   invalid or expired.": okta/okta-react-native#109.
 */

const REFRESH = 'rt-secret-0123456789abcdef';
const ACCESS = 'at-secret-0123456789abcdef';

/** An HttpClient that serves the issuer's discovery document and answers the token endpoint with `refusal`. */
function providerAnswering(issuer: string, refusal: { status: number; body: Record<string, unknown> }): HttpClient {
  const meta = {
    issuer,
    authorization_endpoint: `${issuer.replace(/\/$/, '')}/authorize`,
    token_endpoint: `${issuer.replace(/\/$/, '')}/token`,
    jwks_uri: `${issuer.replace(/\/$/, '')}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
  const json = (status: number, body: unknown): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, json: body, text: JSON.stringify(body) });
  return {
    request(req: HttpRequest): Promise<HttpResponse> {
      if (req.method === 'GET' && req.url.endsWith('/.well-known/openid-configuration')) return Promise.resolve(json(200, meta));
      if (req.method === 'POST' && req.url === meta.token_endpoint) return Promise.resolve(json(refusal.status, refusal.body));
      return Promise.resolve(json(404, {}));
    },
  };
}

const session: StoredSession = {
  provider: 'oidc',
  accessToken: ACCESS,
  refreshToken: REFRESH,
  obtainedAt: 0,
  expiresAt: 60_000,
  profile: { userId: 'u1', email: 'u1@example.test', accounts: [], roles: [], permissions: [], permissionsFromRoles: [] },
};

async function refusalOf(issuer: string, status: number, body: Record<string, unknown>): Promise<Error & { code?: string; serverCode?: string }> {
  const http = providerAnswering(issuer, { status, body });
  const err = await oidcProvider.refresh({ baseUrl: issuer, http, now: () => 1_000, settings: { clientId: 'client-1' } }, session).then(
    () => undefined,
    (e: unknown) => e as Error & { code?: string },
  );
  expect(err, 'the refresh must be refused').toBeDefined();
  expect(err!.message).not.toContain(REFRESH);
  expect(err!.message).not.toContain(ACCESS);
  return err!;
}

const ENTRA = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0';

describe('OpenID Connect: a refused refresh says why, in plain words', () => {
  it('Entra ID AADSTS700082: expired after going unused (not a bare invalid_grant)', async () => {
    const err = await refusalOf(ENTRA, 400, {
      error: 'invalid_grant',
      error_description:
        'AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2020-02-26T21:52:54.2810613Z and was inactive for 90.00:00:00.\r\nTrace ID: 6e94ade5-10de-4d67-909a-14d845813500\r\nCorrelation ID: 0e87b495-1e24-4882-be85-d012c216f4f6\r\nTimestamp: 2020-07-06 22:31:52Z',
      error_codes: [700082],
      timestamp: '2020-07-06 22:31:52Z',
      trace_id: '6e94ade5-10de-4d67-909a-14d845813500',
      correlation_id: '0e87b495-1e24-4882-be85-d012c216f4f6',
      error_uri: 'https://login.microsoftonline.com/error?code=700082',
    });
    expect(err).toMatchObject({ code: 'refresh_rejected', serverCode: 'invalid_grant' });
    expect(err.message).toBe('Microsoft Entra ID refused the refresh token (AADSTS700082): it expired after going unused too long (Entra ID ends a refresh token unused for 90 days)');
  });

  it('Entra ID AADSTS70043 (also sent as interaction_required): the sign-in frequency policy', async () => {
    const description =
      'AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on 2023-06-02T14:27:05.8405153Z and the maximum allowed lifetime for this request is 86400.\r\nTrace ID: 0\r\nCorrelation ID: 0\r\nTimestamp: 2023-07-06 13:35:42Z';
    const asGrant = await refusalOf(ENTRA, 400, { error: 'invalid_grant', error_description: description, error_codes: [70043], suberror: 'token_expired' });
    expect(asGrant).toMatchObject({ code: 'refresh_rejected' });
    expect(asGrant.message).toMatch(/\(AADSTS70043\): your organisation's Conditional Access sign-in frequency policy requires a new sign-in$/);
    // CIPP#1156: the same refusal with no error_codes, as interaction_required: still a refusal, still explained.
    const asInteraction = await refusalOf(ENTRA, 400, { error: 'interaction_required', error_description: description });
    expect(asInteraction).toMatchObject({ code: 'refresh_rejected', serverCode: 'interaction_required' });
    expect(asInteraction.message).toContain('sign-in frequency policy');
  });

  it('Entra ID AADSTS50173: revoked after a password change', async () => {
    const err = await refusalOf(ENTRA, 400, {
      error: 'invalid_grant',
      error_description:
        "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '2020-12-11T09:41:15.6470000Z' and the TokensValidFrom date (before which tokens are not valid) for this user is '2020-12-29T09:59:06.0000000Z'.\r\nTrace ID: c3a82c17\r\nCorrelation ID: 1960f17b\r\nTimestamp: 2021-01-13 10:05:13Z",
      error_codes: [50173],
      error_uri: 'https://login.microsoftonline.com/error?code=50173',
    });
    expect(err.message).toMatch(/\(AADSTS50173\): it was revoked: the password was changed or reset, or an administrator revoked the sessions$/);
  });

  it('Google invalid_rapt: the Workspace administrator wants a new sign-in', async () => {
    const err = await refusalOf('https://accounts.google.com', 400, {
      error: 'invalid_grant',
      error_description: 'reauth related error (invalid_rapt)',
      error_uri: 'https://support.google.com/a/answer/9368756',
      error_subtype: 'invalid_rapt',
    });
    expect(err).toMatchObject({ code: 'refresh_rejected', serverCode: 'invalid_grant' });
    expect(err.message).toBe("Google refused the refresh token (invalid_rapt): your Google Workspace administrator's session control requires you to re-authenticate");
  });

  it('Google, a bare invalid_grant: the 7-day limit of apps in "Testing" is named as a possible cause', async () => {
    const err = await refusalOf('https://accounts.google.com', 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    expect(err.message).toMatch(/^Google refused the refresh token \(invalid_grant: Token has been expired or revoked\.\): it was revoked or expired\. If the app is in "Testing"/);
    expect(err.message).toContain('after 7 days');
  });

  it('Auth0 and Okta: reuse detection is named (a refresh token used twice revokes the session)', async () => {
    const auth0 = await refusalOf('https://dev-abc.eu.auth0.com/', 403, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
    expect(auth0).toMatchObject({ code: 'refresh_rejected', status: 403 });
    expect(auth0.message).toMatch(/^Auth0 refused the refresh token \(invalid_grant: Unknown or invalid refresh token\.\): .*used twice.*revoke the whole session for safety/);
    const okta = await refusalOf('https://dev-123.okta.com/oauth2/default', 400, { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' });
    expect(okta.message).toMatch(/^Okta refused the refresh token \(invalid_grant: The refresh token is invalid or expired\.\): .*used twice/);
  });

  it('any other issuer: a bare invalid_grant in the server\'s words and the generic cause; the token is never echoed', async () => {
    const err = await refusalOf('https://login.example.test/realms/dev', 400, { error: 'invalid_grant', error_description: `Token is not active: ${REFRESH}` });
    expect(err.message).toBe('The OpenID Connect server refused the refresh token (invalid_grant: Token is not active: [redacted]): it was revoked, expired or already used');
  });

  it('the plain OAuth 2.0 kind (the same code, endpoints given by hand) names the kind the user configured, not OpenID', async () => {
    const issuer = 'https://login.example.test/realms/dev';
    const refused = (body: Record<string, unknown>) =>
      oauth2Provider
        .refresh({ baseUrl: 'https://api.example.test', http: providerAnswering(issuer, { status: 400, body }), now: () => 1_000, settings: { clientId: 'client-1', tokenEndpoint: `${issuer}/token` } }, { ...session, provider: 'oauth2' })
        .then(() => undefined, (e: unknown) => e as Error & { code?: string });
    const err = await refused({ error: 'invalid_grant', error_description: 'Token is not active' });
    expect(err).toMatchObject({ code: 'refresh_rejected', serverCode: 'invalid_grant' });
    expect(err!.message).toBe('The OAuth 2.0 server refused the refresh token (invalid_grant: Token is not active): it was revoked, expired or already used');
    // A refusal that is not about the grant: named the same way.
    expect((await refused({ error: 'invalid_client', error_description: 'Invalid client credentials' }))!.message).toBe('The OAuth 2.0 server refused the refresh token (invalid_client: Invalid client credentials)');
  });

  it('a refusal that is not about the grant keeps its own code (a wrong client is not a dead session)', async () => {
    const err = await refusalOf('https://login.example.test/realms/dev', 400, { error: 'invalid_client', error_description: 'Invalid client credentials' });
    expect(err).toMatchObject({ code: 'invalid_credentials', serverCode: 'invalid_client' });
  });
});
