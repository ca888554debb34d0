/**
 * The view model the main process hands the renderer. It never holds a secret, except
 * TokenDetails.token when the user explicitly asked to reveal it and CopyResult.text on the web
 * bridge (where the page itself must write the clipboard).
 */
import type { ProviderCapabilities, ProviderKind } from './providers.js';

export type { ProviderCapabilities, ProviderKind } from './providers.js';
/** `ended`: the server refused the session when asked (checkSessions); statusMessage holds its reason. */
export type SessionStatus = 'valid' | 'refreshing' | 'expiring' | 'expired' | 'signed_out' | 'error' | 'ended';

/**
 * How the active tenant account travels with every request of an environment (session API): a header
 * such as `X-Account-Id`, a query parameter such as `accountId`, or not at all (the server picks the
 * primary account). Every copy, header line, curl, export and exec carries it.
 */
export type AccountTransport = { kind: 'header'; name: string } | { kind: 'query'; name: string } | { kind: 'none' };

/**
 * How a session renews itself: its refresh token (Supabase), a remembered password (session API), the
 * client credentials in the vault (an OpenID machine client), or not at all.
 */
export type RenewalKind = 'refresh_token' | 'remembered_password' | 'client_credentials' | 'none';

export interface AccountView {
  id: string;
  name: string;
  primary: boolean;
}

export interface ProfileView {
  accounts: AccountView[];
  primaryAccountId?: string;
  roles: string[];
  permissions: string[];
  permissionsFromRoles: string[];
  /** The user's picture (OIDC `picture`, https): shown as a link, never loaded by the window. */
  picture?: string;
  /** The scopes the server granted, when it said. */
  scopes?: string[];
  /** The session holds an OpenID Connect ID token (offer "copy ID token"). */
  hasIdToken?: boolean;
}

export interface IdentityView {
  id: string;
  envId: string;
  /** What it is shown as: its email, else its display name, else its subject (contract/identity-label.ts). */
  label: string;
  /** Absent for phone users, machine clients and tokens without an email claim. */
  email?: string;
  /** What identifies the user at its server (the provider's user id, or `email:<email>`). */
  subject: string;
  displayName?: string;
  userId?: string;
  active: boolean;
  activeAccountId?: string;
  rememberPassword: boolean;
  status: SessionStatus;
  /** Why the status is expired/error, in the words of the problem. */
  statusMessage?: string;
  /** The last sign-in or renewal failure, whatever the status says now (the CLI's status shows it beside an expiry). */
  lastError?: string;
  obtainedAt?: number;
  expiresAt?: number;
  /** The token has no end of its own (a pasted opaque token): show "no expiry", not expiresAt (a year on, a placeholder). */
  noExpiry?: true;
  /** True when the session renews itself (refresh grant or a remembered password). */
  canRenew: boolean;
  /** How it renews itself (canRenew is `renewal !== 'none'`); shown on each identity row. */
  renewal: RenewalKind;
  /** The provider can keep the password for renewal (session API): offer "remember password". */
  canRememberPassword: boolean;
  /**
   * Only for a signed-in session that cannot renew itself: from this local-clock time on, show
   * "ends in N min — sign in again / remember password" (until expiresAt). The scheduler's
   * `session-expiring` event fires at the same time.
   */
  endWarningAt?: number;
  /**
   * When the refresh token itself ends (the server said: Keycloak's refresh_expires_in): the session
   * cannot be renewed past it. With it, endWarningAt counts to this time, not to expiresAt.
   */
  refreshExpiresAt?: number;
  profile?: ProfileView;
  /**
   * The session's authenticator assurance level (the access token's `aal` claim: Supabase MFA):
   * aal2 after a second factor. Absent when the token says nothing of it.
   */
  assurance?: 'aal1' | 'aal2';
}

export interface EnvironmentView {
  id: string;
  name: string;
  provider: ProviderKind;
  /** What its provider can do (contract/providers.ts): the UI asks these, never the kind's name. */
  capabilities: ProviderCapabilities;
  baseUrl: string;
  label?: string;
  color: string;
  production: boolean;
  variables: Record<string, string>;
  variableNames: Partial<Record<VariableRoleName, string>>;
  hasAnonKey: boolean;
  hasApiKey: boolean;
  /** The values of its kind's non-secret settings that are set (a setting left out takes its declared default). */
  settings: Record<string, string>;
  /** Names of its kind's secret settings that the vault holds (never their values). */
  secretSettings: string[];
  /** Names of the variables whose values are in the keychain (never the values); absent when none. */
  secretVariables?: string[];
  /** How the active account travels (always present; `{kind:'none'}` when not set). */
  accountTransport: AccountTransport;
  activeIdentityId?: string;
  identities: IdentityView[];
  /**
   * Set when it comes from a project file (tokendesk.json, issue 24): the file's path; its fields are the
   * file's. `revision`: the file's text they were read from, what an edit in the file is made on.
   */
  project?: { file: string; revision?: string };
}

export type VariableRoleName = 'url' | 'anon_key' | 'api_key' | 'access_token' | 'refresh_token' | 'id_token' | 'account_id';

