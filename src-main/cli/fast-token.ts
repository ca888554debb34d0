import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { configFile, resolveHome } from '../core/config/paths.js';
import { findProjectFile } from '../core/projects/discover.js';
import { readRegularFileSync } from '../core/fs/read-regular-file-sync.js';
import type { KeytarLike } from '../core/secrets/keytar.js';
import { readServiceRecordSync } from '../core/secrets/service-record.js';
import { createPassphraseKeychain, passphraseFromFile } from '../core/secrets/passphrase-keychain.js';
import { chosenSecretStore } from '../core/secrets/store-choice.js';
import { secretKeys } from '../core/secrets/types.js';
import { askDataKey, peekVault, vaultFile } from '../core/secrets/vault-peek.js';
import { MAX_CONFIG_BYTES } from '../core/stored-rules.js';
import { plainTokenArgs } from './fast-args.js';
import { targetNeedsSessions, tokenTarget } from './fast-config.js';
import { freshAccessToken } from './fast-session.js';
import { outSync } from './output.js';
import { mark } from './startup-trace.js';

/**
 * `tokendesk token` on a valid session without commander, zod or the core (measured in
 * scripts/bench-cli.mjs; issue 9): the plain arguments, the few config fields it needs, then one
 * keychain read and, while it is in flight, the vault file. It prints only what the full CLI would print — the same token, nothing on
 * stderr, exit 0 — and returns false in every other case (due, not signed in, anything odd, any
 * error) before writing anything, so the full CLI runs with the same argv and says what it says.
 * TOKENDESK_FAST_PATH=0 turns it off (tests compare the two).
 */
export async function fastToken(argv: readonly string[]): Promise<boolean> {
  const why = await attempt(argv).catch((e: unknown) => `error: ${e instanceof Error ? e.name : 'unknown'}`);
  if (why === undefined) return true;
  mark(`fast path: fallback (${why})`);
  return false;
}

/**
 * keytar through require, not keytar.ts's import(): the ESM loader would parse the module for its
 * export names first. One module instance either way (the full CLI's import finds it cached).
 */
function loadKeytarSync(): KeytarLike {
  const m = createRequire(import.meta.url)('keytar') as KeytarLike & { default?: KeytarLike };
  return m.default ?? m;
}

/** Undefined once the token is printed; otherwise why the full CLI must answer. */
async function attempt(argv: readonly string[]): Promise<string | undefined> {
  if (process.env.TOKENDESK_FAST_PATH === '0') return 'turned off';
  const args = plainTokenArgs(argv);
  if (!args) return 'not a plain token command';
  // Under a project file (issue 24) the environment and its default come from the file, which the full CLI
  // reads, checks and syncs: a few stat calls up to the repository root, no zod.
  if (findProjectFile(process.cwd()) !== undefined) return 'project file';
  const home = resolveHome();
  // A folder others may enter is the full CLI's: it tightens it to 0700 or refuses (fs/private-folder.ts,
  // run by ConfigStore.read). One stat; not on Windows, where modes are not the permission model.
  if (process.platform !== 'win32') {
    const folder = statSync(home, { throwIfNoEntry: false });
    if (!folder) return 'no folder';
    if ((folder.mode & 0o077) !== 0) return 'folder open to other users';
  }
  // No vault, no steady state: the full CLI decides, and whether the keychain is read at all.
  if (!existsSync(vaultFile(home))) return 'no vault';
  // The config first: a command the full CLI answers without secrets (an unknown --env, nobody
  // signed in) must not read the keychain, which may ask "allow access?" or to unlock it.
  const text = readRegularFileSync(configFile(home), MAX_CONFIG_BYTES)?.toString('utf8');
  mark('config read');
  let target = text === undefined ? undefined : tokenTarget(text, args.envRef, args.email);
  // No --env and no default: the environment may be the only one somebody is signed in to, which the vault tells.
  const guessing = !target && text !== undefined && targetNeedsSessions(text, args.envRef, args.email);
  mark('config checked');
  if (!target && !guessing) return 'config: no plain target';
  // The service the folder recorded: no hashing, so node:crypto loads while the keychain answers.
  // Without a record (an older version's folder, not yet opened by this one) the full CLI opens it and records it.
  const service = readServiceRecordSync(home);
  if (service === undefined) return 'no recorded keychain service';
  // The file store (TOKENDESK_SECRET_STORE=file) only with TOKENDESK_PASSPHRASE_FILE: a prompt is the full CLI's.
  let kt: KeytarLike;
  if (chosenSecretStore(home, process.env) === 'file') {
    const passphrase = passphraseFromFile(process.env);
    if (passphrase === undefined) return 'file store: the passphrase needs a prompt';
    // Read only: a write (a new key, a generation) is the full CLI's, which steps in when the vault is not as expected.
    kt = createPassphraseKeychain(home, () => Promise.resolve(passphrase), () => Promise.reject(new Error('the fast path does not write')));
  } else kt = loadKeytarSync();
  mark('keytar loaded');
  // The keychain round trip (D-Bus, another process) runs in the thread pool while the vault file is
  // read; peekVault hands the key to the full CLI if it steps aside, so a process reads it once.
  const asked = askDataKey(kt, service);
  const entries = await peekVault(home, service, asked, mark);
  if (!entries) return 'vault: not in the steady state';
  if (!target && text !== undefined) {
    target = tokenTarget(text, args.envRef, args.email, (identityId) => entries.has(secretKeys.session(identityId)));
  }
  if (!target) return 'config: no environment to guess';
  const token = freshAccessToken(entries.get(secretKeys.session(target.identityId)), target.marginSeconds, Date.now());
  if (token === undefined) return 'session: missing, due or unusual';
  outSync(token);
  mark('token printed');
  return undefined;
}
