import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import keytar from 'keytar';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeychainStore, deleteAllForHome, keychainService } from '../../src-main/core/secrets/keychain.js';
import { DATA_KEY_ACCOUNT } from '../../src-main/core/secrets/vault.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { makeHome } from '../helpers/home.js';
import { keychainUnreachableReason } from '../helpers/keychain-reach.js';
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

const unreachable = await keychainUnreachableReason();
if (unreachable !== undefined && process.env.CI) throw new Error(`Keychain tests must run in CI (${unreachable}); use scripts/with-keyring.sh`);

const accounts = async (home: string) => (await keytar.findCredentials(keychainService(home))).map((c) => c.account).sort();

describe.skipIf(unreachable !== undefined)('vault on the real keychain', { timeout: 120_000 }, () => {
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