export interface SettingsView {
  marginSeconds: number;
  clipboardClearSeconds: number;
}

/** A linked project file: why it is not used when it is not. */
export interface ProjectFileView {
  file: string;
  error?: string;
}

export interface AppState {
  environments: EnvironmentView[];
  settings: SettingsView;
  keychain: { ok: true } | { ok: false; code: string; message: string };
  /** The configuration could not be read (moved aside): shown once, the app starts empty. */
  configError?: string;
  /** The embedded demo server, with its public test accounts while it runs. */
  demo: { running: boolean; url?: string; accounts?: Record<ProviderKind, DemoAccount[]> };
  /** 'electron' writes the clipboard in main; 'web' returns the text for the page to write. */
  shell: 'electron' | 'web';
  /** Local clock of the main process, so countdowns agree with the core. */
  now: number;
  /** The linked project files (issue 24), each with why it is not used when it is not. */
  projectFiles?: ProjectFileView[];
}

/** A public demo account (printed in the README), offered as a one-click fill-in. */
export interface DemoAccount {
  email: string;
  password: string;
  label: string;
  /** The answers of its kind's first sign-in method when that is not a password (a demo token: `{token}`). */
  answers?: Record<string, string>;
}

export interface TokenDetails {
  identityId: string;
  /** The first and last characters only. */
  masked: string;
  /** Present only when reveal was asked for. */
  token?: string;
  jwtHeader?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  issuedAt: number;
  /** With noExpiry, only the longest lifetime TokenDesk keeps: not a date to show. */
  expiresAt: number;
  /** The token has no end of its own (a pasted opaque token, a JWT without exp). */
  noExpiry?: true;
  storage: string;
}

/** Postman variables of the active identity, with secret values masked: what the copy menu lists. */
export interface VariableView {
  key: string;
  secret: boolean;
  /** Masked for secrets. */
  preview: string;
}

export interface CopyResult {
  /** What was copied, for whom: "Authorization header for owner@… (staging)". */
  label: string;
  /** When the clipboard will be cleared (null: never, or not a secret). */
  clearsInSeconds: number | null;
  /**
   * What was deliberately left out and why, one sentence each, e.g. the refresh token ("single-use:
   * a tool that spends it ends TokenDesk's session; tick "include refresh token" to copy it anyway").
   */
  omitted?: string[];
  /** Web bridge only: the text the page writes to its clipboard. */
  text?: string;
}

export interface ExportResult {
  /** Electron: the path the file was saved to (undefined when the user cancelled the dialog). */
  savedTo?: string;
  /** Web bridge only: the file's name and content for a download. */
  fileName?: string;
  content?: string;
}

/** updateEnvironment's answer: the environment, and what a move to another server did beyond it (both absent when nothing). */
export interface EnvironmentUpdate extends EnvironmentView {
  /** Identities signed out because the environment moved to another server. */
  signedOut?: string[];
  /** Sessions that could not be ended at the old server (removed here all the same). */
  warnings?: string[];
}

export interface ImportResult {
  environment: EnvironmentView;
  created: boolean;
  warnings: string[];
  /** Expected facts said once and quietly (e.g. "Secrets without a value, skipped: …" for a fresh export). */
  notes?: string[];
  /** Identities signed out because the import moved the environment to another server. */
  signedOut?: string[];
}

/**
 * What asking one identity's server about its session came to (checkSessions): accepted; renewed (the
 * access token alone was refused and a refresh was accepted); ended (refused: the session is gone,
 * with the server's reason); unknown (no answer: network, timeout, 5xx; nothing changed); skipped
 * (nothing to ask: signed out, or the token already expired).
 */
export interface SessionCheckView {
  identityId: string;
  envId: string;
  /** The identity's label (its email when it has one). */
  email: string;
  result: 'accepted' | 'renewed' | 'ended' | 'unknown' | 'skipped';
  reason?: string;
}

export type SignUpOutcome = { kind: 'session'; identity: IdentityView } | { kind: 'confirmation_sent'; email: string };

export interface ErrorView {
  code: string;
  message: string;
}

export type AppEvent =
  | { type: 'state-changed'; reason: 'config' | 'session' | 'demo' }
  | { type: 'session-refreshed'; identityId: string; envId: string; expiresAt: number }
  | { type: 'session-expiring'; identityId: string; envId: string; expiresAt: number }
  | { type: 'session-expired'; identityId: string; envId: string; reason: string }
  | { type: 'refresh-failed'; identityId: string; envId: string; message: string; final: boolean }
  /** A sign-in flow moved on (a browser callback arrived, a device code was approved, it failed or ended). */
  | { type: 'sign-in-progress'; flowId: string; step: import('./flows.js').FlowStepView }
  | { type: 'clipboard-cleared' }
  /** A timed clear was due and could not be confirmed: the copied secret may still be on the clipboard. */
  | { type: 'clipboard-not-cleared'; message: string }
  /** The local credential endpoint answered calls (at most one event a second): its log has new lines. */
  | { type: 'endpoint-called' }
  /** A production environment was asked of the endpoint and refused: the window offers to allow it. */
  | ({ type: 'endpoint-production-asked' } & import('./endpoint.js').EndpointProductionAsk);
