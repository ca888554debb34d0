import { describe, expect, it } from 'vitest';
import { apiSchema } from '../../src-main/contract/api.js';
import { capabilitiesOf, PROVIDER_KINDS, PROVIDERS } from '../../src-main/contract/providers.js';
import { checkBaseUrl } from '../../src-main/contract/validators.js';
import { environmentViews } from '../../src-main/core/app/state-view.js';
import { ConfigSchema, EnvironmentSchema } from '../../src-main/core/config/schema.js';
import { getProvider, providerKinds } from '../../src-main/core/providers/registry.js';
import { decodeSession, encodeSession } from '../../src-main/core/sessions/session-codec.js';
import { sessionApiProvider } from '../../src-main/core/providers/session-api/index.js';
import { supabaseProvider } from '../../src-main/core/providers/supabase/index.js';

const env = (provider: string) => ({ id: 'e1', name: 'x', provider, baseUrl: 'https://api.example.test', createdAt: 1 });
const tokens = (provider: string) =>
  JSON.stringify({ provider, accessToken: 'access-token-1234', obtainedAt: 1_000, expiresAt: 60_000 });

describe('provider catalogue: the kind list declared once', () => {
  it('every schema takes exactly the catalogue kinds', () => {
    for (const kind of PROVIDER_KINDS) {
      expect(EnvironmentSchema.safeParse(env(kind)).success).toBe(true);
      expect(apiSchema.addEnvironment.safeParse({ name: 'x', provider: kind, baseUrl: 'https://api.example.test' }).success).toBe(true);
      expect(decodeSession(tokens(kind))?.provider).toBe(kind);
    }
    expect(EnvironmentSchema.safeParse(env('oauth')).success).toBe(false);
    expect(apiSchema.addEnvironment.safeParse({ name: 'x', provider: 'oauth', baseUrl: 'https://api.example.test' }).success).toBe(false);
    expect(decodeSession(tokens('oauth'))).toBeUndefined();
    expect(() => encodeSession({ ...(JSON.parse(tokens('oauth')) as object), profile: { userId: 'u', email: 'a@b.c', accounts: [], roles: [], permissions: [], permissionsFromRoles: [] } } as never)).toThrow(/provider/);
    expect(providerKinds()).toEqual([...PROVIDER_KINDS]);
  });

  it('the registry and the real providers announce the catalogue capabilities', () => {
    for (const real of [supabaseProvider, sessionApiProvider]) {
      const can = capabilitiesOf(real.kind);
      expect({ canRefresh: real.canRefresh, canSignUp: real.canSignUp }).toEqual({ canRefresh: can.canRefresh, canSignUp: can.canSignUp });
      expect({ canRefresh: getProvider(real.kind).canRefresh, canSignUp: getProvider(real.kind).canSignUp }).toEqual({ canRefresh: can.canRefresh, canSignUp: can.canSignUp });
    }
  });

  it('capabilities hang together: the renewal says whether it refreshes or re-runs a remembered password; only an anon-key provider exports it', () => {
    for (const kind of PROVIDER_KINDS) {
      const can = capabilitiesOf(kind);
      // A kind with neither (a pasted token: renewal none) is warned about before it ends.
      expect(can.canRefresh).toBe(can.renewal.kind === 'refresh');
      expect(can.canRememberPassword).toBe(can.renewal.kind === 'rerun');
      expect(can.exportedRoles.includes('refresh_token')).toBe(can.canRefresh);
      expect(can.exportedRoles.includes('anon_key')).toBe(can.needsAnonKey);
      expect(can.exportedRoles.includes('account_id')).toBe(can.hasAccounts);
      expect(can.signInMethods.length).toBeGreaterThan(0);
      // JSON-safe: the view carries it across IPC and the web bridge unchanged.
      expect(JSON.parse(JSON.stringify(can))).toEqual(can);
      // The URL placeholder is a base URL the provider accepts as it is.
      expect(checkBaseUrl(PROVIDERS[kind].urlPlaceholder, kind)).toMatchObject({ ok: true });
    }
  });

  it('the environment view and its identities carry the capabilities, so the UI never compares kind names', () => {
    const cfg = ConfigSchema.parse({
      version: 2,
      environments: PROVIDER_KINDS.map((kind) => ({ ...env(kind), id: kind, name: kind })),
      identities: PROVIDER_KINDS.map((kind) => ({ id: `i-${kind}`, envId: kind, subject: `user-${kind}`, email: `${kind}@example.test`, createdAt: 1 })),
    });
    const views = environmentViews(cfg, new Map(), { now: 2_000, refreshing: new Set() });
    for (const view of views) {
      // The kind's capabilities, its method templates made into the environment's own methods (none set here),
      // without the methods whose setting is not given (a plain OAuth 2.0 server's endpoints: none set here).
      expect(view.capabilities).toEqual({ ...capabilitiesOf(view.provider), signInMethods: capabilitiesOf(view.provider).signInMethods.filter((m) => !m.variantsFrom && !m.needsSetting) });
      expect(view.identities[0]!.canRememberPassword).toBe(capabilitiesOf(view.provider).canRememberPassword);
    }
    expect(views.find((v) => v.provider === 'session')?.identities[0]?.canRememberPassword).toBe(true);
    expect(views.find((v) => v.provider === 'supabase')?.identities[0]?.canRememberPassword).toBe(false);
  });

  it('what generic code asks of a kind is declared: one import fallback, curl paths and settings that exist, exported names for exported roles', () => {
    // A Postman file that shows no kind's hints must still land somewhere, and in one place only.
    expect(PROVIDER_KINDS.filter((k) => PROVIDERS[k].importHints.fallback)).toHaveLength(1);
    for (const kind of PROVIDER_KINDS) {
      const info = PROVIDERS[kind];
      expect(info.curlPath.path.startsWith('/')).toBe(true);
      if (info.curlPath.setting !== undefined) expect(info.settings.map((s) => s.name)).toContain(info.curlPath.setting);
      for (const role of info.capabilities.exportedRoles) expect(info.exportNames[role], `${kind} ${role}`).toBeTruthy();
      expect(info.presets.length).toBeGreaterThan(0);
    }
  });
});
