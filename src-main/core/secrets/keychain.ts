import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { TokenDeskError } from '../errors.js';
import { mapKeychainError, type KeychainOp } from './keychain-errors.js';
import type { SecretKey, SecretStore } from './types.js';

/** The part of keytar we use; injectable so tests can count round trips or simulate failures. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/**
 * A non-secret marker entry. libsecret reports items of a locked collection as missing (get → null,
 * delete → false) and keytar's findCredentials crashes the process on them, so before trusting a
 * "missing" answer or listing, we check the marker is readable, writing it if absent: that write
 * fails with "locked collection" exactly when the keychain is locked.
 */
const PROBE = '.tokendesk-probe';

/** One keychain service per config folder, so two folders never see each other's entries. */
export function keychainService(home: string): string {
  return `TokenDesk ${createHash('sha256').update(resolve(home)).digest('hex').slice(0, 16)}`;
}

let keytarPromise: Promise<KeytarLike> | undefined;
function loadKeytar(): Promise<KeytarLike> {
  keytarPromise ??= import('keytar')
    .then((m) => ((m as { default?: KeytarLike }).default ?? m) as KeytarLike)
    .catch((e: unknown) => {
      keytarPromise = undefined; // let a later call retry
      throw new TokenDeskError(
        'keychain_unavailable',
        'The OS keychain is unavailable: its native module (keytar) could not be loaded',
        { cause: e },
      );
    });
  return keytarPromise;
}

export function createKeychainStore(home: string, opts: { keytar?: KeytarLike } = {}): SecretStore & { service: string } {
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

  return {
    service,
    loadAll: () =>
      run('list', async (kt) => {
        await assertUnlocked(kt);
        const out = new Map<string, string>();
        for (const { account, password } of await kt.findCredentials(service)) {
          if (account !== PROBE) out.set(account, password);
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
  };
}

/** Removes every entry of a config folder (tests, and a future "forget everything"). */
export async function deleteAllForHome(home: string, opts: { keytar?: KeytarLike } = {}): Promise<void> {
  const kt = opts.keytar ?? (await loadKeytar());
  const service = keychainService(home);
  try {
    for (const { account } of await kt.findCredentials(service)) await kt.deletePassword(service, account);
  } catch (e) {
    throw mapKeychainError(e, 'delete');
  }
}
