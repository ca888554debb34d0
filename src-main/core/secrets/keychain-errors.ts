import { TokenDeskError } from '../errors.js';

// libsecret / D-Bus texts seen when there is no session bus or nothing owns org.freedesktop.secrets.
const UNAVAILABLE = [
  /autolaunch D-Bus/i,
  /DBus\.Error\.(ServiceUnknown|NoServer|Spawn|FileNotFound|NoReply|Disconnected)/i,
  /org\.freedesktop\.secrets was not provided/i,
  /not provided by any \.service files/i,
  /Could not connect/i,
  /Failed to connect/i,
  /Cannot spawn a message bus/i,
];
const LOCKED = [/locked collection/i, /\bis locked\b/i, /prompt.*dismiss|dismissed/i, /user (canceled|cancelled)/i];

export type KeychainOp = 'read' | 'store' | 'delete' | 'list';

export const unavailableMessage =
  'The OS keychain is unavailable: no Secret Service is running (install/start gnome-keyring or KWallet), or, where there can be none (SSH, WSL, containers, CI), choose the passphrase-protected file store with TOKENDESK_SECRET_STORE=file';
export const lockedMessage = 'The OS keychain is locked: unlock it and try again';

/** Maps a keytar failure to a TokenDeskError. Foreign text is only matched, never copied, so no secret can leak. */
export function mapKeychainError(e: unknown, op: KeychainOp): TokenDeskError {
  if (e instanceof TokenDeskError) return e;
  const text = e instanceof Error ? e.message : String(e);
  if (UNAVAILABLE.some((re) => re.test(text))) return new TokenDeskError('keychain_unavailable', unavailableMessage, { cause: e });
  if (LOCKED.some((re) => re.test(text))) return new TokenDeskError('keychain_locked', lockedMessage, { cause: e });
  return new TokenDeskError('keychain_error', `The OS keychain failed to ${op} a secret`, { cause: e });
}
