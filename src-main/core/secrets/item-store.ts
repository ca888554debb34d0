import { mapKeychainError, type KeychainOp } from './keychain-errors.js';
import { keychainService, loadKeytar, PROBE, type KeytarLike } from './keytar.js';
import { applyOneByOne, type SecretChanges, type SecretKey, type SecretStore } from './types.js';

/**
 * The storage of TokenDesk before the vault: one keychain item per secret under the folder's
 * service. Kept to read an existing installation once (migration.ts) and for tests that seed one;
 * nothing writes new secrets this way. Items on a locked keyring read as missing, hence the probe.
 */
export function createItemStore(home: string, opts: { keytar?: KeytarLike } = {}): SecretStore & { service: string } {
  const service = keychainService(home);
  const keytar = opts.keytar ? Promise.resolve(opts.keytar) : undefined;

  async function run<T>(op: KeychainOp, fn: (kt: KeytarLike) => Promise<T>): Promise<T> {
    const kt = await (keytar ?? loadKeytar());
    try {
      return await fn(kt);
    } catch (e) {
      throw mapKeychainError(e, op);
    }
  }

  async function assertUnlocked(kt: KeytarLike): Promise<void> {
    if ((await kt.getPassword(service, PROBE)) !== null) return;
    await kt.setPassword(service, PROBE, 'ok');
    probeWritten = true;
  }
  // Writing the marker with the first secret keeps later checks (in any process) to one read.
  let probeWritten = false;

  const store = {
    service,
    loadAll: () =>
      run('list', async (kt) => {
        await assertUnlocked(kt);
        const out = new Map<string, string>();
        for (const { account, password } of await kt.findCredentials(service)) {
          if (!account.startsWith('.')) out.set(account, password);
        }
        return out;
      }),
    get: (key: SecretKey) =>
      run('read', async (kt) => {
        const value = await kt.getPassword(service, key);
        if (value !== null) return value;
        await assertUnlocked(kt);
        return undefined;
      }),
    set: (key: SecretKey, value: string) =>
      run('store', async (kt) => {
        await kt.setPassword(service, key, value);
        if (!probeWritten) {
          await kt.setPassword(service, PROBE, 'ok');
          probeWritten = true;
        }
      }),
    delete: (key: SecretKey) =>
      run('delete', async (kt) => {
        if (!(await kt.deletePassword(service, key))) await assertUnlocked(kt);
      }),
    // One item per secret: nothing can make these one write (migration reads this store, never writes it).
    apply: (changes: SecretChanges) => applyOneByOne(store, changes),
  };
  return store;
}
