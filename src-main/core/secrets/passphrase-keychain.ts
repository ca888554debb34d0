import { closeSync, existsSync, fstatSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TokenDeskError } from '../errors.js';
import { readRegularFileSync } from '../fs/read-regular-file-sync.js';
import type { KeytarLike } from './keytar.js';
import { nodeCrypto } from './vault-format.js';
import { DATA_KEY_ACCOUNT } from './vault-peek.js';

/**
 * The explicit file store (TOKENDESK_SECRET_STORE=file, or the `secretStore` setting) for machines
 * without a Secret Service (SSH, WSL, containers, CI): never chosen silently. It stands in for the
 * keychain and holds the same one item, the vault's data key with its generation (vault-format.ts
 * DataKey), wrapped with a key derived from a passphrase: `<home>/secrets.key`, 0600, JSON:
 *   { v: 1, service, kdf: { name: 'scrypt', N, r, p, salt }, nonce, data }
 * data = AES-256-GCM(scrypt(passphrase, salt), the item text) + tag; associated data = the format tag,
 * the service and the KDF parameters, so none can be changed unnoticed. The parameters are stored, so
 * stronger ones later still open older files. The model is aws-vault's `file` backend (a JOSE file
 * per item, PBES2 from a passphrase, AWS_VAULT_FILE_PASSPHRASE or a prompt). A wrong passphrase fails
 * the tag: `passphrase_wrong`, and nothing is written.
 *
 * What a file cannot do that the keychain does: the item sits in the same folder as the vault, so
 * putting back both files together (a whole-folder backup) is not detected as a rollback; one put
 * back alone is. Kept small and free of zod: the `token` fast path loads it.
 */
export const keyFile = (home: string) => join(home, 'secrets.key');

/**
 * N = 2^15, r = 8, p = 1: 32 MiB and some 50–100 ms per derivation, once per process (each `token`
 * pays it). Below OWASP's 2^17 for stored password hashes (Password Storage Cheat Sheet), which would
 * cost every `token` ~4x that; stored in the file, so a later version can raise them.
 */
export const SCRYPT_DEFAULTS = { N: 2 ** 15, r: 8, p: 1 } as const;
const MAX_N = 2 ** 20;
const TAG = 'TDKEYFILE1';
/** keytar.ts PROBE, not imported: that module loads node:crypto at once, and the fast path loads this one. */
const PROBE = '.tokendesk-probe';

export type PassphrasePurpose = 'unlock' | 'create';
/** Where the passphrase comes from: TOKENDESK_PASSPHRASE_FILE, else a hidden prompt on a terminal (the CLI). */
export type PassphraseSource = (purpose: PassphrasePurpose) => Promise<string>;

interface KeyFile {
  v: 1;
  service: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  nonce: string;
  data: string;
}

function parseKeyFile(text: string, path: string): KeyFile {
  const bad = () => new TokenDeskError('vault_unreadable', `The key file ${path} is not one this TokenDesk can read; it was left untouched`);
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    throw bad();
  }
  const f = o as Partial<KeyFile> | null;
  const k = f?.kdf;
  const isPow2 = (n: unknown) => Number.isInteger(n) && (n as number) >= 2 ** 10 && (n as number) <= MAX_N && ((n as number) & ((n as number) - 1)) === 0;
  const small = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 16;
  if (f?.v !== 1 || typeof f.service !== 'string' || typeof f.nonce !== 'string' || typeof f.data !== 'string' || !k || k.name !== 'scrypt') throw bad();
  if (!isPow2(k.N) || !small(k.r) || !small(k.p) || typeof k.salt !== 'string') throw bad();
  return f as KeyFile;
}

const aad = (f: Pick<KeyFile, 'service' | 'kdf'>) =>
  Buffer.from(JSON.stringify([TAG, f.service, f.kdf.name, f.kdf.N, f.kdf.r, f.kdf.p, f.kdf.salt]), 'utf8');

function derive(passphrase: string, kdf: KeyFile['kdf']): Buffer {
  // maxmem: 128·N·r bytes is needed; Node's default (32 MiB) is exactly N = 2^15 at r = 8, refused.
  return nodeCrypto().scryptSync(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r });
}

function wrap(text: string, service: string, kek: Buffer, kdf: KeyFile['kdf']): KeyFile {
  const { createCipheriv, randomBytes } = nodeCrypto();
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce);
  const head = { service, kdf };
  cipher.setAAD(aad(head));
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { v: 1, service, kdf, nonce: nonce.toString('base64'), data: data.toString('base64') };
}

/** Throws passphrase_wrong when the tag fails (a wrong passphrase, or a file altered). */
function unwrap(f: KeyFile, kek: Buffer, path: string): string {
  const { createDecipheriv } = nodeCrypto();
  const data = Buffer.from(f.data, 'base64');
  try {
    const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(f.nonce, 'base64'));
    d.setAAD(aad(f));
    d.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]).toString('utf8');
  } catch {
    throw new TokenDeskError('passphrase_wrong', `Wrong passphrase for the secrets key file ${path} (or the file was altered): nothing was read or changed`);
  }
}

/**
 * A KeytarLike over the key file, for createVaultStore: the vault code (generations, locks, start-over)
 * runs unchanged. Only the data key's account is stored; the lock probe always answers (a file is
 * never "locked"), and a listing finds nothing.
 */
