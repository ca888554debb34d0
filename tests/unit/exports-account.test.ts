import { describe, expect, it } from 'vitest';
import { authHeaders, renderExport, toCurl } from '../../src-main/core/exports/index.js';
import type { Environment } from '../../src-main/core/config/schema.js';
import { makeEnv, sessionInput } from './exports-fixtures.js';

const globex = (accountTransport: Environment['accountTransport']) =>
  sessionInput({ env: makeEnv({ name: 'local', provider: 'session', baseUrl: 'http://localhost:3000', variables: {}, accountTransport }), accountId: '4200' });

describe('the active account travels with every request', () => {
  it('as a header: in the header lines and the curl command', () => {
    const input = globex({ kind: 'header', name: 'X-Account-Id' });
    expect(authHeaders(input)).toContainEqual({ name: 'X-Account-Id', value: '4200' });
    // Not a secret: shown even when secrets are redacted.
    expect(authHeaders(input, { includeSecrets: false })).toContainEqual({ name: 'X-Account-Id', value: '4200' });
    expect(toCurl(input, { includeSecrets: true })).toContain(`-H 'X-Account-Id: 4200'`);
  });

  it('as a query parameter: in the curl URL, encoded, and not as a header', () => {
    const input = { ...globex({ kind: 'query', name: 'accountId' }), accountId: 'a&b=c' };
    const curl = toCurl(input, { includeSecrets: true, path: '/api/applications?page=2' });
    expect(curl).toContain(`'http://localhost:3000/api/applications?page=2&accountId=a%26b%3Dc'`);
    expect(authHeaders(input).map((h) => h.name)).toEqual(['Authorization']);
  });

  it('not at all when the environment says none, or no account is chosen', () => {
    expect(toCurl(globex({ kind: 'none' }), { includeSecrets: true })).not.toMatch(/4200/);
    expect(toCurl(globex(undefined), { includeSecrets: true })).not.toMatch(/4200/);
    const noAccount = { ...globex({ kind: 'header', name: 'X-Account-Id' }), accountId: undefined };
    expect(authHeaders(noAccount).map((h) => h.name)).toEqual(['Authorization']);
  });

  it('an account_id variable from an imported file is sent until an identity picks one', () => {
    const env = makeEnv({ provider: 'session', baseUrl: 'http://h', variables: { accountId: '4100' }, variableNames: { account_id: 'accountId' }, accountTransport: { kind: 'header', name: 'X-Account-Id' } });
    expect(authHeaders({ env, secrets: { accessToken: 't' } })).toContainEqual({ name: 'X-Account-Id', value: '4100' });
    expect(authHeaders({ env, secrets: { accessToken: 't' }, accountId: '4200' })).toContainEqual({ name: 'X-Account-Id', value: '4200' });
    // Exported once, under the file's name, with the chosen value.
    const pm = JSON.parse(renderExport('postman', { env, secrets: {}, accountId: '4200' }, { includeSecrets: false })) as { values: { key: string; value: string }[] };
    expect(pm.values.filter((v) => v.key === 'accountId')).toEqual([expect.objectContaining({ value: '4200' })]);
  });
});
