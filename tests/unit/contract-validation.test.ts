import { describe, expect, it } from 'vitest';
import { parseCall } from '../../src-main/contract/api.js';

describe('contract validation at the process boundary', () => {
  it('an environment patch cannot change the provider or smuggle unknown fields', () => {
    expect(parseCall('updateEnvironment', { id: 'e1', patch: { name: 'x' } }).ok).toBe(true);
    expect(parseCall('updateEnvironment', { id: 'e1', patch: { apiKey: null } }).ok).toBe(true);
    const provider = parseCall('updateEnvironment', { id: 'e1', patch: { provider: 'session' } });
    expect(provider).toMatchObject({ ok: false });
    const extra = parseCall('updateEnvironment', { id: 'e1', patch: { name: 'x', admin: true } });
    expect(extra).toMatchObject({ ok: false });
  });

  it('names the bad field in its message', () => {
    const r = parseCall('addEnvironment', { name: 'x', provider: 'supabase', baseUrl: 'ftp://x' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^Invalid request to addEnvironment: baseUrl: Enter an http\(s\) URL/);
  });

  it('rejects a copy of an unknown kind', () => {
    expect(parseCall('copy', { envId: 'e1', item: { kind: 'everything' } }).ok).toBe(false);
  });
});
