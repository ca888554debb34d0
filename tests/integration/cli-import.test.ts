import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFixture, keychainUnreachable, stderrLines } from '../helpers/cli.js';

const unreachable = await keychainUnreachable();
const { newHome } = cliFixture();

const ANON = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.imported-anon-key-signature';
const API = 'cg_imported_api_key_5f3e2d1c';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.imported-user-jwt-signature';

/** A Postman environment export with both secret forms: `type: "secret"` and Postman 12's `secret: true`. */
const postmanEnv = {
  id: 'a49c4668-5db8-443e-8bb7-763949da607b',
  name: 'staging',
  values: [
    { key: 'url', value: 'https://abcd.supabase.co', type: 'default', enabled: true },
    { key: 'anon_key', value: ANON, type: 'secret', enabled: true },
    { key: 'api_key', value: API, type: 'default', secret: true, enabled: true },
    { key: 'user_jwt_token', value: JWT, type: 'secret', enabled: true },
    { key: 'organization_id', value: 'org-42', type: 'default', enabled: true },
  ],
  _postman_variable_scope: 'environment',
  _postman_exported_at: '2025-07-10T08:12:52.072Z',
  _postman_exported_using: 'Postman/11.50.1',
};

describe.skipIf(unreachable !== undefined)('tokendesk import', { timeout: 60_000 }, () => {
  it('creates an environment from a Postman environment file; secrets go to the keychain, not the config folder', async () => {
    const h = newHome();
    const file = join(h.work, 'staging.postman_environment.json');
    writeFileSync(file, JSON.stringify(postmanEnv));
    const r = await h.runInProcess(['import', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Imported environment "staging" (supabase, https://abcd.supabase.co); the anon key and API key went to the OS keychain');
    // The user JWT has no owner or expiry TokenDesk could trust: not imported, and said so.
    expect(r.stderr).toMatch(/tokens in the file were not imported/);
    for (const secret of [ANON, API, JWT]) {
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(h.folderText()).not.toContain(secret);
    }
    const show = JSON.parse((await h.runInProcess(['env', 'show', 'staging', '--json'])).stdout) as Record<string, unknown>;
    expect(show).toMatchObject({ provider: 'supabase', url: 'https://abcd.supabase.co', secrets: { anonKey: true, apiKey: true }, variables: { organization_id: 'org-42' } });
    // They come back out of the keychain on export.
    const exported = JSON.parse((await h.runInProcess(['export', '--env', 'staging', '--format', 'json'])).stdout) as { variables: Record<string, string> };
    expect(exported.variables).toMatchObject({ anon_key: ANON, api_key: API, organization_id: 'org-42' });

    // Importing again updates it in place.
    writeFileSync(file, JSON.stringify({ ...postmanEnv, values: [...postmanEnv.values.slice(0, 3), { key: 'organization_id', value: 'org-43', type: 'default' }] }));
    const again = await h.runInProcess(['import', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Updated environment "staging"');
    expect(JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout)).toHaveLength(1);
  });

  it("imports a collection's variables under another name and a given URL", async () => {
    const h = newHome();
    const file = join(h.work, 'api.postman_collection.json');
    writeFileSync(
      file,
      JSON.stringify({
        info: { name: 'My API', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        item: [],
        variable: [
          { key: 'token', value: '', type: 'string' },
          { key: 'api_key', value: API, secret: true },
          { key: 'tenant', value: 't-1', type: 'string' },
        ],
      }),
    );
    const r = await h.runInProcess(['import', file, '--name', 'mine', '--url', 'http://localhost:3000']);
    expect(r.code, r.stderr).toBe(0);
    const show = JSON.parse((await h.runInProcess(['env', 'show', 'mine', '--json'])).stdout) as Record<string, unknown>;
    expect(show).toMatchObject({ provider: 'session', url: 'http://localhost:3000', secrets: { apiKey: true }, variables: { tenant: 't-1' } });
    expect(h.folderText()).not.toContain(API);
  });

  it('refuses variable names that cannot round-trip and says which; the rest is imported', async () => {
    const h = newHome();
    const file = join(h.work, 'proto.postman_environment.json');
    writeFileSync(
      file,
      `{"name":"proto","__proto__":{"name":"evil"},"values":[{"key":"url","value":"http://localhost:3000"},` +
        `{"key":"__proto__","value":"a"},{"key":"constructor","value":"b"},{"key":"prototype","value":"c"},{"key":"toString","value":"d"}]}`,
    );
    const r = await h.runInProcess(['import', file]);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['__proto__', 'constructor', 'prototype']) expect(r.stderr).toContain(`Skipped the variable "${name}": the name is reserved`);
    expect(r.stderr).toContain('Ignored a "__proto__" field in the file');
    const show = JSON.parse((await h.runInProcess(['env', 'show', 'proto', '--json'])).stdout) as Record<string, unknown>;
    expect(show).toMatchObject({ name: 'proto', variables: { toString: 'd' } });
    expect(Object.keys(show.variables as object)).toEqual(['toString']);
  });

  it('rejects bad files with one clear line and changes nothing', async () => {
    const h = newHome();
    const file = join(h.work, 'bad.json');
    const cases: [string, string][] = [
      ['{"not": "postman"}', `tokendesk: Cannot import ${file}: Not a Postman environment or collection: missing "values" or "variable"`],
      [`{"values": [{"key": "x", "value": "${ANON}"`, `tokendesk: Cannot import ${file}: File is not valid JSON`],
      ['{"name":"n","values":[{"key":"anon_key","value":"k","type":"secret"}]}', 'tokendesk: The file has no base URL variable (url, baseUrl, base_url): pass --url'],
    ];
    for (const [text, message] of cases) {
      writeFileSync(file, text);
      const r = await h.runInProcess(['import', file]);
      expect(r.code).toBe(1);
      expect(stderrLines(r).at(-1)).toBe(message);
      expect(r.stderr).not.toContain(ANON);
    }
    const missing = await h.runInProcess(['import', join(h.work, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(stderrLines(missing)).toEqual([`tokendesk: Cannot read ${join(h.work, 'nope.json')}: no such file`]);
    expect(JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout)).toEqual([]);
  });
});
