import { join } from 'node:path';
import { readRegularFileSync } from '../fs/read-regular-file-sync.js';
import type { KeytarLike } from './keytar.js';
import { decodeDataKey, nodeCrypto, openVault } from './vault-format.js';

/**
 * A read-only, lock-free look into the vault for the CLI's hot path (`tokendesk token`), kept apart
 * from vault.ts so it loads no lock or write code. It answers only in the steady state — a vault
 * file that opens with the key in the keychain, of the key's generation — and says `undefined` to
 * anything else, so the caller hands over to the full store, which owns every error message and the
 * move-aside of a damaged file.
 */

/** The keychain account holding the data key: the only item of a config folder's service. */
export const DATA_KEY_ACCOUNT = '.tokendesk-vault-key';
/** Far above any real vault (100 identities: ~150 KB). */
export const MAX_VAULT_BYTES = 64 * 1024 * 1024;

export const vaultFile = (home: string) => join(home, 'secrets.vault');

/**
 * The key item text read by peekVault, handed to the first vault store of the same folder in this
 * process (takePeekedKeyText), so a hot path that falls back still reads the keychain once per
 * process: on macOS every read by the CLI's binary may ask "allow access?". Kept on globalThis under
 * a registered symbol, not in module state: the CLI's fast path is bundled apart from the full
 * program (scripts/build-node.mjs), so each has its own copy of this module.
 */
const HANDOFF = Symbol.for('tokendesk.vault-peek.key-text');
type Holder = { [HANDOFF]?: { service: string; text: string } };

/** The key text peekVault read for `service`, once; undefined when there is none to hand over. */
export function takePeekedKeyText(service: string): string | undefined {
  const holder = globalThis as Holder;
  const peeked = holder[HANDOFF];
  if (peeked?.service !== service) return undefined;
  delete holder[HANDOFF];
  return peeked.text;
}

/**
 * Starts the one keychain read of the data key, so its round trip (D-Bus, another process) runs in
 * the thread pool while the caller reads the vault file. Pass the answer to peekVault, which hands
 * it to the full store of this process, so the keychain is read once.
 */
export function askDataKey(kt: KeytarLike, service: string): Promise<string | null> {
  const asked = kt.getPassword(service, DATA_KEY_ACCOUNT);
  asked.catch(() => undefined); // a failure is the full store's to report; never an unhandled rejection
  return asked;
}

/** Leaves the key read by askDataKey for the full store of this process (takePeekedKeyText). */
async function handOffDataKey(service: string, asked: Promise<string | null>): Promise<void> {
  const text = await asked.catch(() => null);
  if (text !== null) (globalThis as Holder)[HANDOFF] = { service, text };
}

/**
 * Every entry of the vault, or undefined when the full store must decide (no vault, no or unusable
 * key, a file that does not open, a generation other than the key's). Keychain and file errors are
 * thrown as they come: the caller treats any throw as "decide elsewhere" too. The key is handed off either way.
 */
export async function peekVault(
  home: string,
  service: string,
  asked: Promise<string | null>,
  /** Told each step as it ends (the CLI's start-up trace). */
  onStep: (step: string) => void = () => undefined,
): Promise<Map<string, string> | undefined> {
  let bytes: Buffer | undefined;
  try {
    bytes = readRegularFileSync(vaultFile(home), MAX_VAULT_BYTES);
    onStep('vault file read');
    nodeCrypto(); // loaded now, while the keychain answers, rather than after
    onStep('node:crypto loaded');
  } finally {
    await handOffDataKey(service, asked);
  }
  const text = await asked;
  onStep('keychain read (the data key)');
  if (text === null || bytes === undefined) return undefined;
  const key = decodeDataKey(text);
  if (!key) return undefined;
  const content = openVault(bytes, key, service);
  onStep('vault decrypted');
  // A generation other than the keychain item's: an older copy put back (refused), a writer killed
  // between its two writes (the item to bring up), or a write racing this read: the store decides.
  if (content.generation !== (key.generation ?? 0)) return undefined;
  return content.entries;
}
