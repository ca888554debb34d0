import { identityLabel } from '../../contract/identity-label.js';
import type { Config, Environment, Identity } from '../config/schema.js';
import { secretKeys } from '../secrets/types.js';
import type { Profile, StoredSession } from '../providers/types.js';
import { decodeSession } from '../sessions/session-codec.js';
import { isDue, isExpired } from '../sessions/margin.js';
import { endWarningAt, refreshEndOf, refreshEndWarningAt } from '../sessions/end-warning.js';
import { capabilitiesOf, providerInfo, signInMethodsOf } from '../../contract/providers.js';
import { decodeJwt } from '../providers/jwt.js';
import { timeOfDay } from '../format-time.js';
import type { EnvironmentView, IdentityView, RenewalKind, SessionStatus } from '../../contract/types.js';

/**
 * How a session renews itself: Supabase by its refresh token, the session API by a remembered password,
 * an OpenID machine client by its client credentials.
 */
export function renewalOf(identity: Pick<Identity, 'rememberPassword'>, session: Pick<StoredSession, 'refreshToken' | 'renewsBy'> | undefined): RenewalKind {
  if (session?.refreshToken) return 'refresh_token';
  if (session?.renewsBy === 'client-credentials') return 'client_credentials';
  return identity.rememberPassword ? 'remembered_password' : 'none';
}

/** Status words shared by the sidebar, the identity list and the tray. */
export function sessionStatus(
  identity: Identity,
  session: StoredSession | undefined,
  now: number,
  marginSeconds: number,
  refreshing: boolean,
): { status: SessionStatus; message?: string } {
  if (refreshing) return { status: 'refreshing' };
  if (!session) {
    // Recorded only when a server refused the session it was asked about (SessionManager.checkIdentity).
    // A refused refresh token (SessionManager.onRenewFailure once the token has run out) ends the session too.
    if (identity.lastError?.code === 'session_expired' || identity.lastError?.code === 'refresh_rejected') return { status: 'ended', message: identity.lastError.message };
    if (identity.lastError) return { status: 'error', message: identity.lastError.message };
    return { status: 'signed_out' };
  }
  if (isExpired(session, now)) return { status: 'expired', message: `Expired at ${timeOfDay(session.expiresAt, now)}` };
  if (identity.lastError) return { status: 'error', message: identity.lastError.message };
  if (isDue(session, now, marginSeconds)) return { status: 'expiring' };
  return { status: 'valid' };
}

export function identityView(
  identity: Identity,
  session: StoredSession | undefined,
  active: boolean,
  ctx: { now: number; marginSeconds: number; refreshing: boolean; provider: Environment['provider'] },
): IdentityView {
  const { status, message } = sessionStatus(identity, session, ctx.now, ctx.marginSeconds, ctx.refreshing);
  const renewal = renewalOf(identity, session);
  const view: IdentityView = {
    id: identity.id,
    envId: identity.envId,
    label: identityLabel(identity),
    ...(identity.email && { email: identity.email }),
    subject: identity.subject,
    active,
    rememberPassword: identity.rememberPassword,
    status,
    canRenew: renewal !== 'none',
    renewal,
    // A provider without a refresh grant renews with a remembered password (catalogue capability).
    canRememberPassword: capabilitiesOf(ctx.provider).canRememberPassword,
  };
  // A token without an end is not announced as ending (its expiresAt is only the longest TokenDesk keeps).
  if (session && renewal === 'none' && !session.noExpiry) view.endWarningAt = endWarningAt(session);
  // A renewing session whose refresh token has its own end is announced before that end.
  const refreshEnd = session ? refreshEndOf(session) : undefined;
  if (session && refreshEnd !== undefined) {
    view.refreshExpiresAt = refreshEnd;
    view.endWarningAt = refreshEndWarningAt(session)!;
  }
  if (identity.displayName) view.displayName = identity.displayName;
  if (identity.userId) view.userId = identity.userId;
  if (identity.activeAccountId) view.activeAccountId = identity.activeAccountId;
  if (message) view.statusMessage = message;
  if (identity.lastError) view.lastError = identity.lastError.message;
  if (session) {
    view.obtainedAt = session.obtainedAt;
    view.expiresAt = session.expiresAt;
    if (session.noExpiry) view.noExpiry = true;
    const p = session.profile;
    // Read from the token's own claims (a renewal's token says it again: GoTrue keeps the session's level).
    const aal = (p.claims ?? decodeJwt(session.accessToken)?.claims)?.aal;
    if (aal === 'aal1' || aal === 'aal2') view.assurance = aal;
    view.profile = {
      accounts: p.accounts.map((a) => ({ id: a.id, name: a.name, primary: a.primary })),
      roles: p.roles,
      permissions: p.permissions,
      permissionsFromRoles: p.permissionsFromRoles,
      ...(p.primaryAccountId && { primaryAccountId: p.primaryAccountId }),
      ...(p.picture && { picture: p.picture }),
      ...(p.scopes && { scopes: p.scopes }),
      ...(session.idToken && { hasIdToken: true }),
    };
  }
  return view;
}

