/**
 * The kinds, in the order the UI offers them. `session` is the session-token API (seed 003); the
 * name is stored in config.json, so renaming it needs a config migration.
 *
 * A leaf of its own, re-exported by providers.ts: the `token` fast path needs the list alone, and the
 * catalogue's entries are built by function calls a bundler cannot drop (25 KB the fast path parsed).
 */
export const PROVIDER_KINDS = ['supabase', 'session', 'bearer', 'oidc', 'oauth2'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
