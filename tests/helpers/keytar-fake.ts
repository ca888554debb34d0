import type { KeytarLike } from '../../src-main/core/secrets/keytar.js';

/**
 * An in-memory keytar with two OS limits the real Secret Service does not have:
 *
 * - Windows Credential Manager refuses a credential blob over CRED_MAX_CREDENTIAL_BLOB_SIZE = 5*512 =
 *   2,560 bytes (CREDENTIALW.CredentialBlobSize, https://learn.microsoft.com/en-us/windows/win32/api/wincred/ns-wincred-credentialw);
 *   keytar stores the password as the blob (UTF-8 on its Windows backend) and fails with "The stub
 *   received bad data" / "The parameter is incorrect" past it (atom/node-keytar issues #140, #249, #468).
 *   `setPassword` here throws past that size.
 * - macOS Keychain checks each item's access control list: an app not among the item's trusted apps
 *   (the CLI's `node` reading an item the Electron app created) makes the system prompt the user to
 *   Deny, Allow or Always Allow — per item (Apple, "Access Control Lists",
 *   https://developer.apple.com/documentation/security/keychain_services/access_control_lists).
 *   `reads` counts every item whose secret a process obtained: getPassword of an existing item, and
 *   each item findCredentials returns — the number of prompts such a process could cause.
 */
export const CRED_MAX_CREDENTIAL_BLOB_SIZE = 2560;

export class KeytarFake {
  /** service -> account -> password, shared by every "process" made from this fake. */
  readonly items = new Map<string, Map<string, string>>();

  /** A keytar as one process sees it; its `reads` counter is that process's. */
  process(): KeytarLike & { reads: number; calls: string[]; failDeletes: boolean } {
    const items = this.items;
    const of = (service: string) => {
      let m = items.get(service);
      if (!m) items.set(service, (m = new Map()));
      return m;
    };
    const p = {
      reads: 0,
      calls: [] as string[],
      failDeletes: false,
      getPassword(service: string, account: string): Promise<string | null> {
        p.calls.push(`get ${account}`);
        const v = of(service).get(account);
        if (v !== undefined) p.reads++;
        return Promise.resolve(v ?? null);
      },
      setPassword(service: string, account: string, password: string): Promise<void> {
        p.calls.push(`set ${account}`);
        const size = Buffer.byteLength(password, 'utf8');
        if (size > CRED_MAX_CREDENTIAL_BLOB_SIZE) {
          return Promise.reject(new Error(`The stub received bad data (credential blob of ${size} bytes > ${CRED_MAX_CREDENTIAL_BLOB_SIZE})`));
        }
        of(service).set(account, password);
        return Promise.resolve();
      },
      deletePassword(service: string, account: string): Promise<boolean> {
        p.calls.push(`delete ${account}`);
        if (p.failDeletes) return Promise.reject(new Error('simulated crash before the old items were deleted'));
        return Promise.resolve(of(service).delete(account));
      },
      findCredentials(service: string): Promise<Array<{ account: string; password: string }>> {
        p.calls.push('find');
        const all = [...of(service)].map(([account, password]) => ({ account, password }));
        p.reads += all.length;
        return Promise.resolve(all);
      },
    };
    return p;
  }

  /** Every item's size in bytes, for "no item exceeds N bytes". */
  sizes(service: string): Map<string, number> {
    return new Map([...(this.items.get(service) ?? [])].map(([a, v]) => [a, Buffer.byteLength(v, 'utf8')]));
  }
}
