import { describe, expect, it } from 'vitest';
import { EnvironmentSchema } from '../../src-main/core/config/schema.js';
import { buildExportInput } from '../../src-main/core/exports/input.js';
import { authHeaders } from '../../src-main/core/exports/headers.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';

/** The one builder the app's copy buttons and the CLI's token/export/exec share (core/exports/input.ts). */
describe('export input', () => {
  const env = EnvironmentSchema.parse({ id: 'e1', name: 'Staging', provider: 'supabase', baseUrl: 'https://x.test', createdAt: 1, secretVariables: ['stripe_key', 'unset_one'] });
  const other = { ...env, id: 'e2' };
  const secrets = new Map([
    [secretKeys.anonKey('e1'), 'anon-1'],
    [secretKeys.apiKey('e1'), ''],
    [secretKeys.variable('e1', 'stripe_key'), 'sk_live_1'],
    [secretKeys.anonKey('e2'), 'anon-2'],
  ]);

  it('signed out: only this environment’s keys and secret variables; an empty key counts as absent', () => {
    const input = buildExportInput(env, secrets);
    expect(input.secrets).toEqual({ anonKey: 'anon-1', variables: new Map([['stripe_key', 'sk_live_1']]) });
    expect(input.identityEmail).toBeUndefined();
    expect(buildExportInput(other, secrets).secrets.anonKey).toBe('anon-2');
  });

  it('signed in: the session’s tokens, email and account, so the headers carry them', () => {
    const input = buildExportInput(env, secrets, { session: { accessToken: 'at', refreshToken: 'rt' }, identity: { email: 'a@b.test', activeAccountId: '42' } });
    expect(input).toMatchObject({ identityEmail: 'a@b.test', accountId: '42', secrets: { accessToken: 'at', refreshToken: 'rt', anonKey: 'anon-1' } });
    expect(authHeaders(input).map((h) => h.name)).toEqual(['apikey', 'Authorization']);
    const noRefresh = buildExportInput(env, secrets, { session: { accessToken: 'at' }, identity: { email: 'a@b.test' } });
    expect('refreshToken' in noRefresh.secrets).toBe(false);
    expect(noRefresh.accountId).toBeUndefined();
  });
});
