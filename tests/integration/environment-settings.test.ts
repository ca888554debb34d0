import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core/open.js';
import { TokenDeskError } from '../../src-main/core/errors.js';
import { secretKeys, type SecretKey } from '../../src-main/core/secrets/types.js';
import type { AuthProvider, ProviderContext } from '../../src-main/core/providers/types.js';
import { closeAppService, openAppService, type AppService, type TestHome } from '../helpers/app-service.js';
import { makeHome } from '../helpers/home.js';

// Shaped like an anon key (contract/validators.ts checkAnonKey); no server sees it.
const ANON = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.settings-test-anon';

describe('declared settings through the contract (secret ones in the vault, names only in the view)', () => {
  let home: TestHome;
  let service: AppService;
  beforeEach(() => {
    ({ home, service } = openAppService());
  });
  afterEach(() => closeAppService({ home, service }));

  it('secrets given by name are stored like anonKey/apiKey, listed by name, and null removes one', async () => {
    const added = await service.handle('addEnvironment', {
      name: 'staging',
      provider: 'supabase',
      baseUrl: 'https://abc.supabase.co',
      secrets: { anonKey: ANON, apiKey: 'k-settings-1' },
    });
    expect(added.secretSettings).toEqual(['anonKey', 'apiKey']);
    expect(added.hasAnonKey && added.hasApiKey).toBe(true);
    expect(added.settings).toEqual({});
    expect(await service.core.secrets.get(secretKeys.apiKey(added.id))).toBe('k-settings-1');
    expect(readFileSync(service.core.config.path, 'utf8')).not.toContain('k-settings-1');
    expect(JSON.stringify(await service.handle('getState', {}))).not.toContain('k-settings-1');

    const edited = await service.handle('updateEnvironment', { id: added.id, patch: { secrets: { apiKey: null } } });
    expect(edited.secretSettings).toEqual(['anonKey']);
    expect(await service.core.secrets.get(secretKeys.apiKey(added.id))).toBeUndefined();
  });

  it('a setting the kind does not declare, or a required secret removed, is refused by name and changes nothing', async () => {
    await expect(
      service.handle('addEnvironment', { name: 'x', provider: 'session', baseUrl: 'https://api.example.com', settings: { loginPathTypo: '/v2/sessions' } }),
    ).rejects.toThrow(/"loginPathTypo" is not a setting of Session API environments/);
    await expect(service.handle('addEnvironment', { name: 'y', provider: 'session', baseUrl: 'https://api.example.com', secrets: { anonKey: ANON } })).rejects.toThrow(
      /"anonKey" is not a setting of Session API environments/,
    );
    expect((await service.handle('getState', {})).environments).toEqual([]);

    const env = await service.handle('addEnvironment', { name: 'z', provider: 'supabase', baseUrl: 'https://abc.supabase.co', anonKey: ANON });
    await expect(service.handle('updateEnvironment', { id: env.id, patch: { secrets: { anonKey: null } } })).rejects.toThrow(/needs its anon key/);
    expect(await service.core.secrets.get(secretKeys.anonKey(env.id))).toBe(ANON);
  });
});

describe('the vault sweeps know secret settings', () => {
  let home: ReturnType<typeof makeHome>;
  let core: Core;

  beforeEach(() => {
    home = makeHome();
    core = openCore({ home: home.dir, startSweep: false });
  });
  afterEach(() => home.cleanup());

  it('a secret setting its kind does not declare is an orphan; the declared ones are kept', async () => {
    const env = await core.envs.add({ name: 'staging', provider: 'supabase', baseUrl: 'https://abc.supabase.co', anonKey: ANON, apiKey: 'k-2' });
    // What a version that declared a setting, or a killed edit, could leave behind.
    const ghost = `env/${env.id}/setting/clientSecret` as SecretKey;
    const mapped = `env/${env.id}/setting/anonKey` as SecretKey; // anonKey lives at anon_key, never here
    await core.secrets.apply([
      [ghost, 'left-over'],
      [mapped, 'left-over'],
    ]);
    const removed = await core.envs.removeOrphans();
    expect(removed.sort()).toEqual([ghost, mapped].sort());
    const all = await core.secrets.loadAll();
    expect(all.get(secretKeys.anonKey(env.id))).toBe(ANON);
    expect(all.get(secretKeys.apiKey(env.id))).toBe('k-2');
  });
});

describe('SessionManager.context gives the provider its settings and secrets', () => {
  let home: ReturnType<typeof makeHome>;
  let seen: ProviderContext[];
  let core: Core;

  beforeEach(() => {
    home = makeHome();
    seen = [];
    // Records what a sign-in is given, then refuses: nothing is stored.
    const recording = {
      signInWith: (_method: string, ctx: ProviderContext) => {
        seen.push(ctx);
        return Promise.reject(new TokenDeskError('invalid_credentials', 'refused by the test provider'));
      },
    } as unknown as AuthProvider;
    core = openCore({ home: home.dir, startSweep: false, providers: () => recording });
  });
  afterEach(() => home.cleanup());

  it('every declared secret of the environment and its settings reach the provider', async () => {
    const env = await core.envs.add({ name: 'staging', provider: 'supabase', baseUrl: 'https://abc.supabase.co', anonKey: ANON, apiKey: 'k-3' });
    await expect(core.sessions.signIn(env.id, { email: 'a@example.test', password: 'pw' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.secrets).toEqual({ anonKey: ANON, apiKey: 'k-3' });
    expect(seen[0]!.settings).toEqual({});

    // A required one missing (here the anon key, gone from the vault) is one error naming it and how
    // to set it, and the provider is not called (the same sentence the anon key had before).
    await core.secrets.delete(secretKeys.anonKey(env.id));
    await expect(core.sessions.signIn(env.id, { email: 'a@example.test', password: 'pw' })).rejects.toThrow(
      'Environment "staging" has no anon key stored: enter it with Edit in the app, or tokendesk env edit "staging" --anon-key -',
    );
    expect(seen).toHaveLength(1);
  });
});
