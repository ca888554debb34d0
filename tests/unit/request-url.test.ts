/**
 * `tokendesk request PATH` carries the environment's token: whatever PATH is, the request goes to the
 * environment's own origin. A reviewer found "//evil.example/x" after a base without a path parsed as
 * another host (a scheme-relative URL), so the Authorization header went there.
 */
import { describe, expect, it } from 'vitest';
import { requestUrl } from '../../src-main/cli/commands/request.js';

describe('requestUrl', () => {
  it('puts a path after the base URL, its own path kept', () => {
    expect(requestUrl('https://api.example.com', '/v1/items?a=1')).toBe('https://api.example.com/v1/items?a=1');
    expect(requestUrl('https://api.example.com/rest/', 'items')).toBe('https://api.example.com/rest/items');
    expect(requestUrl('https://api.example.com', 'https://api.example.com/x')).toBe('https://api.example.com/x');
  });

  it.each(['//evil.example/x', '/\\evil.example/x', '\\\\evil.example', 'https://evil.example/x'])('refuses %s: another server would get the token', (path) => {
    expect(() => requestUrl('https://api.example.com', path)).toThrow(/not this environment's server/);
  });
});
