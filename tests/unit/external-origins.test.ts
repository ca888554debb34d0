// Which links the Electron shell hands to the OS (electron/policies/external.ts): help pages on fixed
// hosts, and a sign-in page only on an origin a configured environment names
// (shell-common/sign-in-origins.ts), never a fixed list of sign-in servers.
import { FlowRunner } from '../../src-main/core/flows/runner.js';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({})); // the real package must never load in tests

import { EXTERNAL_HOST_ALLOWLIST, isAllowedExternalUrl, openExternalSafely } from '../../src-main/electron/policies/external.js';
import { signInOrigins, webOrigin } from '../../src-main/shell-common/sign-in-origins.js';

const ENVS = [
  { baseUrl: 'https://abc.supabase.co' },
  { baseUrl: 'HTTP://LocalHost:54321/' },
  { baseUrl: 'https://bücher.example/api/v2' },
  { baseUrl: 'https://login.example.com:8443' },
  { baseUrl: 'https://api.corp.example', signInOrigins: ['https://id.corp.example', 'javascript:alert(1)'] },
];

describe('signInOrigins', () => {
  it('is each environment\'s server origin and what it declares, normalised, once each', () => {
    expect(signInOrigins([...ENVS, { baseUrl: 'https://abc.supabase.co/rest/v1' }])).toEqual([
      'https://abc.supabase.co',
      'http://localhost:54321',
      'https://xn--bcher-kva.example',
      'https://login.example.com:8443',
      'https://api.corp.example',
      'https://id.corp.example',
    ]);
  });

  it('leaves out what is not an http(s) origin without credentials', () => {
    expect(signInOrigins([{ baseUrl: 'file:///C:/Users/me/login.html' }, { baseUrl: 'not a url' }, { baseUrl: 'https://me:pw@h.example' }, { baseUrl: 'blob:https://h.example/1' }])).toEqual([]);
    expect(webOrigin('https://a@b.example/')).toBeUndefined();
    expect(webOrigin('https://b.example:443/x')).toBe('https://b.example');
  });

  it('no environments: no sign-in origin', () => {
    expect(signInOrigins([])).toEqual([]);
  });
});

describe('isAllowedExternalUrl with the environments\' origins', () => {
  const allow = { hosts: EXTERNAL_HOST_ALLOWLIST, origins: signInOrigins(ENVS) };
  it.each([
    // the environments' own sign-in pages
    ['https://abc.supabase.co/auth/v1/authorize?provider=github&redirect_to=http%3A%2F%2F127.0.0.1%3A5000', true],
    ['http://localhost:54321/auth/v1/authorize', true],
    ['HTTP://LOCALHOST:54321/x', true],
    ['https://xn--bcher-kva.example/login', true],
    ['https://BÜCHER.example/login', true],
    ['https://login.example.com:8443/authorize', true],
    ['https://id.corp.example/oauth2/authorize', true],
    // the help pages allowed before
    ['https://supabase.com/docs/guides/api/api-keys', true],
    // a port, a scheme or a host that differs
    ['https://login.example.com/authorize', false],
    ['https://login.example.com:443/authorize', false],
    ['http://abc.supabase.co/auth/v1/authorize', false],
    ['https://localhost:54321/', false],
    ['http://localhost:54322/', false],
    ['http://127.0.0.1:54321/', false],
    ['https://xyz.supabase.co/', false],
    ['https://abc.supabase.co.evil.test/', false],
    ['https://evil.test/?https://abc.supabase.co/', false],
    ['https://abc.supabase.co./', false],
    // credentials in the URL point elsewhere than they look
    ['https://abc.supabase.co@evil.test/', false],
    ['https://a@abc.supabase.co/', false],
    ['http://user:pw@localhost:54321/', false],
    // other schemes, whatever their origin says
    ['blob:https://abc.supabase.co/0b9c', false],
    ['javascript:alert(1)', false],
    ['JAVASCRIPT:fetch("https://abc.supabase.co")', false],
    ['file:///C:/Windows/System32/calc.exe', false],
    ['file://abc.supabase.co/share/x', false],
    ['C:\\Windows\\System32\\calc.exe', false],
    ['\\\\abc.supabase.co\\share\\x.exe', false],
    ['ms-msdt:/id PCWDiagnostic', false],
    ['smb://abc.supabase.co/share', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['', false],
  ])('%s → %s', async (url, ok) => {
    expect(isAllowedExternalUrl(url, allow)).toBe(ok);
    const open = vi.fn();
    expect(await openExternalSafely(url, allow, open)).toBe(ok);
    expect(open).toHaveBeenCalledTimes(ok ? 1 : 0);
  });

  it('an environment\'s origin is allowed only while it is configured', () => {
    const url = 'https://abc.supabase.co/auth/v1/authorize';
    expect(isAllowedExternalUrl(url, { hosts: EXTERNAL_HOST_ALLOWLIST, origins: [] })).toBe(false);
    expect(isAllowedExternalUrl(url)).toBe(false); // the fixed help list alone never holds a sign-in server
  });

  it('opens the re-serialised URL (IDN as punycode, scheme lowercased)', async () => {
    const open = vi.fn();
    expect(await openExternalSafely('HTTPS://Bücher.example/login?x=1', allow, open)).toBe(true);
    expect(open).toHaveBeenCalledWith('https://xn--bcher-kva.example/login?x=1');
  });
});

describe('pages a sign-in flow in progress asked to open', () => {
  // An OpenID issuer's login page is on its own origin, not the environment's URL (Cognito's hosted UI,
  // Entra's login.microsoftonline.com): the shell opens exactly what a flow showed, nothing around it.
  const authorize = 'https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize?client_id=abc&code_challenge=x&state=y&redirect_uri=http%3A%2F%2F127.0.0.1%3A51234%2Fcallback';
  const allow = { hosts: [], origins: ['http://127.0.0.1:54329'], urls: [authorize] };
  it('opens the exact URL a flow showed, even past 2 KiB, and nothing else on that origin', () => {
    expect(isAllowedExternalUrl(authorize, allow)).toBe(true);
    expect(isAllowedExternalUrl('https://login.microsoftonline.com/contoso/oauth2/v2.0/logout', allow)).toBe(false);
    expect(isAllowedExternalUrl(`${authorize}&prompt=none`, allow)).toBe(false);
    const long = `https://id.example.com/authorize?request=${'a'.repeat(3000)}`;
    expect(isAllowedExternalUrl(long, { hosts: [], origins: [], urls: [long] })).toBe(true);
    expect(isAllowedExternalUrl(long, { hosts: [], origins: ['https://id.example.com'] })).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)', { hosts: [], origins: [], urls: ['javascript:alert(1)'] })).toBe(false);
  });

  it('the flow runner lists the pages its flows in progress showed, and forgets them when they end', async () => {
    const runner = new FlowRunner<string>({ now: () => 0 });
    let finish!: () => void;
    const first = await runner.begin(async (io) => {
      io.show({ kind: 'open-url', title: 'Continue in your browser', url: authorize, message: 'Waiting' });
      await new Promise<void>((r) => (finish = r));
      return 'ok';
    });
    expect(runner.shownUrls()).toEqual([authorize]);
    const done = runner.next(first.kind === 'done' ? '' : first.flowId);
    finish();
    await done;
    expect(runner.shownUrls()).toEqual([]);
  });
});
