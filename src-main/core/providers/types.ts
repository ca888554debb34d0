import type { ProviderKind } from '../../contract/providers.js';
import type { HttpClient } from '../http/types.js';
import type { TokenDeskError } from '../errors.js';
import type { FlowIO } from '../flows/types.js';

/** The kinds and their capabilities are declared once, in the catalogue (contract/providers.ts). */
export type { ProviderKind } from '../../contract/providers.js';

/** A tenant account of the session API (seed 003). Supabase identities have none. */
export interface Account {
  id: string;
  name: string;
  primary: boolean;
  internalUser?: boolean;
}

/** Who a session belongs to: everything the UI shows about an identity. Holds no secret. */
export interface Profile {
  userId: string;
  email: string;
  displayName?: string;
  accounts: Account[];
  primaryAccountId?: string;
  roles: string[];
  /** Every permission the user has (`flatPermissionsList`). */
  permissions: string[];
  /** The subset of `permissions` granted through roles (`permissionsFromRoles`). */
  permissionsFromRoles: string[];
  /**
   * Decoded JWT header and claims, for display only: never verified client-side, and never written to
   * the profile file (the token's own, decoded again when read: session-codec.ts withTokenClaims).
   */
  jwtHeader?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** A picture of the user (OIDC `picture`, an https URL), shown beside the name. */
  picture?: string;
  /** The scopes the server granted (the token answer's `scope`), when it said. */
  scopes?: string[];
}

/**
 * A signed-in session as kept in the keychain (one entry per identity, so a rotated refresh token
 * and its access token are written together). Times are the local clock's epoch milliseconds,
 * computed at receipt, so a skewed server clock does no harm.
 */
export interface StoredSession {
  provider: ProviderKind;
  accessToken: string;
  refreshToken?: string;
  obtainedAt: number;
  expiresAt: number;
  /**
   * The token has no end of its own (a pasted opaque token, a JWT without exp): expiresAt is then
   * obtainedAt + MAX_LIFETIME_MS, so every reader still has a number, and the views say "no expiry".
   */
  noExpiry?: true;
  /**
   * How a session without a refresh token renews itself with no user present: `client-credentials`
   * (a machine identity, RFC 6749 §4.4) asks for a new token with the client secret kept in the vault.
   * Only a marker: never a secret. The provider's `renewWithoutUser` does it.
   */
  renewsBy?: 'client-credentials';
  /**
   * When the refresh token itself ends, where the server says so (Keycloak's `refresh_expires_in`):
   * the session cannot be renewed past it, so the user is warned before (sessions/end-warning.ts).
   */
  refreshExpiresAt?: number;
  /** The OpenID Connect ID token of the sign-in (or the last renewal that sent one): a secret, vault only. */
  idToken?: string;
  profile: Profile;
}

/** What a sign-out could not do at the server, said plainly ("…offers no revocation: …"). */
export interface SignOutNote {
  note: string;
}

export interface ProviderContext {
  baseUrl: string;
  /** Supabase's anon key given directly (tests, the bench); the manager passes it in `secrets` (providers/supabase/request.ts anonKeyOf). */
  anonKey?: string;
  http: HttpClient;
  /** Local clock, injectable for tests. */
  now: () => number;
  /** The environment's non-secret settings of this kind (catalogue `settings`), by name. */
  settings?: Readonly<Record<string, string>>;
  /** The environment's secret settings, read from the vault for this call only. */
  secrets?: Readonly<Record<string, string>>;
  /** Set during a sign-in flow: aborted when it is cancelled or times out (ctx.http already carries it). */
  signal?: AbortSignal;
}

/** What a sign-in method ends with: the session, the identifier the user typed, and what to remember. */
export interface FlowOutcome {
  session: StoredSession;
  /** The email (or other identifier) the user typed: the label when the server names none. */
  typed?: string;
  /** The password to keep for renewal (the user asked to: catalogue renewal `rerun`). */
  rememberPassword?: string;
  /** Something the server said about a sign-in that succeeded (GoTrue's weak_password): shown, never dropped. */
  warning?: string;
}

