/**
 * Every setting that names a server the credentials go to counts as the environment's server: a project
 * file or an edit that changes one is a move (sessions end, keys are removed), as a base URL move is.
 * The reviewer found a changed OpenID issuer kept the sessions; the plain OAuth 2.0 kind's endpoints are
 * such settings too (its refresh tokens and client secret go to the token endpoint).
 */
import { describe, expect, it } from 'vitest';
import { changesServers, describeMove, environmentServers } from '../../src-main/contract/servers.js';

const oauth2 = (tokenEndpoint: string, extra: Record<string, string> = {}) => ({ provider: 'oauth2' as const, baseUrl: 'https://api.example.com', settings: { tokenEndpoint, clientId: 'app', ...extra } });

describe('environment servers', () => {
  it('an OAuth 2.0 token endpoint on another server moves the environment; a path on the same one does not', () => {
    expect(environmentServers(oauth2('https://login.example.com/oauth/token'))).toEqual(['https://api.example.com', 'https://login.example.com']);
    expect(changesServers(oauth2('https://login.example.com/oauth/token'), oauth2('https://evil.example/token'))).toBe(true);
    expect(changesServers(oauth2('https://login.example.com/oauth/token'), oauth2('https://login.example.com/v2/token'))).toBe(false);
    expect(changesServers(oauth2('https://login.example.com/t'), oauth2('https://login.example.com/t', { revocationEndpoint: 'https://elsewhere.example/revoke' }))).toBe(true);
  });

  it('an OpenID issuer on another server moves it; settings that name no server do not', () => {
    const oidc = (issuer: string, scope = 'openid') => ({ provider: 'oidc' as const, baseUrl: 'https://api.example.com', settings: { issuer, clientId: 'app', scope } });
    expect(changesServers(oidc('https://idp.example.com/realms/a'), oidc('https://idp.example.com/realms/b'))).toBe(false);
    expect(changesServers(oidc('https://idp.example.com'), oidc('https://evil.example'))).toBe(true);
    expect(changesServers(oidc('https://idp.example.com'), oidc('https://idp.example.com', 'openid email'))).toBe(false);
  });

  it('a move is said by the servers that changed, not the base URL both keep; all of them when nothing new comes', () => {
    const oidc = (issuer?: string) => ({ provider: 'oidc' as const, baseUrl: 'https://api.example.com', settings: { clientId: 'app', ...(issuer && { issuer }) } });
    expect(describeMove(oidc('https://idp.example.com/r'), oidc('https://evil.example/r'))).toEqual({ what: 'servers', from: 'https://idp.example.com', to: 'https://evil.example' });
    expect(describeMove(oidc('https://idp.example.com/r'), oidc())).toEqual({ what: 'servers', from: 'https://api.example.com, https://idp.example.com', to: 'https://api.example.com' });
  });
});
