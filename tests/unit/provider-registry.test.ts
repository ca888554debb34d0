import { describe, expect, it } from 'vitest';
import { getProvider, providerKinds } from '../../src-main/core/providers/registry.js';
import { supabaseProvider } from '../../src-main/core/providers/supabase/index.js';
import { sessionApiProvider } from '../../src-main/core/providers/session-api/index.js';
import { PROVIDER_KINDS } from '../../src-main/contract/providers.js';

describe('provider registry (lazy loading)', () => {
  it('announces the same capabilities as the providers it loads', () => {
    for (const real of [supabaseProvider, sessionApiProvider]) {
      const lazy = getProvider(real.kind);
      expect({ kind: lazy.kind, canRefresh: lazy.canRefresh, canSignUp: lazy.canSignUp }).toEqual({
        kind: real.kind,
        canRefresh: real.canRefresh,
        canSignUp: real.canSignUp,
      });
    }
    expect(providerKinds().sort()).toEqual([...PROVIDER_KINDS].sort());
  });

  it('forwards calls to the real provider (its errors included)', async () => {
    await expect(getProvider('session').refresh({} as never, {} as never)).rejects.toMatchObject({ code: 'unsupported' });
  });
});
