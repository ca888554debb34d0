import { configFile } from '../config/paths.js';
import { TokenDeskError } from '../errors.js';
import { readRegularFileSync } from '../fs/read-regular-file-sync.js';
import { MAX_CONFIG_BYTES } from '../stored-rules.js';
import { passphraseFromFile, type PassphrasePurpose, type PassphraseSource } from './passphrase-keychain.js';

/** Where the vault's data key is kept: the OS keychain (the default), or a passphrase-protected file. */
export type SecretStoreKind = 'keychain' | 'file';

export const SECRET_STORE_VARIABLE = 'TOKENDESK_SECRET_STORE';

/** What chose the store: the variable, the config's setting, or nothing (the keychain by default). */
export type SecretStoreChosenBy = 'variable' | 'setting' | 'default';
export interface SecretStoreChoice {
  kind: SecretStoreKind;
  by: SecretStoreChosenBy;
}

/**
 * Which store this folder uses: TOKENDESK_SECRET_STORE (`file` or `keychain`), else the config's
 * `settings.secretStore`, else the keychain. Only ever what the user asked for: no Secret Service
 * stays an error (naming the variable), never a silent switch to the file. Read without zod (the
 * `token` fast path calls it); an unreadable config counts as "not set", the full CLI reports it.
 */
export function secretStoreChoice(home: string, env: NodeJS.ProcessEnv): SecretStoreChoice {
  const asked = env[SECRET_STORE_VARIABLE];
  if (asked === 'file' || asked === 'keychain') return { kind: asked, by: 'variable' };
  if (asked !== undefined && asked !== '') {
    throw new TokenDeskError('invalid_input', `${SECRET_STORE_VARIABLE} must be "file" or "keychain", not ${JSON.stringify(asked.slice(0, 40))}; nothing was read or changed`);
  }
  try {
    const bytes = readRegularFileSync(configFile(home), MAX_CONFIG_BYTES);
    const settings = bytes && (JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as { settings?: { secretStore?: unknown } }).settings;
    const set = settings?.secretStore;
    return set === 'file' || set === 'keychain' ? { kind: set, by: 'setting' } : { kind: 'keychain', by: 'default' };
  } catch {
    return { kind: 'keychain', by: 'default' };
  }
}

export const chosenSecretStore = (home: string, env: NodeJS.ProcessEnv): SecretStoreKind => secretStoreChoice(home, env).kind;

/** How `status` and the errors say what chose the store, e.g. "TOKENDESK_SECRET_STORE=file". */
export function describeChoice(c: SecretStoreChoice): string {
  if (c.by === 'variable') return `${SECRET_STORE_VARIABLE}=${c.kind}`;
  if (c.by === 'setting') return `the secretStore setting "${c.kind}" in config.json`;
  return `the default: neither ${SECRET_STORE_VARIABLE} nor the secretStore setting is set`;
}

export const missingPassphrase = () =>
  new TokenDeskError(
    'passphrase_missing',
    `The file secret store (${SECRET_STORE_VARIABLE}=file) needs its passphrase and there is no terminal to ask it on: set TOKENDESK_PASSPHRASE_FILE to a file holding it (mode 0600). Nothing was read or changed`,
  );

/**
 * TOKENDESK_PASSPHRASE_FILE first, else `prompt` (a hidden prompt on a terminal, given by the CLI),
 * else passphrase_missing: a pipe or a service never waits for an answer nobody can give.
 */
export function passphraseSource(env: NodeJS.ProcessEnv, prompt?: (purpose: PassphrasePurpose) => Promise<string>): PassphraseSource {
  return async (purpose) => {
    const fromFile = passphraseFromFile(env);
    if (fromFile !== undefined) return fromFile;
    if (!prompt) throw missingPassphrase();
    return prompt(purpose);
  };
}
