import { afterEach, describe, expect, it } from 'vitest';
import { openCore } from '../../src-main/core/open.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { createKeychainStore } from '../../src-main/core/secrets/keychain.js';
import { applyOneByOne, updateOneByOne, secretKeys, type SecretChanges, type SecretStore } from '../../src-main/core/secrets/types.js';
import { TokenDeskError } from '../../src-main/core/errors.js';
import { decodeSession } from '../../src-main/core/sessions/session-codec.js';
import { makeHome } from '../helpers/home.js';

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;

/** The real keychain, with writes of sessions refused while `broken` is set (a keyring that locked mid-refresh). */
function flakyKeychain(home: string): SecretStore & { broken: boolean } {
  const real = createKeychainStore(home);
  const store = {
    broken: false,
    loadAll: () => real.loadAll(),
    get: real.get,
    delete: real.delete,
    set: async (k: Parameters<SecretStore['set']>[0], v: string) => {
      if (store.broken && k.endsWith('/session')) throw new TokenDeskError('keychain_locked', 'The OS keychain is locked');
      return real.set(k, v);
    },
    apply: (changes: SecretChanges) => applyOneByOne(store, changes),
    update: (decide: Parameters<SecretStore['update']>[0]) => updateOneByOne(store, decide),
  };
  return store;
}

describe('a renewal the keychain refuses to store', () => {
  let server: DemoServer | undefined;
  const home = makeHome();
  afterEach(async () => {
    await server?.close();
    home.cleanup();
  });

  it('keeps the rotated session in memory, hands it out with a warning, and stores it once the keychain is back', async () => {
    // Reuse interval 0: had the rotated refresh token been dropped, the old one would be spent for good.
    server = await startDemoServer({ port: 0, refreshReuseIntervalSeconds: 0 });
    let offset = 0;
    const secrets = flakyKeychain(home.dir);
    const core = openCore({ home: home.dir, secrets, now: () => Date.now() + offset, retryDeadlineMs: 500 });
    await core.envs.add({ name: 'staging', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey });
    const identity = await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    const first = await core.sessions.getFreshToken('staging');

    offset = 3600_000 - 60_000;
    secrets.broken = true;
    const renewed = await core.sessions.getFreshToken('staging');
    expect(server.stats.refreshGrants).toBe(1);
    expect(renewed.session.refreshToken).not.toBe(first.session.refreshToken);
    expect(renewed.warning).toMatch(/could not be saved to the keychain \(The OS keychain is locked\); TokenDesk keeps it in memory/);
    // Later uses get the kept session, not the spent one in the keychain, and cause no second refresh.
    const again = await core.sessions.getFreshToken('staging');
    expect(again.session.accessToken).toBe(renewed.session.accessToken);
    expect(server.stats.refreshGrants).toBe(1);

    secrets.broken = false;
    await core.sessions.getFreshToken('staging');
    const stored = decodeSession(await secrets.get(secretKeys.session(identity.id)));
    expect(stored?.refreshToken).toBe(renewed.session.refreshToken);
    // The stored session renews normally: its refresh token is the live one.
    offset = 2 * 3600_000;
    const next = await core.sessions.getFreshToken('staging');
    expect(next.warning).toBeUndefined();
    expect(server.stats.refreshGrants).toBe(2);
    expect(server.stats.familyRevocations).toBe(0);
  });
});