/**
 * One sign-in method: a conversation with the user through `io` (ask, show) ending in a session.
 * It sends every request with `io.signal` (ctx.http does) and stores nothing itself.
 */
/** A provider with a password grant: what its password method runs, and a renewal `rerun` sends again. */
export interface PasswordGrant {
  signIn(ctx: ProviderContext, creds: Credentials): Promise<StoredSession>;
}

export type SignInFlow = (ctx: ProviderContext, io: FlowIO) => Promise<FlowOutcome>;

export interface Credentials {
  email: string;
  password: string;
}

export type SignUpResult =
  | { kind: 'session'; session: StoredSession }
  | { kind: 'confirmation_sent'; email: string; userId: string };


/**
 * What the provider's own endpoint said about a session (issue 27: a session the server forgot was
 * shown as valid):
 * - accepted: the server took the access token;
 * - refused: it did not (401/403, or a code naming the session or user as gone), with its reason in
 *   its own words; `tokenOnly` when only the access token was refused (a bad or expired JWT) and the
 *   session behind it may live on, so a refresh may still succeed;
 * - unknown: no answer to go by (network failure, timeout, 5xx, 429, an anon key the gateway refused,
 *   an odd status). Never a refusal: nothing changes.
 */
export type SessionCheck =
  | { outcome: 'accepted' }
  | { outcome: 'refused'; reason: string; serverCode?: string; status: number; tokenOnly: boolean }
  | { outcome: 'unknown'; reason: string };

/** Bounds a session check's request, so a hanging server cannot hold `status --check` or the app. */
export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

/** One interface per auth backend, so OAuth2/OIDC can be added later beside these two. */
export interface AuthProvider {
  readonly kind: ProviderKind;
  /** True when the provider has a refresh grant; otherwise renewal needs a remembered password. */
  readonly canRefresh: boolean;
  readonly canSignUp: boolean;
  /** Runs the sign-in method `method` (an id the catalogue lists for this kind). */
  signInWith(method: string, ctx: ProviderContext, io: FlowIO): Promise<FlowOutcome>;
  signUp(ctx: ProviderContext, creds: Credentials, data?: Record<string, unknown>): Promise<SignUpResult>;
  /**
   * Says why a refresh the server refused happened, in the words of this kind of server (GoTrue's
   * "already used": another tool probably spent a copy). Optional: without it the error stands as is.
   */
  explainRefreshFailure?(err: TokenDeskError): TokenDeskError;
  /** Throws TokenDeskError `refresh_rejected` when the server rejected the refresh token for good. */
  refresh(ctx: ProviderContext, session: StoredSession): Promise<StoredSession>;
  /**
   * Renews a session marked `renewsBy` (no refresh token, no user: client credentials) by asking for
   * a new token again. Optional: a kind without such sessions leaves it out. Throws like `refresh`.
   */
  renewWithoutUser?(ctx: ProviderContext, session: StoredSession): Promise<StoredSession>;
  /** Re-reads the profile with the current access token (GET /auth/v1/user, GET /api/auth/session). */
  fetchProfile(ctx: ProviderContext, session: StoredSession): Promise<Profile>;
  /**
   * Ends this session only at the server (other devices and browsers stay signed in). May answer a
   * `note` in plain words when the server could not be told to end it (no revocation offered).
   */
  signOut(ctx: ProviderContext, session: StoredSession): Promise<void | SignOutNote>;
  /**
   * Ends at the server what outlives an expired access token (a refresh token, revoked by RFC 7009).
   * Optional: without it, an expired session is only forgotten here.
   */
  signOutExpired?(ctx: ProviderContext, session: StoredSession): Promise<void | SignOutNote>;
  /**
   * Asks the provider's own endpoint whether the session is still accepted (GoTrue `GET /user`, the
   * session API's `GET /api/auth/session`). Optional: a provider without such an endpoint leaves it
   * out. Never throws for a server's answer or a transport failure: those are `unknown`.
   */
  checkSession?(ctx: ProviderContext, session: StoredSession, opts?: { timeoutMs?: number }): Promise<SessionCheck>;
}
