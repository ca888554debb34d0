import { describe, expect, it } from 'vitest';
import { changesOrigin, checkAccountTransport, checkAnonKey, checkBaseUrl, describeProblem } from '../../src-main/contract/validators.js';

describe('one base-URL rule for the form, the CLI and imports', () => {
  it('refuses a user name or password in the URL as a secret, without echoing it', () => {
    const r = checkBaseUrl('https://user:hunter2@api.example.com', 'session');
    expect(r).toMatchObject({ ok: false, field: 'baseUrl', suggestion: 'https://api.example.com' });
    if (r.ok) throw new Error('accepted');
    expect(r.message).toMatch(/user name or password.*secret.*configuration file/);
    expect(r.message).not.toContain('hunter2');
    expect(describeProblem(r)).toMatch(/^URL: the URL contains a user name or password/);
  });

  it.each([
    ['https://abc.supabase.co/rest/v1', 'supabase', '/rest/v1', 'https://abc.supabase.co'],
    ['https://abc.supabase.co/auth/v1/', 'supabase', '/auth/v1', 'https://abc.supabase.co'],
    ['https://self.example.com/supa/auth/v1/token', 'supabase', '/auth/v1/token', 'https://self.example.com/supa'],
    ['http://localhost:3000/api/auth/login', 'session', '/api/auth/login', 'http://localhost:3000'],
    ['http://localhost:3000/api', 'session', '/api', 'http://localhost:3000'],
  ] as const)('refuses %s for %s: TokenDesk adds %s itself', (url, provider, path, suggestion) => {
    const r = checkBaseUrl(url, provider);
    expect(r).toMatchObject({ ok: false, field: 'baseUrl', suggestion });
    if (!r.ok) expect(r.message).toContain(`ends in ${path}`);
  });

  it('refuses a space, a query or a fragment, with the field named', () => {
    expect(checkBaseUrl('https://api.example.com/my api', 'session')).toMatchObject({ ok: false, field: 'baseUrl', message: expect.stringMatching(/space/) });
    expect(checkBaseUrl('https://api.example.com?x=1', 'session')).toMatchObject({ ok: false, message: expect.stringMatching(/query/), suggestion: 'https://api.example.com' });
    expect(checkBaseUrl('ftp://host')).toMatchObject({ ok: false, message: expect.stringMatching(/enter an http\(s\) URL/) });
  });

  it('accepts project URLs, API roots and prefixes the provider does not add, dropping trailing slashes', () => {
    expect(checkBaseUrl(' https://abc.supabase.co/ ', 'supabase')).toEqual({ ok: true, value: 'https://abc.supabase.co' });
    expect(checkBaseUrl('http://127.0.0.1:54329', 'session')).toEqual({ ok: true, value: 'http://127.0.0.1:54329' });
    expect(checkBaseUrl('https://gw.example.com/tenant-a', 'session')).toEqual({ ok: true, value: 'https://gw.example.com/tenant-a' });
  });
});

describe('account transport and anon key', () => {
  it('takes a header or query name, refuses ones that would clash or break the request', () => {
    expect(checkAccountTransport({ kind: 'header', name: ' X-Account-Id ' })).toEqual({ ok: true, value: { kind: 'header', name: 'X-Account-Id' } });
    expect(checkAccountTransport({ kind: 'query', name: 'accountId' })).toEqual({ ok: true, value: { kind: 'query', name: 'accountId' } });
    expect(checkAccountTransport({ kind: 'header', name: 'Authorization' })).toMatchObject({ ok: false, field: 'accountTransport' });
    expect(checkAccountTransport({ kind: 'header', name: 'X Account' })).toMatchObject({ ok: false, field: 'accountTransport' });
  });

  it('anon key: a JWT or sb_publishable_ key, never a secret or service_role key', () => {
    expect(checkAnonKey('sb_publishable_abc').ok).toBe(true);
    expect(checkAnonKey('eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.sig').ok).toBe(true);
    expect(checkAnonKey('anon-key-value')).toMatchObject({ ok: false, field: 'anonKey' });
    expect(checkAnonKey('sb_secret_abc')).toMatchObject({ ok: false, message: expect.stringMatching(/secret key/) });
    const serviceRole = `eyJhbGciOiJIUzI1NiJ9.${btoa('{"role":"service_role"}').replace(/=+$/, '')}.sig`;
    expect(checkAnonKey(serviceRole)).toMatchObject({ ok: false, message: expect.stringMatching(/service_role/) });
  });
});

describe('changesOrigin: does a new URL send the credentials to another server?', () => {
  it('scheme, host or port is another server; a path, a trailing slash, host case or a default port is not', () => {
    expect(changesOrigin('https://api.example.com', 'https://api.example.com/v2')).toBe(false);
    expect(changesOrigin('https://api.example.com/v1', 'https://API.example.com:443/')).toBe(false);
    expect(changesOrigin('http://127.0.0.1:3000', 'http://127.0.0.1:3000/auth')).toBe(false);
    expect(changesOrigin('https://api.example.com', 'http://api.example.com')).toBe(true);
    expect(changesOrigin('https://api.example.com', 'https://api.example.com:8443')).toBe(true);
    expect(changesOrigin('https://api.example.com', 'https://evil.example.com')).toBe(true);
    expect(changesOrigin('https://abc.supabase.co', 'https://abc.supabase.co.evil.test')).toBe(true);
    // Not a URL: treated as a change, the safe side.
    expect(changesOrigin('https://api.example.com', 'not a url')).toBe(true);
  });
});
