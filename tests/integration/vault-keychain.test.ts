import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import keytar from 'keytar';
import { afterAll, describe, expect, it } from 'vitest';
import { openCore } from '../../src-main/core/open.js';
import { DEMO_CREDENTIALS, startDemoServer } from '../../src-main/core/demo-server/index.js';
import { createItemStore, createKeychainStore, deleteAllForHome, keychainService, type KeytarLike } from '../../src-main/core/secrets/keychain.js';
import { DATA_KEY_ACCOUNT } from '../../src-main/core/secrets/vault.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { encodeSession } from '../../src-main/core/sessions/session-codec.js';
import { ProfileStore } from '../../src-main/core/sessions/profile-store.js';
import { splitLegacySessions } from '../../src-main/core/sessions/legacy-sessions.js';
import { makeHome } from '../helpers/home.js';
import { childScripts, root } from '../helpers/child-script.js';

const run = promisify(execFile);
const homes: ReturnType<typeof makeHome>[] = [];
afterAll(async () => {
  for (const h of homes) {
    await deleteAllForHome(h.dir).catch(() => undefined);
    await h.cleanup();
  }
});
const newHome = () => {
  const h = makeHome('tokendesk-vault-it-');
  homes.push(h);
  return h.dir;
};

async function reachable(): Promise<string | undefined> {
  try {
    await keytar.findCredentials('TokenDesk reachability check');
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
const unreachable = await reachable();
if (unreachable !== undefined && process.env.CI) throw new Error(`Keychain tests must run in CI (${unreachable}); use scripts/with-keyring.sh`);

const accounts = async (home: string) => (await keytar.findCredentials(keychainService(home))).map((c) => c.account).sort();
const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;

describe.skipIf(unreachable !== undefined)('vault on the real keychain', { timeout: 120_000 }, () => {
  it('moves a per-item installation into the vault: everything readable, old items gone; a crash before the deletes is finished by the next open', async () => {
    const home = newHome();
    // What the current release leaves: a real sign-in stored whole, plus keys and a secret variable, one item each.
    const server = await startDemoServer({ port: 0 });
    let session;
    try {
      const core = openCore({ home, secrets: createItemStore(home) });
      await core.envs.add({ name: 'staging', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey, apiKey: server.apiKey });
      const identity = await core.sessions.signIn('staging', { email: owner.email, password: owner.password, remember: true });
      session = (await core.sessions.readSession(identity.id))!;
      // The old release stored the session whole: put it back that way.
      await createItemStore(home).set(secretKeys.session(identity.id), encodeSession(session));
      await new ProfileStore(home).delete(identity.id);
      await createItemStore(home).set(secretKeys.variable('e1', 'db_pass'), 'hunter2');
      const before = await createItemStore(home).loadAll();
      expect(before.size).toBe(5);

      // First open: the deletes "crash" (fail) after the vault is written — both copies survive.
      const crashing: KeytarLike = { ...keytar, deletePassword: () => Promise.reject(new Error('killed')) };
      const importLegacy = (e: Map<string, string>) => splitLegacySessions(e, new ProfileStore(home)); // as openCore wires it
      const first = openCore({ home, secrets: createKeychainStore(home, { keytar: crashing, importLegacy }) });
      expect((await first.sessions.readSession(identity.id))?.accessToken).toBe(session.accessToken);
      expect(await accounts(home)).toEqual(expect.arrayContaining([DATA_KEY_ACCOUNT, ...before.keys()]));

      // Next open completes it without loss.
      const second = openCore({ home });
      const after = await second.secrets.loadAll();
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      for (const [k, v] of before) if (!k.endsWith('/session')) expect(after.get(k)).toBe(v);
      const read = await second.sessions.readSession(identity.id);
      expect(read).toEqual(session);
      // The profile moved out of the sealed entry into its file.
      expect(JSON.parse(after.get(secretKeys.session(identity.id))!)).not.toHaveProperty('profile');
      expect(await accounts(home)).toEqual([DATA_KEY_ACCOUNT]);
      expect((await second.sessions.getFreshToken('staging')).session.accessToken).toBe(session.accessToken);
    } finally {
      await server.close();
    }
  });

  const bundle = childScripts('vault-writers-');
  const vaultModule = JSON.stringify(join(root, 'src-main/core/secrets/keychain.ts'));
  const writer = `import { createKeychainStore } from ${vaultModule};
    const [home, name, count] = process.argv.slice(2);
    const store = createKeychainStore(home);
    for (let i = 0; i < Number(count); i++) await store.set('env/' + name + '/var/v' + i, name + '-' + i);
    await store.delete('env/' + name + '/var/v0');`;

  it('four processes writing at once lose none of each other\'s changes', async () => {
    const home = newHome();
    await createKeychainStore(home).set(secretKeys.apiKey('seed'), 'seed'); // one key for all of them
    const child = await bundle('writer', writer);
    const names = ['a', 'b', 'c', 'd'];
    await Promise.all(names.map((n) => run(process.execPath, [child, home, n, '15'], { timeout: 60_000 })));
    const all = await createKeychainStore(home).loadAll();
    expect(all.get(secretKeys.apiKey('seed'))).toBe('seed');
    for (const n of names) {
      expect(all.has(`env/${n}/var/v0`)).toBe(false);
      for (let i = 1; i < 15; i++) expect(all.get(`env/${n}/var/v${i}`)).toBe(`${n}-${i}`);
    }
    expect(all.size).toBe(1 + names.length * 14);
    expect(await accounts(home)).toEqual([DATA_KEY_ACCOUNT]);
  });

  // Each start can read "no key" just before another seals the vault: it must read the key again,
  // not report it gone (this failed as vault_key_missing on a loaded machine).
  it('four processes starting on an empty folder agree on one key', async () => {
    const home = newHome();
    const child = await bundle('writer', writer);
    await Promise.all(['a', 'b', 'c', 'd'].map((n) => run(process.execPath, [child, home, n, '3'], { timeout: 60_000 })));
    expect((await createKeychainStore(home).loadAll()).size).toBe(8);
    expect(await accounts(home)).toEqual([DATA_KEY_ACCOUNT]);
  });
});
