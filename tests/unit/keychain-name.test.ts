import { describe, expect, it } from 'vitest';
import { keychainName, sessionStorageDescription } from '../../src-main/core/app/keychain-name.js';

describe('the keychain, named per OS', () => {
  it.each([
    ['darwin', 'macOS Keychain'],
    ['win32', 'Windows Credential Manager'],
    ['linux', 'Secret Service keyring'],
    ['freebsd', 'Secret Service keyring'],
  ] as const)('%s: %s', (platform, name) => {
    expect(keychainName(platform)).toBe(name);
    expect(sessionStorageDescription(platform)).toBe(`Encrypted vault (its key in the ${name})`);
  });

  it('never says Secret Service on macOS or Windows', () => {
    for (const p of ['darwin', 'win32'] as const) expect(sessionStorageDescription(p)).not.toMatch(/Secret Service/);
  });
});
