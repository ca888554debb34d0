import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { durableWrite } from '../../src-main/core/fs/durable-write.js';
import { createPassphraseKeychain, keyFile, passphraseFromFile } from '../../src-main/core/secrets/passphrase-keychain.js';
import { chosenSecretStore } from '../../src-main/core/secrets/store-choice.js';
import { createVaultStore, vaultFile } from '../../src-main/core/secrets/vault.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { makeHome } from '../helpers/home.js';

const homes: ReturnType<typeof makeHome>[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) void h.cleanup();
});
const newHome = () => {
  const h = makeHome('tokendesk-passphrase-');
  homes.push(h);
  return h.dir;
};
const write = (path: string, text: string) => durableWrite(path, text, { mode: 0o600 });
const SESSION = secretKeys.session('id-1');

/** A store on the file keychain; `asked` counts the passphrase requests (each one a prompt on a terminal). */
function fileStore(home: string, passphrase: string) {
  const asked: string[] = [];
  const kt = createPassphraseKeychain(home, (purpose) => (asked.push(purpose), Promise.resolve(passphrase)), write);
  return { store: createVaultStore(home, { keytar: kt }), asked };
}

describe('the passphrase-protected key file (TOKENDESK_SECRET_STORE=file)', () => {
  it('asks once per process, keeps scrypt parameters beside the wrapped key, and holds the vault generation (a vault put back alone is refused)', async () => {
    const home = newHome();
    const first = fileStore(home, 'pass one');
    await first.store.set(SESSION, 'a');
    await first.store.settled(); // its key item is brought up just after the write resolves
    const older = readFileSync(vaultFile(home));
    await first.store.set(SESSION, 'b');
    await first.store.settled(); // its key item is brought up just after the write resolves
    expect(first.asked).toEqual(['create']);
    const file = JSON.parse(readFileSync(keyFile(home), 'utf8')) as { kdf: Record<string, unknown>; data: string };
    expect(file.kdf).toMatchObject({ name: 'scrypt', N: 32768, r: 8, p: 1 });
    expect(readFileSync(keyFile(home), 'utf8')).not.toMatch(/"g"/); // the generation is inside the sealed item

    const next = fileStore(home, 'pass one');
    expect(await next.store.get(SESSION)).toBe('b');
    await next.store.set(SESSION, 'c');
    await next.store.settled(); // its key item is brought up just after the write resolves
    expect(next.asked).toEqual(['unlock']);
    writeFileSync(vaultFile(home), older);
    await expect(fileStore(home, 'pass one').store.get(SESSION)).rejects.toMatchObject({ code: 'vault_rolled_back' });
  });

  it('two readers at once in a new process share one passphrase request (one prompt, not two on the same terminal)', async () => {
    const home = newHome();
    await fileStore(home, 'pass').store.set(SESSION, 'a');
    const asked: string[] = [];
    const kt = createPassphraseKeychain(home, (purpose) => (asked.push(purpose), Promise.resolve('pass')), write);
    const service = JSON.parse(readFileSync(keyFile(home), 'utf8')).service as string;
    const texts = await Promise.all([kt.getPassword(service, '.tokendesk-vault-key'), kt.getPassword(service, '.tokendesk-vault-key')]);
    expect(texts[0]).toBe(texts[1]);
    expect(asked).toEqual(['unlock']);
  });

  it('a wrong passphrase or edited parameters: passphrase_wrong, and nothing is written', async () => {
    const home = newHome();
    await fileStore(home, 'right').store.set(SESSION, 'a');
    const before = [readFileSync(vaultFile(home)), readFileSync(keyFile(home))];
    await expect(fileStore(home, 'wrong').store.set(SESSION, 'x')).rejects.toMatchObject({ code: 'passphrase_wrong' });
    const edited = JSON.parse(readFileSync(keyFile(home), 'utf8')) as { kdf: { N: number } };
    edited.kdf.N = 16384; // weaker parameters slipped in: the key they give differs, and they are bound in
    writeFileSync(keyFile(home), JSON.stringify(edited));
    await expect(fileStore(home, 'right').store.get(SESSION)).rejects.toMatchObject({ code: 'passphrase_wrong' });
    expect(readFileSync(vaultFile(home))).toEqual(before[0]);
  });

  it('chosen only when asked: the variable, else the setting; anything else is an error, never a guess', () => {
    const home = newHome();
    expect(chosenSecretStore(home, {})).toBe('keychain');
    expect(chosenSecretStore(home, { TOKENDESK_SECRET_STORE: 'file' })).toBe('file');
    writeFileSync(`${home}/config.json`, JSON.stringify({ version: 1, environments: [], identities: [], settings: { secretStore: 'file' } }));
    expect(chosenSecretStore(home, {})).toBe('file');
    expect(chosenSecretStore(home, { TOKENDESK_SECRET_STORE: 'keychain' })).toBe('keychain');
    expect(() => chosenSecretStore(home, { TOKENDESK_SECRET_STORE: 'plaintext' })).toThrow(/must be "file" or "keychain"/);
  });
});

describe('TOKENDESK_PASSPHRASE_FILE must be private (ssh\'s rule for private keys)', () => {
  it.skipIf(process.platform === 'win32')('group- or world-accessible: refused with the chmod that fixes it; 0600 and 0400 are read', () => {
    const file = join(newHome(), "it's passphrase");
    writeFileSync(file, 'secret words\n');
    for (const loose of [0o644, 0o640, 0o604, 0o620]) {
      chmodSync(file, loose);
      let caught: unknown;
      try {
        passphraseFromFile({ TOKENDESK_PASSPHRASE_FILE: file });
      } catch (e) {
        caught = e;
      }
      expect(caught, loose.toString(8)).toMatchObject({ code: 'passphrase_missing' });
      const message = (caught as Error).message;
      expect(message).toContain(`is open to other users (mode 0${loose.toString(8)})`);
      expect(message).toContain(`chmod 600 '${file.replace(/'/g, "'\\''")}'`);
      expect(message).not.toContain('secret words');
    }
    for (const tight of [0o600, 0o400]) {
      chmodSync(file, tight);
      expect(passphraseFromFile({ TOKENDESK_PASSPHRASE_FILE: file })).toBe('secret words');
    }
    // Windows: modes are not its permission model, nothing is judged.
    chmodSync(file, 0o644);
    expect(passphraseFromFile({ TOKENDESK_PASSPHRASE_FILE: file }, 'win32')).toBe('secret words');
  });
});
