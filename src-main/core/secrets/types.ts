/**
 * Secret names. One keychain entry per name under a service derived from the config folder, so two
 * config folders never see each other's entries.
 */
export type SecretKey =
  | `env/${string}/anon_key`
  | `env/${string}/api_key`
  /** A variable whose value looks like a secret: the config lists its name only (Environment.secretVariables). */
  | `env/${string}/var/${string}`
  /** A secret setting the environment's kind declares (catalogue `settings`, `secret: true`). */
  | `env/${string}/setting/${string}`
  /** The servers the environment moved to last (contract/servers.ts serversFingerprint): not a secret, sealed with the move. */
  | `env/${string}/servers`
  | `identity/${string}/session`
  | `identity/${string}/password`
  /** The local credential endpoint's per-install secret (core/endpoint/secret.ts). */
  | 'endpoint/secret';

export const secretKeys = {
  anonKey: (envId: string): SecretKey => `env/${envId}/anon_key`,
  apiKey: (envId: string): SecretKey => `env/${envId}/api_key`,
  variable: (envId: string, name: string): SecretKey => `env/${envId}/var/${name}`,
  /**
   * A declared secret setting. The two that existed before settings were data keep their keys, so
   * nothing stored moves: anonKey is env/<id>/anon_key, apiKey env/<id>/api_key.
   */
  setting: (envId: string, name: string): SecretKey =>
    name === 'anonKey' ? `env/${envId}/anon_key` : name === 'apiKey' ? `env/${envId}/api_key` : `env/${envId}/setting/${name}`,
  session: (identityId: string): SecretKey => `identity/${identityId}/session`,
  password: (identityId: string): SecretKey => `identity/${identityId}/password`,
  endpointSecret: (): SecretKey => 'endpoint/secret',
  /**
   * Written by a move (EnvironmentService.edit) in the same sealed write that deletes the old server's
   * sessions, so a sign-in deciding under the vault lock sees the move even before the configuration
   * file says it: a session from a server other than these is refused there (sessions/manager.ts).
   */
  servers: (envId: string): SecretKey => `env/${envId}/servers`,
};

/** Throws TokenDeskError `keychain_unavailable` / `keychain_locked` / `keychain_error`; never falls back to plaintext. */
export interface SecretStore {
  /** Every secret of this config folder in one keychain round trip. */
  loadAll(): Promise<Map<string, string>>;
  get(key: SecretKey): Promise<string | undefined>;
  set(key: SecretKey, value: string): Promise<void>;
  delete(key: SecretKey): Promise<void>;
  /**
   * Several sets (a value) and deletes (undefined) at once. The vault makes them one sealed write:
   * every change or none, and one lock and disk flush instead of one per secret.
   */
  apply(changes: SecretChanges): Promise<void>;
  /**
   * A read-modify-write no other writer (in this process or another) can interleave with: `decide`
   * is given what the store holds, read under its lock, and returns the changes to make then (none:
   * nothing is written). A compare-and-swap is `decide` returning changes only when a value is still
   * the one expected; what it read may be kept by the caller (the values a write replaced, for an undo).
   * `decide` may wait (a sign-in reads the configuration there) and may throw: then nothing is written
   * and `update` rejects with what it threw. It must take no lock that is held while waiting for this one.
   */
  update(decide: SecretDecision): Promise<void>;
}

/** What `SecretStore.update` asks: the changes to make, given what the store holds under its lock. */
export type SecretDecision = (read: (key: SecretKey) => string | undefined) => SecretChanges | Promise<SecretChanges>;

/** What `SecretStore.apply` takes: a value to store, or undefined to delete. The last change of a key wins. */
export type SecretChanges = ReadonlyArray<readonly [SecretKey, string | undefined]>;

/**
 * `apply` for a store that cannot make several changes one write (test fakes): its own set and
 * delete, one change after the other, so a failure or pause on one key happens as it would alone.
 * Not all or none.
 */
export async function applyOneByOne(store: Pick<SecretStore, 'set' | 'delete'>, changes: SecretChanges): Promise<void> {
  for (const [key, value] of changes) await (value === undefined ? store.delete(key) : store.set(key, value));
}

/**
 * `update` for the same test fakes: read everything, decide, then applyOneByOne. Not atomic (a fake
 * has no lock); enough for tests that drive one writer at a time.
 */
export async function updateOneByOne(
  store: Pick<SecretStore, 'loadAll' | 'set' | 'delete'>,
  decide: SecretDecision,
): Promise<void> {
  const all = await store.loadAll();
  await applyOneByOne(store, await decide((key) => all.get(key)));
}