export function environmentViews(
  cfg: Config,
  secrets: Map<string, string>,
  /** `profiles`: each identity's profile file (SessionManager.readProfiles); the vault holds only tokens. */
  ctx: { now: number; refreshing: ReadonlySet<string>; profiles?: ReadonlyMap<string, Profile> },
): EnvironmentView[] {
  const marginSeconds = cfg.settings.marginSeconds;
  return cfg.environments.map((env: Environment) => {
    const activeId = cfg.activeIdentity[env.id];
    const identities = cfg.identities
      .filter((i) => i.envId === env.id)
      .map((i) =>
        identityView(i, decodeSession(secrets.get(secretKeys.session(i.id)), ctx.profiles?.get(i.id)), i.id === activeId, {
          now: ctx.now,
          marginSeconds,
          refreshing: ctx.refreshing.has(i.id),
          provider: env.provider,
        }),
      );
    const view: EnvironmentView = {
      ...(env.project && { project: { file: env.project.file, ...(env.project.revision !== undefined && { revision: env.project.revision }) } }),
      id: env.id,
      name: env.name,
      provider: env.provider,
      // The kind's methods with the environment's own (its social sign-ins: oauth:github).
      capabilities: { ...capabilitiesOf(env.provider), signInMethods: signInMethodsOf(env.provider, env.settings) },
      baseUrl: env.baseUrl,
      color: env.color,
      production: env.production,
      variables: env.variables,
      variableNames: env.variableNames,
      hasAnonKey: secrets.has(secretKeys.anonKey(env.id)),
      hasApiKey: secrets.has(secretKeys.apiKey(env.id)),
      settings: { ...env.settings },
      secretSettings: providerInfo(env.provider).settings.filter((s) => s.secret && secrets.has(secretKeys.setting(env.id, s.name))).map((s) => s.name),
      accountTransport: env.accountTransport ?? { kind: 'none' },
      identities,
    };
    // Names only (they are in the config file too): the edit form says which values a move removes.
    const storedSecretVars = (env.secretVariables ?? []).filter((n) => secrets.has(secretKeys.variable(env.id, n)));
    if (storedSecretVars.length > 0) view.secretVariables = storedSecretVars;
    if (env.label) view.label = env.label;
    if (activeId && identities.some((i) => i.id === activeId)) view.activeIdentityId = activeId;
    return view;
  });
}

/** First and last few characters: enough to tell tokens apart, never enough to use one. */
export function maskSecret(value: string): string {
  if (value.length <= 12) return '•'.repeat(Math.max(4, value.length));
  return `${value.slice(0, 6)}…${'•'.repeat(8)}${value.slice(-4)}`;
}
