/**
 * What the OS keychain is called where TokenDesk runs (keytar's backend on each OS), so "Stored in"
 * names the place a user can look for it rather than a Linux service on every OS.
 */
export function keychainName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  // Linux and the BSDs: libsecret, served by GNOME Keyring or KWallet.
  return 'Secret Service keyring';
}

/** Where a session's tokens are kept: the sealed vault, its key in the keychain or (chosen explicitly) a passphrase-protected file. */
export function sessionStorageDescription(platform: NodeJS.Platform, store: 'keychain' | 'file' = 'keychain', chosenBy: 'variable' | 'setting' | 'default' = 'variable'): string {
  // Says what chose the file: the variable, or the setting (the file is never the default).
  if (store === 'file') return `Encrypted vault (its key in a passphrase-protected file: ${chosenBy === 'setting' ? 'the secretStore setting' : 'TOKENDESK_SECRET_STORE=file'})`;
  return `Encrypted vault (its key in the ${keychainName(platform)})`;
}
