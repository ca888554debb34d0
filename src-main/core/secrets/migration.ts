import type { KeytarLike } from './keytar.js';
import { PROBE } from './keytar.js';
import type { VaultContent } from './vault-format.js';

/** Rewrites the values moved in from per-item storage (e.g. moving a session's profile out) before they are sealed. */
export type ImportLegacy = (entries: Map<string, string>) => Promise<Map<string, string>>;

/**
 * The secrets an older TokenDesk kept as one keychain item each under the folder's service. Names
 * starting with "." are ours and not secrets (the lock probe, the vault key). Call only once the
 * keychain is known to be unlocked: keytar's findCredentials crashes on a locked libsecret keyring.
 */
export async function findLegacyItems(kt: KeytarLike, service: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { account, password } of await kt.findCredentials(service)) {
    if (!account.startsWith('.')) out.set(account, password);
  }
  return out;
}

/**
 * Moves a per-item installation into the vault, losing nothing whatever fails when:
 * 1. the items are read and sealed into the vault together with the list of their names
 *    (`pendingLegacyDeletes`), written durably;
 * 2. only then are the items deleted from the keychain;
 * 3. the vault is written again without the list.
 * A crash or a failed delete after step 1 leaves both copies and the list: the next open (any
 * process) finishes steps 2–3. Run under the vault lock.
 */
export async function migrateLegacyItems(
  kt: KeytarLike,
  service: string,
  o: { existing: VaultContent; importLegacy: ImportLegacy | undefined; write: (c: VaultContent) => Promise<void> },
): Promise<void> {
  const legacy = await findLegacyItems(kt, service);
  if (legacy.size === 0) return;
  const imported = o.importLegacy ? await o.importLegacy(new Map(legacy)) : legacy;
  // An item still in the keychain is at least as new as the vault's copy (an older TokenDesk wrote it).
  const entries = new Map([...o.existing.entries, ...imported]);
  const pending = [...new Set([...o.existing.pendingLegacyDeletes, ...legacy.keys()])];
  const content: VaultContent = { entries, pendingLegacyDeletes: pending };
  await o.write(content);
  await finishLegacyDeletes(kt, service, content, o.write);
}

/** Steps 2–3 above. A delete that fails stays listed for the next open; it is never an error for the caller. */
export async function finishLegacyDeletes(
  kt: KeytarLike,
  service: string,
  content: VaultContent,
  write: (c: VaultContent) => Promise<void>,
): Promise<void> {
  const left: string[] = [];
  for (const account of content.pendingLegacyDeletes) {
    try {
      await kt.deletePassword(service, account);
    } catch {
      left.push(account);
    }
  }
  await kt.deletePassword(service, PROBE).catch(() => false);
  if (left.length === content.pendingLegacyDeletes.length) return;
  // Best effort: the list only makes a later open retry deletes that already happened.
  await write({ entries: content.entries, pendingLegacyDeletes: left }).catch(() => undefined);
}
