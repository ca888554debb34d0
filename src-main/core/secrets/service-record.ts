import { join } from 'node:path';
import { readRegularFileSync } from '../fs/read-regular-file-sync.js';

/**
 * Which keychain service holds a config folder's data key, written in the folder itself
 * (`<home>/secrets.keychain`, one line, nothing secret) when the key is made or the vault is first
 * opened. The name was only ever computed from the folder's path (keytar.ts keychainService), so the
 * same folder reached by another spelling got another service and "lost" its key:
 * - Windows: `C:\Users\Bob` and `c:\users\bob` (NTFS compares names case-insensitively; a relative
 *   TOKENDESK_HOME resolved against a cwd whose drive letter a shell reports in lower case), or an 8.3
 *   short name (`C:\PROGRA~1`);
 * - macOS: `/var/folders/...` and `/private/var/...` (a symlink), and APFS's case-insensitive default;
 * - anywhere: a symlinked folder (dotfiles) or a folder that was moved.
 * Read back, the recorded name wins over the computed one, however the path is spelled now. A record
 * that is missing or not of our shape is ignored (the computed name is used), so a damaged one
 * cannot point the store at another folder's key: that key would not open this vault anyway (its
 * folder id differs). A folder copied whole (record and vault) opens with the original's key: both
 * are the same user's, in the same keychain, and a start-over in either keeps that key; a future
 * "forget everything" must not delete a key another folder's record names. Kept free of node:crypto,
 * for the CLI's token fast path.
 */
export const serviceRecordFile = (home: string) => join(home, 'secrets.keychain');

const SHAPE = /^TokenDesk [0-9a-f]{16}$/;

/** The recorded service, or undefined when there is none of our shape (or it cannot be read). */
export function parseServiceRecord(text: string): string | undefined {
  const line = text.trim();
  return SHAPE.test(line) ? line : undefined;
}

export function readServiceRecordSync(home: string): string | undefined {
  try {
    const bytes = readRegularFileSync(serviceRecordFile(home), 1024);
    return bytes === undefined ? undefined : parseServiceRecord(bytes.toString('utf8'));
  } catch {
    return undefined; // unreadable, not a file, too large: as if absent
  }
}

export const serviceRecordText = (service: string) => `${service}\n`;
