import { describe, expect, it } from 'vitest';
import { parseAuthParams } from '../../src-main/contract/auth-params.js';
import { PROVIDERS } from '../../src-main/contract/providers.js';
import { checkSetting } from '../../src-main/contract/settings.js';
import { checkBaseUrl } from '../../src-main/contract/validators.js';
import type { FlowIO, FlowNotice } from '../../src-main/core/flows/types.js';
import type { HttpClient, HttpResponse } from '../../src-main/core/http/types.js';
import { oidcProvider } from '../../src-main/core/providers/oidc/index.js';

const oidc = PROVIDERS.oidc;
const setting = (name: string) => oidc.settings.find((s) => s.name === name)!;

describe('OpenID Connect presets: the known servers with their needs', () => {
  it('offers Entra ID, Google, Auth0, Okta, Keycloak, Cognito and GitLab, each with its issuer template, said untested', () => {
    const byTitle = Object.fromEntries(oidc.presets.map((p) => [p.title, p]));
    expect(Object.keys(byTitle)).toEqual(['Microsoft Entra ID', 'Google', 'Auth0', 'Okta', 'Keycloak', 'AWS Cognito', 'GitLab']);
    expect(byTitle['Microsoft Entra ID']!.baseUrl).toBe('https://login.microsoftonline.com/<tenant-id>/v2.0');
    expect(byTitle['Microsoft Entra ID']!.settings?.scope?.split(' ')).toContain('offline_access');
    expect(byTitle.Google!.baseUrl).toBe('https://accounts.google.com');
    expect(byTitle.Google!.settings?.authParams).toBe('access_type=offline&prompt=consent');
    expect(byTitle.Auth0!.baseUrl).toBe('https://<tenant>.auth0.com/');
    expect(byTitle.Auth0!.settings?.scope?.split(' ')).toContain('offline_access');
    expect(byTitle.Auth0!.hint).toMatch(/audience/);
    expect(byTitle.Okta!.baseUrl).toMatch(/\/oauth2\/default$/);
    expect(byTitle.Keycloak!.baseUrl).toBe('https://<host>/realms/<realm>');
    expect(byTitle['AWS Cognito']!.baseUrl).toBe('https://cognito-idp.<region>.amazonaws.com/<user-pool-id>');
    expect(byTitle.GitLab!.baseUrl).toBe('https://gitlab.com');
    for (const p of oidc.presets) {
      expect(p.hint, p.title).toMatch(/Untested against the real service\.$/);
      // A template must be filled in before it can be saved; a complete one is saved as it is.
      const url = checkBaseUrl(p.baseUrl, 'oidc');
      if (p.baseUrl.includes('<')) expect(url, p.title).toMatchObject({ ok: false });
      else expect(url, p.title).toMatchObject({ ok: true });
      // What a preset fills in is a declared, non-secret setting with a value the form and the CLI accept.
      for (const [name, value] of Object.entries(p.settings ?? {})) {
        const info = setting(name);
        expect(info?.secret, `${p.title} ${name}`).toBe(false);
        expect(checkSetting(info, value), `${p.title} ${name}`).toMatchObject({ ok: true, value });
      }
    }
  });

  it('extra authorization parameters: NAME=VALUE&…, never the protocol\'s own', () => {
    expect(parseAuthParams('access_type=offline&prompt=consent')).toEqual({ ok: true, params: { access_type: 'offline', prompt: 'consent' } });
    expect(parseAuthParams('?hd=example.com&login_hint=a%40b.test')).toEqual({ ok: true, params: { hd: 'example.com', login_hint: 'a@b.test' } });
    expect(parseAuthParams('')).toEqual({ ok: true, params: {} });
    expect(parseAuthParams('state=abc')).toMatchObject({ ok: false, message: 'state is set by TokenDesk itself' });
    expect(parseAuthParams('redirect_uri=https://evil.test')).toMatchObject({ ok: false });
    expect(parseAuthParams('scope=openid')).toMatchObject({ ok: false, message: /use the Scope setting/ });
    expect(parseAuthParams('prompt=consent&prompt=login')).toMatchObject({ ok: false, message: 'prompt is given twice' });
    expect(parseAuthParams('offline')).toMatchObject({ ok: false, message: /is not NAME=VALUE/ });
    // The setting is checked when saved, with the same words.
    expect(checkSetting(setting('authParams'), 'nonce=1')).toMatchObject({ ok: false, message: 'nonce is set by TokenDesk itself' });
  });
});

const ISSUER = 'https://accounts.google.com';

/** Serves Google-shaped discovery only: the browser method builds its URL from it. */
const discoveryOnly: HttpClient = {
  request(req) {
    const meta = {
      issuer: ISSUER,
      authorization_endpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
      token_endpoint: 'https://oauth2.googleapis.com/token',
      jwks_uri: 'https://www.googleapis.com/oauth2/v3/certs',
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
    const ok = req.url === `${ISSUER}/.well-known/openid-configuration`;
    const body = ok ? meta : {};
    return Promise.resolve<HttpResponse>({ status: ok ? 200 : 404, headers: { 'content-type': 'application/json' }, json: body, text: JSON.stringify(body) });
  },
};

/** The authorization URL the browser method opens with these settings, or its refusal; the wait is then cancelled. */
async function authorizationUrl(settings: Record<string, string>): Promise<URL> {
  const controller = new AbortController();
  let opened: ((u: string) => void) | undefined;
  const url = new Promise<string>((r) => (opened = r));
  const io: FlowIO = {
    signal: controller.signal,
    ask: () => Promise.reject(new Error('unexpected question')),
    show: (n: FlowNotice) => n.kind === 'open-url' && opened!(n.url),
    commit: () => !controller.signal.aborted,
  };
  const run = oidcProvider.signInWith('browser', { baseUrl: ISSUER, http: discoveryOnly, now: () => 1_000, settings, signal: controller.signal }, io);
  const first = await Promise.race([url, run.then(() => 'done')]);
  controller.abort(new Error('test over'));
  await run.catch(() => undefined);
  return new URL(first);
}

describe('OpenID Connect: the browser sign-in sends the extra authorization parameters', () => {
  it('Google\'s access_type=offline&prompt=consent reach the authorization URL beside PKCE, state and nonce', async () => {
    const url = await authorizationUrl({ clientId: 'desktop-client', scope: 'openid email', authParams: 'access_type=offline&prompt=consent' });
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('scope')).toBe('openid email');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBeTruthy();
  });

  it('a protocol parameter in the setting (a config edited by hand) is refused before anything is opened', async () => {
    await expect(authorizationUrl({ clientId: 'desktop-client', authParams: 'state=fixed' })).rejects.toMatchObject({ code: 'invalid_input', message: /state is set by TokenDesk itself/ });
  });
});
