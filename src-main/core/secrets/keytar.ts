import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { TokenDeskError } from '../errors.js';

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
export const PROBE = '.tokendesk-probe';

/** One keychain service per config folder, so two folders never see each other's entries. */
export function keychainService(home: string): string {
  return serviceForPath(resolve(home));
}

/** The service of an already absolute path, exactly as spelled (keychainService resolves first). */
export function serviceForPath(absolute: string): string {
  return `TokenDesk ${createHash('sha256').update(absolute).digest('hex').slice(0, 16)}`;
}

let keytarPromise: Promise<KeytarLike> | undefined;
export function loadKeytar(): Promise<KeytarLike> {
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

/** Proves the keychain is unlocked (see PROBE); throws keytar's own error when it is not. */
export async function assertUnlocked(kt: KeytarLike, service: string): Promise<void> {
  if ((await kt.getPassword(service, PROBE)) !== null) return;
  await kt.setPassword(service, PROBE, 'ok');
}
