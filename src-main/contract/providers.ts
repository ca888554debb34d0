/**
 * The provider catalogue: every auth backend TokenDesk knows, with what it can do, declared once.
 * The kind type and every schema enum (config, stored sessions, the API) are derived from
 * PROVIDER_KINDS; the UI and the CLI ask a provider's capabilities ("can it sign up?") instead of
 * comparing kind names. Pure data without runtime imports: main, preload and renderer bundle it as is.
 *
 * Adding a provider: one entry here, one folder under src-main/core/providers/ and its loader in
 * registry.ts (docs/ARCHITECTURE.md has the whole checklist).
 */
import type { VariableRoleName } from './types.js';

/**
 * The kinds, in the order the UI offers them. `session` is the session-token API (seed 003); the
 * name is stored in config.json, so renaming it needs a config migration.
 */
export const PROVIDER_KINDS = ['supabase', 'session'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** How a user proves who they are. Only email + password today; OAuth / one-time codes come next. */
export type SignInMethod = 'password';

/** What a provider can do: JSON-safe, so every EnvironmentView carries it across IPC and the web bridge. */
export interface ProviderCapabilities {
  /** It has a refresh grant (and so a single-use refresh token); otherwise renewal needs a remembered password. */
  canRefresh: boolean;
  /** It can create an account (sign up) from TokenDesk. */
  canSignUp: boolean;
  /** Every request needs the environment's anon key (Supabase's `apikey` gateway header). */
  needsAnonKey: boolean;
  /** TokenDesk may keep the password to sign in again before the session ends (no refresh grant). */
  canRememberPassword: boolean;
  /** Identities have tenant accounts, and the active one travels with each request (AccountTransport). */
  hasAccounts: boolean;
  /** The profile lists roles and permissions, worth showing even when empty. */
  hasPermissions: boolean;
  signInMethods: readonly SignInMethod[];
  /** The variable roles its exports hold (names per role in core/exports/names.ts), in display order. */
  exportedRoles: readonly VariableRoleName[];
}

export interface ProviderInfo {
  /** As the UI names it: "Supabase", "Session API". */
  label: string;
  /** One line under the label in the provider picker. */
  summary: string;
  /** The CLI's words for it in `--provider` help ("Supabase Auth"). */
  cliSummary: string;
  /** An example base URL for the URL field. */
  urlPlaceholder: string;
  /**
   * A path the base URL must not end with, because TokenDesk adds it itself; with it left in, every
   * endpoint becomes …/rest/v1/auth/v1/token and answers 404. `what` completes "give …".
   */
  addedPaths: { pattern: RegExp; what: string };
  capabilities: ProviderCapabilities;
}

export const PROVIDERS: Readonly<Record<ProviderKind, ProviderInfo>> = {
  supabase: {
    label: 'Supabase',
    summary: 'email + password, refresh tokens',
    cliSummary: 'Supabase Auth',
    urlPlaceholder: 'https://abcd.supabase.co',
    addedPaths: {
      pattern: /\/(auth|rest|storage|functions|realtime|graphql)\/v1(\/.*)?$/i,
      what: 'the project URL: TokenDesk adds /auth/v1 (and requests add /rest/v1) itself',
    },
    capabilities: {
      canRefresh: true,
      canSignUp: true,
      needsAnonKey: true,
      canRememberPassword: false,
      hasAccounts: false,
      hasPermissions: false,
      signInMethods: ['password'],
      exportedRoles: ['url', 'anon_key', 'api_key', 'access_token', 'refresh_token'],
    },
  },
  session: {
    label: 'Session API',
    summary: 'POST /api/auth/login: opaque token with expiresAt',
    cliSummary: 'session-token API',
    urlPlaceholder: 'https://api.example.com',
    addedPaths: {
      pattern: /\/api(\/auth(\/(login|session|logout))?)?\/?$/i,
      what: 'the API root: TokenDesk adds /api/auth/login and /api/auth/session itself',
    },
    capabilities: {
      canRefresh: false,
      canSignUp: false,
      needsAnonKey: false,
      canRememberPassword: true,
      hasAccounts: true,
      hasPermissions: true,
      signInMethods: ['password'],
      exportedRoles: ['url', 'api_key', 'access_token', 'account_id'],
    },
  },
};

export function providerInfo(kind: ProviderKind): ProviderInfo {
  return PROVIDERS[kind];
}

export function capabilitiesOf(kind: ProviderKind): ProviderCapabilities {
  return PROVIDERS[kind].capabilities;
}
