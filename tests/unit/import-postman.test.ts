import { describe, expect, it } from 'vitest';
import { EnvironmentSchema } from '../../src-main/core/config/schema.js';
import { TokenDeskError } from '../../src-main/core/errors.js';
import { parsePostmanFile, renderExport, roleOfVariable } from '../../src-main/core/exports/index.js';
import { makeEnv, sessionInput, SUPABASE_SECRETS, supabaseInput } from './exports-fixtures.js';

const json = (o: unknown): string => JSON.stringify(o);

/** The seed's variables as a current Postman environment export. */
const seedEnvironment = {
  id: 'a49c4668-5db8-443e-8bb7-763949da607b',
  name: 'ConnectGain staging',
  values: [
    { key: 'url', value: 'https://txpaxbxhnvnhsjwwaeoy.supabase.co', type: 'default', enabled: true },
    { key: 'anon_key', value: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig', type: 'secret', enabled: true },
    { key: 'api_key', value: 'cg_your_api_key_here', type: 'secret', enabled: true },
    { key: 'organization_id', value: '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d', type: 'default', enabled: true },
    { key: 'user_jwt_token', value: '', type: 'secret', enabled: true },
    { key: 'refresh_token', value: '', type: 'secret', enabled: true },
  ],
  _postman_variable_scope: 'environment',
  _postman_exported_at: '2025-07-10T08:12:52.072Z',
  _postman_exported_using: 'Postman/11.50.1',
};

function expectInvalid(text: string, message: string | RegExp): void {
  let err: unknown;
  try {
    parsePostmanFile(text);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(TokenDeskError);
  expect((err as TokenDeskError).code).toBe('invalid_input');
  expect((err as TokenDeskError).message).toMatch(message);
}

describe('parsePostmanFile: environments', () => {
  it('imports the seed environment: url, secrets, extras and names', () => {
    const r = parsePostmanFile(json(seedEnvironment));
    expect(r).toMatchObject({
      name: 'ConnectGain staging',
      source: 'environment',
      provider: 'supabase',
      baseUrl: 'https://txpaxbxhnvnhsjwwaeoy.supabase.co',
      variables: { organization_id: '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d' },
      secrets: { anonKey: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig', apiKey: 'cg_your_api_key_here' },
      variableNames: {
        url: 'url',
        anon_key: 'anon_key',
        api_key: 'api_key',
        access_token: 'user_jwt_token',
        refresh_token: 'refresh_token',
      },
    });
    expect(r.secrets.accessToken).toBeUndefined();
    // An empty token in a fresh export is expected: no warning (tokens are never imported anyway).
    expect(r.warnings.join('\n')).not.toMatch(/user_jwt_token|has no value|without a value/);
    // The result is good enough to build a TokenDesk environment from.
    expect(() =>
      EnvironmentSchema.parse({ id: 'x', name: r.name, provider: r.provider, baseUrl: r.baseUrl, variables: r.variables, variableNames: r.variableNames, createdAt: 1 }),
    ).not.toThrow();
  });

  it('reads the Postman 12 form (secret: true, type default) as secret', () => {
    const r = parsePostmanFile(
      json({
        name: 'p12',
        values: [
          { key: 'baseUrl', value: 'http://localhost:3000', type: 'default', enabled: true },
          { key: 'accessToken', value: 'tok', type: 'default', secret: true, enabled: true },
          { key: 'client_secret', value: 'shh', type: 'default', secret: true, enabled: true },
        ],
        _postman_variable_scope: 'environment',
      }),
    );
    expect(r.provider).toBe('session');
    expect(r.secrets).toEqual({ accessToken: 'tok' });
    expect(r.variableNames).toEqual({ url: 'baseUrl', access_token: 'accessToken' });
    // An unknown secret is not put in the plaintext config.
    expect(r.variables).toEqual({});
    expect(r.warnings.some((w) => w.includes('"client_secret"') && !w.includes('shh'))).toBe(true);
  });

  it('reads an old Postman 4 export (type text, timestamp) and globals', () => {
    const r = parsePostmanFile(
      json({
        id: '1',
        name: 'old',
        values: [
          { key: 'base_url', value: 'https://api.example.com', type: 'text', enabled: true },
          { key: 'token', value: 'abc', type: 'text', enabled: true },
          { key: 'page_size', value: 50, type: 'text', enabled: true },
          { key: 'verbose', value: true, type: 'text', enabled: true },
        ],
        timestamp: 1494345830000,
        _postman_variable_scope: 'environment',
        _postman_exported_using: 'Postman/4.8.3',
      }),
    );
    expect(r).toMatchObject({ provider: 'session', baseUrl: 'https://api.example.com', secrets: { accessToken: 'abc' } });
    expect(r.variables).toEqual({ page_size: '50', verbose: 'true' });
    const g = parsePostmanFile(json({ name: '', values: [], _postman_variable_scope: 'globals' }));
    expect(g.source).toBe('globals');
    expect(g.name).toBe('Postman globals');
  });

  it('takes the escape sequences and bidi controls out of a name from the file, and says so', () => {
    const r = parsePostmanFile(json({ name: 'Prod\u001b]0;pwned\u0007 \u202eAPI', values: [{ key: 'url', value: 'https://api.example.com' }] }));
    expect(r.name).toBe('Prod API');
    expect(r.warnings.join('\n')).toContain('control characters; using "Prod API"');
  });

  it('skips disabled variables with a warning and treats {{var}} values as empty', () => {
    const r = parsePostmanFile(
      json({
        name: 'w',
        values: [
          { key: 'url', value: 'http://localhost:3000', enabled: true },
          { key: 'token', value: '{{login_token}}', type: 'secret', enabled: true },
          { key: 'organization_id', value: 'org', enabled: false },
          { key: 'tenant', value: ' {{tenant_id}} ', enabled: true },
        ],
      }),
    );
    expect(r.warnings).toContain('Skipped disabled variable "organization_id"');
    expect(r.warnings.filter((w) => w.includes('only refers to another variable'))).toHaveLength(2);
    expect(r.secrets.accessToken).toBeUndefined();
    expect(r.variableNames.access_token).toBe('token');
    expect(r.variables).toEqual({ tenant: '' });
  });

  it('recognises common spellings of each role', () => {
    expect(roleOfVariable('baseUrl')).toBe('url');
    expect(roleOfVariable('BASE_URL')).toBe('url');
    expect(roleOfVariable('supabase_url')).toBe('url');
    expect(roleOfVariable('anonKey')).toBe('anon_key');
    expect(roleOfVariable('apikey')).toBe('anon_key');
    expect(roleOfVariable('apiKey')).toBe('api_key');
    expect(roleOfVariable('x_api_key')).toBe('api_key');
    expect(roleOfVariable('jwt')).toBe('access_token');
    expect(roleOfVariable('refreshToken')).toBe('refresh_token');
    expect(roleOfVariable('accountId')).toBe('account_id');
    expect(roleOfVariable('organization_id')).toBeUndefined();
  });

  it('an `apikey` variable or an /auth/v1 url means Supabase; /auth/v1 is trimmed off the base URL', () => {
    const r = parsePostmanFile(
      json({ name: 's', values: [{ key: 'url', value: 'https://x.example.com/auth/v1/' }, { key: 'apikey', value: 'k' }] }),
    );
    expect(r.provider).toBe('supabase');
    expect(r.baseUrl).toBe('https://x.example.com');
    expect(r.secrets.anonKey).toBe('k');
  });
});

describe('parsePostmanFile: collections', () => {
  const collection = (variable: unknown[], schemaVersion = 'v2.1.0'): string =>
    json({
      info: { _postman_id: 'c1', name: 'ConnectGain API', schema: `https://schema.getpostman.com/json/collection/${schemaVersion}/collection.json` },
      item: [{ name: 'Login', request: { method: 'POST', url: '{{url}}/auth/v1/token?grant_type=password' } }],
      variable,
    });

  it('reads a v2.1 collection variable array; requests reveal Supabase', () => {
    const r = parsePostmanFile(
      collection([
        { key: 'url', value: 'https://api.connectgain.example', type: 'string' },
        { key: 'user_jwt_token', value: 'jwt-value', type: 'string' },
        { key: 'organization_id', value: 'org-1', type: 'string' },
        { id: 'idOnly', value: 'v', type: 'any' },
        { key: 'old', value: 'x', disabled: true },
      ]),
    );
    expect(r).toMatchObject({
      name: 'ConnectGain API',
      source: 'collection',
      provider: 'supabase',
      baseUrl: 'https://api.connectgain.example',
      secrets: { accessToken: 'jwt-value' },
      variables: { organization_id: 'org-1', idOnly: 'v' },
    });
    expect(r.warnings).toContain('Skipped disabled variable "old"');
  });

  it('reads v2.0 collections the same way', () => {
    const r = parsePostmanFile(collection([{ key: 'baseUrl', value: 'http://localhost:3000' }], 'v2.0.0'));
    expect(r.baseUrl).toBe('http://localhost:3000');
  });

  it('a JWT-looking value under an unknown name is not put into the config', () => {
    const r = parsePostmanFile(collection([{ key: 'service_role', value: 'eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.abc' }]));
    expect(r.variables).toEqual({});
    expect(r.warnings.join('\n')).toContain('"service_role"');
    expect(r.warnings.join('\n')).not.toContain('eyJ');
  });
});

describe('parsePostmanFile: malformed input has a specific message', () => {
  it.each([
    ['', /^File is empty$/],
    ['{"name": "x", values: []}', /^File is not valid JSON$/],
    ['[1,2]', /must contain a JSON object/],
    ['"text"', /must contain a JSON object/],
    [json({ name: 'x' }), 'Not a Postman environment or collection: missing "values" or "variable"'],
    [json({ info: { name: 'v1' }, requests: [] }), /Collection v2\.1/],
    [json({ name: 'x', values: {} }), 'Invalid Postman environment: "values" must be an array'],
    [json({ name: 'x', values: [{ value: 'v' }] }), 'Invalid Postman environment: "values[0].key" is missing'],
    [json({ name: 'x', values: [{ key: 'a', value: { nested: 1 } }] }), 'Invalid Postman environment: "values[0].value" must be a string, number or boolean'],
    [json({ name: 'x', values: [{ key: 'a', value: null }] }), '"values[0].value" must be a string, number or boolean'],
    [json({ name: 'x', values: [], _postman_variable_scope: 'collection' }), '"_postman_variable_scope" must be "environment" or "globals"'],
    [json({ info: {}, item: [], variable: [{ value: 'v' }] }), 'Invalid Postman collection: "variable[0]" needs a "key" or an "id"'],
    [json({ info: {}, item: [], variable: [{ key: 'k', value: [1] }] }), '"variable[0].value" must be a string, number or boolean'],
    [json({ name: 'x', values: [{ key: 'url', value: 'ftp://files.example.com' }] }), 'Variable "url" is not an http(s) URL'],
    [json({ name: 'x', values: [{ key: 'baseUrl', value: '{{host}}/api' }] }), 'Variable "baseUrl" is not a valid URL'],
  ])('%s', (text, message) => expectInvalid(text, message));

  it('rejects files over 5 MB', () => {
    expectInvalid(json({ name: 'big', values: [], pad: 'x'.repeat(5 * 1024 * 1024) }), /larger than 5 MB/);
  });

  it('never quotes the file in a JSON error (it may hold a token)', () => {
    try {
      parsePostmanFile('{"token": "eyJSECRET" oops}');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain('eyJSECRET');
    }
  });

  it('accepts a UTF-8 BOM', () => {
    expect(parsePostmanFile(`\uFEFF${json(seedEnvironment)}`).name).toBe('ConnectGain staging');
  });
});

describe('export → import round trip', () => {
  it('a fresh TokenDesk export without secrets imports with one quiet note and no warning', () => {
    const r = parsePostmanFile(renderExport('postman', supabaseInput(), { includeSecrets: false }));
    expect(r.warnings).toEqual([]);
    expect(r.notes).toEqual(['Secrets without a value, skipped: "anon_key", "api_key" (Postman exports only initial values)']);
  });

  it('keeps the account id of a session-API file as a variable, so it is exported and sent again', () => {
    const r = parsePostmanFile(renderExport('postman', sessionInput({ accountId: '4200' }), { includeSecrets: false }));
    expect(r.accountId).toBe('4200');
    expect({ ...r.variables }).toEqual({ account_id: '4200' });
  });

  it('supabase with secrets: same names, same values', () => {
    const r = parsePostmanFile(renderExport('postman', supabaseInput(), { includeSecrets: true, includeRefreshToken: true }));
    expect(r).toMatchObject({
      name: 'staging',
      provider: 'supabase',
      baseUrl: 'https://txpaxbxhnvnhsjwwaeoy.supabase.co',
      variables: { organization_id: '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d' },
      secrets: SUPABASE_SECRETS,
    });
    expect(r.warnings).toEqual([]);
  });

  it('renamed variables come back under the same names', () => {
    const env = makeEnv({
      variableNames: { url: 'baseUrl', anon_key: 'anonKey', access_token: 'accessToken', refresh_token: 'refreshToken', api_key: 'x_api_key' },
    });
    const r = parsePostmanFile(renderExport('postman', { env, secrets: SUPABASE_SECRETS }, { includeSecrets: true, includeRefreshToken: true }));
    expect(r.variableNames).toEqual({ ...env.variableNames });
    expect(r.secrets).toEqual(SUPABASE_SECRETS);
  });

  it('session API with account id; without secrets the names survive and no secret is imported', () => {
    const r = parsePostmanFile(renderExport('postman', sessionInput(), { includeSecrets: false }));
    expect(r).toMatchObject({ name: 'local', provider: 'session', baseUrl: 'http://localhost:3000', accountId: '2311', secrets: {} });
    expect(r.variableNames).toEqual({ url: 'url', access_token: 'token', account_id: 'account_id' });
  });
});

describe('secret-looking and reserved variables', () => {
  it('keeps secret-looking extras for the keychain, by type and by value, never among the plain variables', () => {
    const r = parsePostmanFile(
      json({
        name: 'e',
        values: [
          { key: 'url', value: 'https://api.example.com' },
          { key: 'Authorization', value: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.sig_sig_sig' },
          { key: 'database', value: 'postgres://u:p@host/db' },
          { key: 'db_pass', value: 'hunter2' },
          { key: 'webhook', value: 'plain-looking', type: 'secret' },
          { key: 'empty_secret', value: '', type: 'secret' },
          { key: 'region', value: 'eu-west-1' },
        ],
      }),
    );
    expect({ ...r.variables }).toEqual({ region: 'eu-west-1' });
    expect({ ...r.secretVariables }).toEqual({
      Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.sig_sig_sig',
      database: 'postgres://u:p@host/db',
      db_pass: 'hunter2',
      webhook: 'plain-looking',
    });
    // Said once, as a quiet note rather than a warning.
    expect(r.notes).toEqual(['Secret without a value, skipped: "empty_secret" (Postman exports only initial values)']);
    expect(r.warnings.join('\n')).not.toMatch(/empty_secret/);
    for (const w of r.warnings) expect(w).not.toMatch(/hunter2|eyJ|u:p@/);
  });

  it('refuses __proto__, constructor and prototype by name, keeps toString in a map without a prototype, and pollutes nothing', () => {
    const text = `{
      "name": "evil",
      "__proto__": { "polluted": "yes", "values": [] },
      "values": [
        { "key": "url", "value": "https://api.example.com" },
        { "key": "__proto__", "value": "x" },
        { "key": "constructor", "value": "y" },
        { "key": "prototype", "value": "z" },
        { "key": "toString", "value": "w" },
        { "key": "hasOwnProperty", "value": "v" }
      ]
    }`;
    const r = parsePostmanFile(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getPrototypeOf(r.variables)).toBeNull();
    expect(Object.keys(r.variables)).toEqual(['toString', 'hasOwnProperty']);
    expect(r.variables.toString).toBe('w');
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      expect(r.warnings).toContain(`Skipped the variable "${name}": the name is reserved by JavaScript and cannot be stored safely; choose another name`);
    }
    expect(r.warnings).toContain('Ignored a "__proto__" field in the file');
    // What was kept is storable as is.
    expect(() =>
      EnvironmentSchema.parse({ id: 'x', name: r.name, provider: r.provider, baseUrl: r.baseUrl, variables: r.variables, variableNames: r.variableNames, createdAt: 1 }),
    ).not.toThrow();
  });
});