export function createPassphraseKeychain(
  home: string,
  ask: PassphraseSource,
  /**
   * Replaces the key file whole (fs/durable-write.ts, mode 0600). Given by the caller: that module
   * loads node:crypto at once, and the `token` fast path, which only reads, must not load it.
   */
  writeFile: (path: string, text: string) => Promise<void>,
): KeytarLike & { readonly path: string; whenUnlocked(): Promise<void> } {
  const path = keyFile(home);
  /** Resolved once this process has the passphrase (the key file opened or made): see whenUnlocked. */
  let markUnlocked!: () => void;
  const unlockedOnce = new Promise<void>((resolve) => (markUnlocked = resolve));
  /** The derived key and the parameters it came from, once per process: the passphrase is asked once. */
  let unlocked: { kek: Buffer; kdf: KeyFile['kdf'] } | undefined;

  const read = (): KeyFile | undefined => {
    const bytes = readRegularFileSync(path, 64 * 1024);
    return bytes === undefined ? undefined : parseKeyFile(bytes.toString('utf8'), path);
  };

  /** The unlock in progress: two callers at once (the start's sweep and the command) share one prompt. */
  let unlocking: Promise<Buffer> | undefined;

  async function kekFor(f: KeyFile): Promise<Buffer> {
    if (unlocked && unlocked.kdf.salt === f.kdf.salt && unlocked.kdf.N === f.kdf.N && unlocked.kdf.r === f.kdf.r && unlocked.kdf.p === f.kdf.p) return unlocked.kek;
    unlocking ??= (async () => {
      const kek = derive(await ask('unlock'), f.kdf);
      unwrap(f, kek, path); // proves the passphrase before it is kept
      unlocked = { kek, kdf: f.kdf };
      markUnlocked();
      return kek;
    })().finally(() => {
      unlocking = undefined;
    });
    return unlocking;
  }

  return {
    path,
    /**
     * Resolves when the passphrase has been given in this process: background work (the start's sweep)
     * waits for it instead of asking, so a command that never needed the vault never prompts.
     */
    whenUnlocked: () => unlockedOnce,
    async getPassword(service, account) {
      if (account === PROBE) return 'ok';
      if (account !== DATA_KEY_ACCOUNT) return null;
      const f = read();
      if (!f || f.service !== service) return null;
      return unwrap(f, await kekFor(f), path);
    },
    async setPassword(service, account, password) {
      if (account === PROBE) return;
      if (account !== DATA_KEY_ACCOUNT) throw new TokenDeskError('keychain_error', 'The file secret store keeps only the vault key');
      const f = existsSync(path) ? read() : undefined;
      let kek: Buffer;
      let kdf: KeyFile['kdf'];
      if (f) {
        // The same passphrase and salt: only the item (its generation) changes.
        kek = await kekFor(f);
        kdf = f.kdf;
      } else {
        const passphrase = await ask('create');
        if (passphrase.length === 0) throw new TokenDeskError('invalid_input', 'The passphrase of the file secret store cannot be empty; nothing was stored');
        kdf = { name: 'scrypt', ...SCRYPT_DEFAULTS, salt: nodeCrypto().randomBytes(16).toString('base64') };
        kek = derive(passphrase, kdf);
        unlocked = { kek, kdf };
        markUnlocked();
      }
      await writeFile(path, JSON.stringify(wrap(password, service, kek, kdf)));
    },
    async deletePassword(service, account) {
      if (account === PROBE) return true;
      const f = account === DATA_KEY_ACCOUNT ? read() : undefined;
      if (!f || f.service !== service) return false;
      rmSync(path, { force: true });
      return true;
    },
    findCredentials: () => Promise.resolve([]),
  };
}

/**
 * The passphrase in TOKENDESK_PASSPHRASE_FILE (its first line: a trailing newline is not part of it),
 * or undefined when the variable is unset. A file that cannot be read is an error, not "unset".
 *
 * Refused, not warned about, when it is a file of this user that the group or others may read or
 * write: OpenSSH's rule for private keys (authfile.c sshkey_perm_ok: owned by the user and
 * `st_mode & 077` → "Permissions … are too open", the key is not used). A warning would scroll past
 * in a cron log while the passphrase stays readable; the fix is one chmod. Like ssh, a file owned by
 * another user (a secret mounted by root for a service account) is not judged, nor a pipe
 * (`<(pass show …)`), which is read once. Not on Windows: modes are not its permission model
 * (https://nodejs.org/api/fs.html#file-modes). Checked on the opened file (fstat), not on the name.
 */
export function passphraseFromFile(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const file = env.TOKENDESK_PASSPHRASE_FILE;
  if (file === undefined || file === '') return undefined;
  let text: string;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    const open = st.mode & 0o077;
    if (platform !== 'win32' && st.isFile() && open !== 0 && st.uid === process.getuid?.()) {
      throw new TokenDeskError(
        'passphrase_missing',
        `TOKENDESK_PASSPHRASE_FILE (${file}) is open to other users (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}), so it was not used: run chmod 600 '${file.replace(/'/g, `'\\''`)}' and try again. Nothing was read or changed`,
      );
    }
    text = readFileSync(fd, 'utf8');
  } catch (e) {
    if (e instanceof TokenDeskError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'I/O error';
    throw new TokenDeskError('passphrase_missing', `TOKENDESK_PASSPHRASE_FILE (${file}) cannot be read (${code}); nothing was changed`, { cause: e });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return text.replace(/\r?\n$/, '');
}
