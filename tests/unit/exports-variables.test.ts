import { describe, expect, it } from 'vitest';
import {
  authHeaders,
  exportVariables,
  renderExport,
  toJson,
  omittedNotes,
  toPostmanBulkEdit,
  toPostmanEnvironment,
  variableName,
  parsePostmanFile,
} from '../../src-main/core/exports/index.js';
import { makeEnv, sessionInput, SUPABASE_SECRETS, supabaseInput } from './exports-fixtures.js';

describe('variable names', () => {
  it('uses the seed collection names for Supabase and `token` for the session API', () => {
    const sb = makeEnv();
    expect(variableName(sb, 'access_token')).toBe('user_jwt_token');
    expect(variableName(sb, 'anon_key')).toBe('anon_key');
    expect(variableName(makeEnv({ provider: 'session' }), 'access_token')).toBe('token');
  });

  it('honours per-environment overrides', () => {
    const env = makeEnv({ variableNames: { url: 'baseUrl', access_token: 'accessToken' } });
    expect(variableName(env, 'url')).toBe('baseUrl');
    expect(variableName(env, 'access_token')).toBe('accessToken');
    expect(variableName(env, 'refresh_token')).toBe('refresh_token');
  });
});

describe('exportVariables', () => {
  it('lists the Supabase variables in the seed order, extras last', () => {
    const vars = exportVariables(supabaseInput(), { includeSecrets: true, includeRefreshToken: true });
    expect(vars.map((v) => [v.key, v.value, v.secret])).toEqual([
      ['url', 'https://txpaxbxhnvnhsjwwaeoy.supabase.co', false],
      ['anon_key', SUPABASE_SECRETS.anonKey, true],
      ['api_key', SUPABASE_SECRETS.apiKey, true],
      ['user_jwt_token', SUPABASE_SECRETS.accessToken, true],
      ['refresh_token', SUPABASE_SECRETS.refreshToken, true],
      ['organization_id', '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d', false],
    ]);
  });

  it('leaves the refresh token out unless asked for: its key stays, empty, and the note says why', () => {
    const vars = exportVariables(supabaseInput(), { includeSecrets: true });
    expect(vars.find((v) => v.key === 'refresh_token')).toMatchObject({ value: '', secret: true });
    expect(vars.find((v) => v.key === 'user_jwt_token')?.value).toBe(SUPABASE_SECRETS.accessToken);
    expect(omittedNotes(supabaseInput(), { includeSecrets: true })).toEqual([expect.stringMatching(/single-use.*ends TokenDesk's own session/)]);
    expect(omittedNotes(supabaseInput(), { includeSecrets: true, includeRefreshToken: true })).toEqual([]);
    // Without secrets nothing is withheld on purpose, and a session API has no refresh token.
    expect(omittedNotes(supabaseInput(), { includeSecrets: false })).toEqual([]);
    expect(omittedNotes(sessionInput(), { includeSecrets: true })).toEqual([]);
    const json = JSON.parse(toJson(supabaseInput(), { includeSecrets: true })) as { variables: Record<string, string>; omitted?: string[] };
    expect(json.variables.refresh_token).toBe('');
    expect(json.omitted?.[0]).toMatch(/single-use/);
    expect(renderExport('dotenv', supabaseInput(), { includeSecrets: true })).toMatch(/# The refresh token was left out: .*single-use/);
    expect(renderExport('postman', supabaseInput(), { includeSecrets: true })).not.toContain(SUPABASE_SECRETS.refreshToken);
    expect(renderExport('postman', supabaseInput(), { includeSecrets: true, includeRefreshToken: true })).toContain(SUPABASE_SECRETS.refreshToken);
  });

  it('without secrets blanks every secret value but keeps every key', () => {
    const withS = exportVariables(supabaseInput(), { includeSecrets: true });
    const without = exportVariables(supabaseInput(), { includeSecrets: false });
    expect(without.map((v) => v.key)).toEqual(withS.map((v) => v.key));
    for (const v of without) expect(v.value === '').toBe(v.secret);
    expect(JSON.stringify(without)).not.toMatch(/eyJ|cg_abc|v1\.refresh/);
  });

  it('session API: token and account id, no anon key or refresh token', () => {
    const vars = exportVariables(sessionInput(), { includeSecrets: true });
    expect(vars.map((v) => v.key)).toEqual(['url', 'token', 'account_id']);
    expect(vars.find((v) => v.key === 'account_id')).toMatchObject({ value: '2311', secret: false });
  });

  it('keeps the access-token key even when signed out, and skips absent optional secrets', () => {
    const vars = exportVariables(supabaseInput({ secrets: { anonKey: 'a' } }), { includeSecrets: true });
    expect(vars.map((v) => v.key)).toEqual(['url', 'anon_key', 'user_jwt_token', 'refresh_token', 'organization_id']);
    expect(vars.find((v) => v.key === 'user_jwt_token')?.value).toBe('');
  });

  it('renamed variables win over an extra with the same name', () => {
    const env = makeEnv({ variableNames: { access_token: 'jwt' }, variables: { jwt: 'not-a-role', organization_id: 'o' } });
    const vars = exportVariables({ env, secrets: { accessToken: 'T' } }, { includeSecrets: true });
    expect(vars.filter((v) => v.key === 'jwt')).toEqual([{ key: 'jwt', value: 'T', secret: true, role: 'access_token' }]);
  });
});

describe('Postman environment export', () => {
  const now = new Date('2025-07-10T08:12:52.072Z');

  it('has the §3a shape with secrets typed "secret"', () => {
    const pm = toPostmanEnvironment(supabaseInput(), { includeSecrets: true }, now);
    expect(pm.id).toBe('env1');
    expect(pm).toMatchObject({
      name: 'staging',
      _postman_variable_scope: 'environment',
      _postman_exported_at: '2025-07-10T08:12:52.072Z',
      _postman_exported_using: 'TokenDesk/0.1.0',
    });
    expect(pm.values).toContainEqual({ key: 'url', value: 'https://txpaxbxhnvnhsjwwaeoy.supabase.co', type: 'default', enabled: true });
    expect(pm.values).toContainEqual({ key: 'user_jwt_token', value: SUPABASE_SECRETS.accessToken, type: 'secret', enabled: true });
    expect(pm.values).toContainEqual({ key: 'organization_id', value: '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d', type: 'default', enabled: true });
    expect(pm.values.filter((v) => v.type === 'secret').map((v) => v.key)).toEqual([
      'anon_key',
      'api_key',
      'user_jwt_token',
      'refresh_token',
    ]);
  });

  it('with --no-secrets carries no secret anywhere in the file', () => {
    const text = renderExport('postman', supabaseInput(), { includeSecrets: false, now });
    for (const s of Object.values(SUPABASE_SECRETS)) expect(text).not.toContain(s);
    const pm = JSON.parse(text) as { values: { key: string; value: string; type: string }[] };
    expect(pm.values.filter((v) => v.type === 'secret').every((v) => v.value === '')).toBe(true);
    expect(pm.values.map((v) => v.key)).toContain('refresh_token');
  });

  it('the same id on every export (the environment\'s, or the imported file\'s), so a re-import updates instead of duplicating', () => {
    const a = toPostmanEnvironment(supabaseInput(), { includeSecrets: false });
    const b = toPostmanEnvironment(supabaseInput(), { includeSecrets: true });
    expect(a.id).toBe(b.id);
    const imported = supabaseInput({ env: makeEnv({ postmanId: 'a49c4668-5db8-443e-8bb7-763949da607b' }) });
    expect(toPostmanEnvironment(imported, { includeSecrets: false }).id).toBe('a49c4668-5db8-443e-8bb7-763949da607b');
    expect(parsePostmanFile(renderExport('postman', imported, { includeSecrets: false })).postmanId).toBe('a49c4668-5db8-443e-8bb7-763949da607b');
  });
});

describe('Postman bulk-edit format', () => {
  it('one key:value line per variable, the refresh token only when asked for', () => {
    expect(toPostmanBulkEdit(sessionInput(), { includeSecrets: true })).toBe(
      'url:http://localhost:3000\ntoken:e9f753d94b5eba91aabaa2dc8206d7dc03d29056abcda037acb4f2f56c6bc3c5\naccount_id:2311',
    );
    const lines = toPostmanBulkEdit(supabaseInput(), { includeSecrets: true }).split('\n');
    expect(lines).toContain(`user_jwt_token:${SUPABASE_SECRETS.accessToken}`);
    expect(lines).toContain('refresh_token:');
    expect(toPostmanBulkEdit(supabaseInput(), { includeSecrets: true, includeRefreshToken: true }).split('\n')).toContain(`refresh_token:${SUPABASE_SECRETS.refreshToken}`);
  });

  it('refuses what a paste would split into another variable', () => {
    const env = makeEnv({ variableNames: { url: 'base:url' } });
    expect(() => toPostmanBulkEdit({ env, secrets: {} }, { includeSecrets: true })).toThrow(/base:url.*colon/);
  });
});

describe('JSON export and renderExport', () => {
  it('json: environment, provider, identity and a flat variable map', () => {
    const text = toJson(sessionInput(), { includeSecrets: true });
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "environment": "local"');
    expect(JSON.parse(text)).toEqual({
      environment: 'local',
      provider: 'session',
      identity: 'test@test.com',
      variables: {
        url: 'http://localhost:3000',
        token: 'e9f753d94b5eba91aabaa2dc8206d7dc03d29056abcda037acb4f2f56c6bc3c5',
        account_id: '2311',
      },
    });
  });

  it('json without an identity says null, without secrets blanks the token', () => {
    const j = JSON.parse(toJson(sessionInput({ identityEmail: undefined }), { includeSecrets: false })) as Record<string, unknown>;
    expect(j.identity).toBeNull();
    expect(j.variables).toMatchObject({ token: '' });
  });

  it('postman and json end with a newline; curl does not (a pasted line must not run by itself)', () => {
    expect(renderExport('postman', supabaseInput(), { includeSecrets: false })).toMatch(/}\n$/);
    expect(renderExport('json', supabaseInput(), { includeSecrets: false })).toMatch(/}\n$/);
    expect(renderExport('dotenv', supabaseInput(), { includeSecrets: false })).toMatch(/\n$/);
    expect(renderExport('curl', supabaseInput(), { includeSecrets: false })).not.toMatch(/\n/);
  });
});

describe('authHeaders', () => {
  it('supabase: apikey, bearer token, then X-API-Key', () => {
    expect(authHeaders(supabaseInput())).toEqual([
      { name: 'apikey', value: SUPABASE_SECRETS.anonKey },
      { name: 'Authorization', value: `Bearer ${SUPABASE_SECRETS.accessToken}` },
      { name: 'X-API-Key', value: SUPABASE_SECRETS.apiKey },
    ]);
  });

  it('session: only the bearer token (no apikey even if an anon key were passed)', () => {
    const input = sessionInput();
    input.secrets.anonKey = 'ignored';
    expect(authHeaders(input)).toEqual([{ name: 'Authorization', value: `Bearer ${input.secrets.accessToken}` }]);
  });

  it('redacts values on request', () => {
    expect(authHeaders(supabaseInput(), { includeSecrets: false }).map((h) => h.value)).toEqual([
      '<redacted>',
      'Bearer <redacted>',
      '<redacted>',
    ]);
  });
});

describe('secret variables (values kept in the keychain)', () => {
  const env = makeEnv({ secretVariables: ['db_pass', 'Authorization'] });
  const secrets = { ...SUPABASE_SECRETS, variables: new Map([['db_pass', 'hunter2'], ['Authorization', 'Bearer eyJabc.def.ghi']]) };

  it('are exported like the other secrets: typed "secret" in Postman, in dotenv and JSON, blanked without secrets', () => {
    const pm = toPostmanEnvironment({ env, secrets }, { includeSecrets: true });
    expect(pm.values).toContainEqual({ key: 'db_pass', value: 'hunter2', type: 'secret', enabled: true });
    expect(pm.values).toContainEqual({ key: 'Authorization', value: 'Bearer eyJabc.def.ghi', type: 'secret', enabled: true });
    expect(renderExport('dotenv', { env, secrets }, { includeSecrets: true })).toContain('DB_PASS=hunter2\n');
    expect(JSON.parse(toJson({ env, secrets }, { includeSecrets: true })).variables).toMatchObject({ db_pass: 'hunter2' });
    for (const format of ['postman', 'dotenv', 'json', 'curl'] as const) {
      const text = renderExport(format, { env, secrets }, { includeSecrets: false });
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('eyJabc');
    }
    const blank = toPostmanEnvironment({ env, secrets }, { includeSecrets: false });
    expect(blank.values).toContainEqual({ key: 'db_pass', value: '', type: 'secret', enabled: true });
  });

  it('a name whose value is missing from the keychain still exports its key, empty', () => {
    const vars = exportVariables({ env, secrets: { anonKey: 'a' } }, { includeSecrets: true });
    expect(vars.find((v) => v.key === 'db_pass')).toEqual({ key: 'db_pass', value: '', secret: true });
  });

  it('round-trip through a Postman file back into secret variables', () => {
    const r = parsePostmanFile(renderExport('postman', { env, secrets }, { includeSecrets: true }));
    expect(r.secretVariables).toEqual({ db_pass: 'hunter2', Authorization: 'Bearer eyJabc.def.ghi' });
    expect(Object.keys(r.variables)).toEqual(['organization_id']);
  });
});
