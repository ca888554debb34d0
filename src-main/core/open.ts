import { ConfigStore } from './config/store.js';
import { resolveHome } from './config/paths.js';
import { createKeychainStore } from './secrets/keychain.js';
import { durableWrite } from './fs/durable-write.js';
import { createPassphraseKeychain, keyFile, type PassphrasePurpose } from './secrets/passphrase-keychain.js';
import { passphraseSource, secretStoreChoice, type SecretStoreChosenBy, type SecretStoreKind } from './secrets/store-choice.js';
import { explainingMissingKey, keychainHolds, storeMismatch } from './secrets/store-mismatch.js';
import { loadKeytar } from './secrets/keytar.js';
import { vaultFile } from './secrets/vault-peek.js';
import type { SecretStore } from './secrets/types.js';
import { startOverAfterLostKey } from './secrets/start-over.js';
import { createHttpClient } from './http/client.js';
import type { HttpClient } from './http/types.js';
import { getProvider } from './providers/registry.js';
import type { AuthProvider, ProviderKind } from './providers/types.js';
import { EnvironmentService } from './environments/service.js';
import { SessionManager } from './sessions/manager.js';
import { RefreshLock } from './sessions/refresh-lock.js';
import { sweepInterruptedSignIns } from './sessions/interrupted-sign-ins.js';

/** The core wired together: what the CLI, the web bridge and the Electron shell each start from. */
export interface Core {
  home: string;
  config: ConfigStore;
  secrets: SecretStore;
  http: HttpClient;
  envs: EnvironmentService;
  sessions: SessionManager;
  /** One renewal per identity across processes; also what the endpoint's secret is made under. */
  lock: RefreshLock;
  /**
   * Starting over after `vault_key_missing` (secrets/start-over.ts): moves the secrets vault aside
   * (kept, never deleted) so TokenDesk makes a new, empty one; returns where it went. Refused, and
   * nothing moved, unless the key is what is missing. `tokendesk vault start-over`, the app's banner.
   */
  startOverVault(): Promise<string>;
  /** Which store keeps the vault's key (TOKENDESK_SECRET_STORE / settings.secretStore): status and the window say it. */
  secretStore: { kind: SecretStoreKind; keyFile?: string; chosenBy: SecretStoreChosenBy };
  /**
   * The start's sweep of what a killed sign-in left (sessions/interrupted-sign-ins.ts), running in the
   * background from the moment the core is opened; resolves to the vault keys deleted, [] on any failure.
   */
  startSweep: Promise<string[]>;
}

export interface OpenCoreOptions {
  home?: string;
  secrets?: SecretStore;
  http?: HttpClient;
  providers?: (kind: ProviderKind) => AuthProvider;
  now?: () => number;
  retryDeadlineMs?: number;
  /** The process environment (TOKENDESK_SECRET_STORE, TOKENDESK_PASSPHRASE_FILE); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** A hidden prompt for the file store's passphrase, when there is a terminal (the CLI). */
  passphrasePrompt?: (purpose: PassphrasePurpose) => Promise<string>;
  /** The start's background sweep of killed sign-ins' leftovers (default on). */
  startSweep?: boolean;
}

export function openCore(opts: OpenCoreOptions = {}): Core {
  const home = opts.home ?? resolveHome();
  const config = new ConfigStore(home);
  const env = opts.env ?? process.env;
  const choice = opts.secrets ? ({ kind: 'keychain', by: 'default' } as const) : secretStoreChoice(home, env);
  const kind = choice.kind;
  const secretStore = kind === 'file' ? { kind, keyFile: keyFile(home), chosenBy: choice.by } : { kind, chosenBy: choice.by };
  // The file store stands in for the keychain under the same vault (passphrase-keychain.ts).
  const keytar =
    kind === 'file' ? createPassphraseKeychain(home, passphraseSource(env, opts.passphrasePrompt), (path, text) => durableWrite(path, text, { mode: 0o600 })) : undefined;
  const vault = opts.secrets ? undefined : createKeychainStore(home, keytar && { keytar });
  // A key missing from the store chosen but present in the other is a wrong choice, not a lost key.
  const explain = () => (vault ? storeMismatch(home, choice, keychainHolds(loadKeytar, vault.service)) : Promise.resolve(undefined));
  const secrets = opts.secrets ?? explainingMissingKey(vault!, explain);
  const http = opts.http ?? createHttpClient();
  const lock = new RefreshLock(home);
  const sessions = new SessionManager({
    home,
    lock,
    config,
    secrets,
    http,
    providers: opts.providers ?? getProvider,
    ...(opts.now && { now: opts.now }),
    ...(opts.retryDeadlineMs !== undefined && { retryDeadlineMs: opts.retryDeadlineMs }),
  });
  // The sessions, so an environment moved to another server ends them (revoked at the old one).
  const envs = new EnvironmentService(config, secrets, lock, sessions, opts.now);
  const startOverVault = () =>
    startOverAfterLostKey(secrets, vaultFile(home), async () => {
      // Checked again just before the move: a vault whose key sits in the other store is never moved aside.
      const mismatch = await explain();
      if (mismatch?.code === 'secret_store_mismatch') throw mismatch;
      return (vault ?? createKeychainStore(home, keytar && { keytar })).startOver();
    });
  // Best effort and quiet: whatever it cannot do now is found again at the next start.
  // The file store without TOKENDESK_PASSPHRASE_FILE asks on the terminal: the sweep then waits until
  // the command itself has unlocked the key file, so `status` or `env list` never prompt for it.
  const sweep = () => sweepInterruptedSignIns({ config, secrets, lock, profiles: sessions.profiles });
  const wouldPrompt = keytar !== undefined && !env.TOKENDESK_PASSPHRASE_FILE;
  const startSweep =
    opts.startSweep === false ? Promise.resolve([]) : (wouldPrompt ? keytar.whenUnlocked().then(sweep) : sweep()).catch(() => [] as string[]);
  return { home, config, secrets, http, envs, sessions, lock, startOverVault, startSweep, secretStore };
}
