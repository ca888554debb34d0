import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseCall } from '../../src-main/contract/api.js';
import { renderExport, toCurl } from '../../src-main/core/exports/index.js';
import { makeEnv, sessionInput, SUPABASE_SECRETS, supabaseInput } from './exports-fixtures.js';

/**
 * An email the server sends ends up in export comments and labels. dotenv reads with a multiline
 * regexp whose ^ also matches after U+2028 (ECMA-262 LineTerminator), so `a@b.test<U+2028>NODE_OPTIONS=…`
 * in the "# Identity:" comment used to become a variable. Bidi marks reorder what a reviewer reads.
 */
// dotenv's own parser (a dependency of electron-builder, hoisted in node_modules).
const dotenv = createRequire(import.meta.url)('dotenv') as { parse(src: string): Record<string, string> };

const HOSTILE_EMAIL = 'dev@example.com\u2028NODE_OPTIONS=--require=./evil.js\u2029\u200f\u202eadmin\u200e\u061c\u0090';
/** Line separators, bidi marks/embeddings/overrides/isolates, C1 and C0 (but \n). */
// eslint-disable-next-line no-control-regex -- control characters are what is looked for
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const input = () => supabaseInput({ identityEmail: HOSTILE_EMAIL });

describe('exports of an identity whose email holds line separators and bidi marks', () => {
  it('dotenv: dotenv itself reads exactly the exported variables, no NODE_OPTIONS', () => {
    const text = renderExport('dotenv', input(), { includeSecrets: true, includeRefreshToken: true });
    expect(text).not.toMatch(RAW_UNSAFE);
    expect(dotenv.parse(text)).toEqual({
      URL: 'https://txpaxbxhnvnhsjwwaeoy.supabase.co',
      ANON_KEY: SUPABASE_SECRETS.anonKey,
      API_KEY: SUPABASE_SECRETS.apiKey,
      USER_JWT_TOKEN: SUPABASE_SECRETS.accessToken,
      REFRESH_TOKEN: SUPABASE_SECRETS.refreshToken,
      ORGANIZATION_ID: '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d',
    });
    // The comment still names the identity, readable.
    expect(text.split('\n')[1]).toBe('# Identity: dev@example.com NODE_OPTIONS=--require=./evil.js admin');
  });

  it('json: no raw separator or bidi control, one line per variable, the label cleaned and the values intact', () => {
    const value = 'keep\u2028this\u202evalue';
    const env = makeEnv({ variables: { region: value } }); // stored by an older version
    const text = renderExport('json', { ...input(), env }, { includeSecrets: true });
    expect(text).not.toMatch(RAW_UNSAFE);
    const doc = JSON.parse(text) as { identity: string; variables: Record<string, string> };
    expect(doc.identity).toBe('dev@example.com NODE_OPTIONS=--require=./evil.js admin');
    expect(doc.variables.region).toBe(value);
    const all = text.split('\n');
    const block = all.slice(all.indexOf('  "variables": {') + 1, all.indexOf('  },'));
    expect(block.map((l) => /^ {4}"([^"]+)": /.exec(l)?.[1])).toEqual(Object.keys(doc.variables));
  });

  it('postman: no raw separator or bidi control in the file, the environment name cleaned', () => {
    const env = makeEnv({ name: 'staging\u202e\u2028prod', variables: { region: 'eu\u2029west' } });
    const text = renderExport('postman', { ...input(), env }, { includeSecrets: true, now: new Date(0) });
    expect(text).not.toMatch(RAW_UNSAFE);
    const doc = JSON.parse(text) as { name: string; values: Array<{ key: string; value: string }> };
    expect(doc.name).toBe('staging prod');
    expect(doc.values.find((v) => v.key === 'region')?.value).toBe('eu\u2029west');
  });

  it('curl: an account id (from the server) with a line separator or bidi mark is refused, not sent as a header', () => {
    const transport = { kind: 'header' as const, name: 'X-Account-Id' };
    for (const accountId of ['42\u2028X-Admin: 1', '42\u200f']) {
      const s = sessionInput({ accountId, identityEmail: HOSTILE_EMAIL });
      s.env = { ...s.env, accountTransport: transport };
      expect(() => toCurl(s, { includeSecrets: true })).toThrow(/X-Account-Id header value contains a line break or control character \(U\+(2028|200F)\)/);
    }
    const ok = toCurl(sessionInput({ identityEmail: HOSTILE_EMAIL }), { includeSecrets: true });
    expect(ok).not.toMatch(RAW_UNSAFE);
  });
});

describe('the contract refuses names and variables with invisible or control characters', () => {
  it.each([
    ['name', { name: 'staging\u202e', provider: 'session', baseUrl: 'http://h.test' }, /The name contains an invisible or control character \(U\+202E\)/],
    ['name', { name: 'staging\u200f', provider: 'session', baseUrl: 'http://h.test' }, /The name contains an invisible or control character \(U\+200F\)/],
    ['label', { name: 'x', label: 'eu\u2066', provider: 'session', baseUrl: 'http://h.test' }, /The label .*\(U\+2066\)/],
    ['variable', { name: 'x', provider: 'session', baseUrl: 'http://h.test', variables: { region: 'eu\u2028west' } }, /The value .*\(U\+2028\)/],
    ['variable name', { name: 'x', provider: 'session', baseUrl: 'http://h.test', variableNames: { access_token: 'tok\u061c' } }, /The variable name .*\(U\+061C\)/],
  ])('addEnvironment with a %s holding one', (_what, body, message) => {
    const r = parseCall('addEnvironment', body);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });

  it('and the same in an update; ordinary non-ASCII text passes', () => {
    const bad = parseCall('updateEnvironment', { id: 'e1', patch: { name: 'prod\u202d' } });
    expect(!bad.ok && bad.message).toMatch(/\(U\+202D\)/);
    expect(parseCall('addEnvironment', { name: 'Zoë — 東京 مرحبا', provider: 'session', baseUrl: 'http://h.test' }).ok).toBe(true);
  });
});
