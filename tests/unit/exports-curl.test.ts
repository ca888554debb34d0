import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TokenDeskError } from '../../src-main/core/errors.js';
import { shellQuote, toCurl } from '../../src-main/core/exports/index.js';
import { makeEnv, sessionInput, SUPABASE_SECRETS, supabaseInput } from './exports-fixtures.js';

/** Runs the line through a real POSIX shell with `curl` replaced by a function that prints its argv. */
function shellArgs(line: string): string[] {
  const script = `curl() { printf '%s\\0' "$@"; }\n${line}\n`;
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('toCurl', () => {
  it('supabase: the default "who am I" request with the exact header values', () => {
    const line = toCurl(supabaseInput(), { includeSecrets: true });
    expect(line.startsWith('curl ')).toBe(true);
    expect(line).not.toContain('\n');
    expect(shellArgs(line)).toEqual([
      'https://txpaxbxhnvnhsjwwaeoy.supabase.co/auth/v1/user',
      '-H',
      `apikey: ${SUPABASE_SECRETS.anonKey}`,
      '-H',
      `Authorization: Bearer ${SUPABASE_SECRETS.accessToken}`,
      '-H',
      `X-API-Key: ${SUPABASE_SECRETS.apiKey}`,
    ]);
  });

  it('session API: /api/auth/session with the bearer token', () => {
    expect(shellArgs(toCurl(sessionInput(), { includeSecrets: true }))).toEqual([
      'http://localhost:3000/api/auth/session',
      '-H',
      'Authorization: Bearer e9f753d94b5eba91aabaa2dc8206d7dc03d29056abcda037acb4f2f56c6bc3c5',
    ]);
  });

  it('survives values with quotes, $, backticks, backslashes and spaces', () => {
    const nasty = `it's "$HOME" \`id\` \\ $(echo pwned) ; rm -rf / '' end`;
    const line = toCurl(supabaseInput({ secrets: { accessToken: nasty } }), { includeSecrets: true });
    expect(shellArgs(line)).toContain(`Authorization: Bearer ${nasty}`);
    expect(shellArgs(`curl ${shellQuote("'")} ${shellQuote('')}`)).toEqual(["'", '']);
  });

  it('custom method and path keep a base-URL prefix and add -X', () => {
    const env = makeEnv({ provider: 'session', baseUrl: 'https://api.example.com/v2/', variables: {} });
    const args = shellArgs(toCurl({ env, secrets: { accessToken: 't' } }, { includeSecrets: true, method: 'post', path: 'items?x=1' }));
    expect(args).toEqual(['-X', 'POST', 'https://api.example.com/v2/items?x=1', '-H', 'Authorization: Bearer t']);
  });

  it('without secrets uses <redacted> placeholders, never blank headers', () => {
    const line = toCurl(supabaseInput(), { includeSecrets: false });
    for (const s of Object.values(SUPABASE_SECRETS)) expect(line).not.toContain(s);
    expect(shellArgs(line)).toEqual([
      'https://txpaxbxhnvnhsjwwaeoy.supabase.co/auth/v1/user',
      '-H',
      'apikey: <redacted>',
      '-H',
      'Authorization: Bearer <redacted>',
      '-H',
      'X-API-Key: <redacted>',
    ]);
  });

  it('rejects a method that is not a token and a value with a line break, without echoing it', () => {
    expect(() => toCurl(supabaseInput(), { includeSecrets: true, method: 'GET /x' })).toThrow(TokenDeskError);
    try {
      toCurl(supabaseInput({ secrets: { accessToken: 'abc\nSECRET' } }), { includeSecrets: true });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'invalid_input' });
      expect((e as Error).message).not.toContain('SECRET');
    }
  });
});
