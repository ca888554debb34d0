import { describe, expect, it } from 'vitest';
import { isRedirectAllowed, referrer } from '../../src-main/core/demo-server/gotrue-settings.js';

/**
 * GoTrue's `utilities.IsRedirectURLValid` / `GetReferrer` (supabase/auth internal/utilities/request.go):
 * the Site URL's host (any port on loopback), any loopback IP, or a GOTRUE_URI_ALLOW_LIST glob
 * compiled with '.' and '/' as separators; anything else falls back to the Site URL.
 */
const SITE = 'http://127.0.0.1:54329/demo/site';

describe('redirect allow list', () => {
  it('allows loopback IPs on any port, without an allow list', () => {
    expect(isRedirectAllowed(SITE, [], 'http://127.0.0.1:49152/cb')).toBe(true);
    expect(isRedirectAllowed(SITE, [], 'http://[::1]:8080/cb')).toBe(true);
  });

  it('does not allow localhost or another host unless a glob matches', () => {
    expect(isRedirectAllowed(SITE, [], 'http://localhost:3000/cb')).toBe(false);
    expect(isRedirectAllowed(SITE, ['http://localhost:*/**'], 'http://localhost:3000/cb')).toBe(true);
    expect(isRedirectAllowed(SITE, ['https://app.example/*'], 'https://app.example/a/b')).toBe(false);
    expect(isRedirectAllowed(SITE, ['https://app.example/**'], 'https://app.example/a/b#frag')).toBe(true);
    expect(isRedirectAllowed(SITE, ['https://*.example/**'], 'https://evil.sub.example/x')).toBe(false);
  });

  it('refuses decimal IPs and odd hostnames, and falls back to the Site URL', () => {
    expect(isRedirectAllowed(SITE, ['**'], 'http://2130706433/cb')).toBe(false);
    expect(referrer(SITE, [], 'https://evil.example/cb')).toBe(SITE);
    expect(referrer(SITE, [], 'https://evil.example/cb', 'http://127.0.0.1:5000/from-referer')).toBe('http://127.0.0.1:5000/from-referer');
  });
});
