import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { TokenDeskError } from '../errors.js';
import type { ConfigStore } from '../config/store.js';
import { sweepBasis } from '../config/sweep-basis.js';
import type { Config, Environment, Identity } from '../config/schema.js';
import { findEnvironment } from '../environments/service.js';
import { clearStaleServersRecord } from '../environments/servers-record.js';
import { secretKeys, type SecretChanges, type SecretKey, type SecretStore } from '../secrets/types.js';
import type { HttpClient } from '../http/types.js';
import type { AuthProvider, Profile, ProviderContext, ProviderKind, StoredSession } from '../providers/types.js';
import { decodeSession, splitSession, withTokenClaims } from './session-codec.js';
import { ProfileStore } from './profile-store.js';
import { effectiveEmail, loginNameOf, matchIdentity, otherUserWarning, recordsIdentity, subjectOf } from './identity-match.js';
import { isExpired, needsRenewal } from './margin.js';
import { RefreshLock, tokenFingerprint, type LockHandle } from './refresh-lock.js';
import { withRetry } from './retry.js';
import { localTime } from '../format-time.js';
import { capabilitiesOf, missingMethodNeed, providerInfo, signInMethodsOf } from '../../contract/providers.js';
import { settingWords, withDefaults } from '../../contract/settings.js';
import { changesServers, describeMove, serversFingerprint } from '../../contract/servers.js';
import { identityLabel } from '../../contract/identity-label.js';
import type { FlowAnswers } from '../../contract/flows.js';
import { FlowRunner, type FlowTimers, type RunnerStep } from '../flows/runner.js';
import { unattendedIO } from '../flows/unattended.js';
import { withSignal } from '../http/with-signal.js';
import { endedReason, mapPooled, REFRESH_REFUSED, type SessionCheckOutcome } from './session-check.js';

export type SessionEvent =
  | { type: 'session-refreshed'; identityId: string; envId: string; expiresAt: number }
  | { type: 'session-expired'; identityId: string; envId: string; reason: string }
  | { type: 'refresh-failed'; identityId: string; envId: string; message: string; final: boolean }
  | { type: 'identities-changed'; envId: string };

export interface SessionManagerDeps {
  home: string;
  config: ConfigStore;
  secrets: SecretStore;
  http: HttpClient;
  providers: (kind: ProviderKind) => AuthProvider;
  now?: () => number;
  /** How long retryable refresh failures are retried before giving up (default 8 s). */
  retryDeadlineMs?: number;
  /** Shared with EnvironmentService so removing an environment waits for renewals in flight. */
  lock?: RefreshLock;
  /** The sign-in flows' deadline timers (tests drive them). */
  flowTimers?: FlowTimers;
}

/** A finished sign-in: the identity, and a warning when the server signed in someone else than typed. */
export type SignedIn = Identity & { warning?: string };

/** Attempts of one sign-in to record its session when other sign-ins of the same user keep listing it first. */
const SAVE_ATTEMPTS = 5;

export type { SessionCheckOutcome, SessionCheckResult } from './session-check.js';

export interface FreshToken {
  env: Environment;
  identity: Identity;
  session: StoredSession;
  /** Set when the token could not be renewed but is still valid: hand it out with this warning. */
  warning?: string;
}

/** Sign-in, refresh, sign-out and expiry for every identity; the one place sessions change. */
export class SessionManager {
  readonly events = new EventEmitter<{ event: [SessionEvent] }>();
  private readonly lock: RefreshLock;
  private readonly now: () => number;
  /** Refresh tokens the server rejected, so serial callers don't hammer it (like supabase-js). */
  private readonly rejected = new Map<string, TokenDeskError>();
  /**
   * Renewed sessions the keychain refused to store. Their refresh token is the only valid one left
   * (the old one is spent), so it is kept here, retried on every read, and handed out with a warning.
   */
  private readonly unsaved = new Map<string, { session: StoredSession; replaced: string }>();
  /** The non-secret half of each session (accounts, roles, permissions, claims), outside the vault. */
  readonly profiles: ProfileStore;
  /** Sign-ins in progress (flows of steps): begun, answered and cancelled through beginSignIn and co. */
  readonly flows: FlowRunner<SignedIn>;

  constructor(private readonly deps: SessionManagerDeps) {
    this.lock = deps.lock ?? new RefreshLock(deps.home);
    this.now = deps.now ?? Date.now;
    this.profiles = new ProfileStore(deps.home);
    this.flows = new FlowRunner<SignedIn>({ now: this.now, ...(deps.flowTimers && { timers: deps.flowTimers }) });
  }

  private emit(e: SessionEvent): void {
    this.events.emit('event', e);
  }

  /**
   * What a provider is given for one call on `env`: its declared settings (defaults filled in) and all
   * its secret settings, read in one vault read. A required setting that is missing is one error that
   * names it and says how to set it.
   */
  private async context(env: Environment): Promise<ProviderContext> {
    const declared = providerInfo(env.provider).settings;
    const settings = withDefaults(declared, env.settings);
    const secretOnes = declared.filter((s) => s.secret);
    const all = secretOnes.length > 0 ? await this.deps.secrets.loadAll() : new Map<string, string>();
    const secrets: Record<string, string> = {};
    for (const info of secretOnes) {
      const value = all.get(secretKeys.setting(env.id, info.name));
      if (value !== undefined) secrets[info.name] = value;
    }
    const missing = declared.find((s) => s.required && (s.secret ? secrets[s.name] === undefined : settings[s.name] === undefined));
    if (missing) {
      const how = missing.secret ? `--${missing.flag} -` : `--${missing.flag} VALUE`;
      throw new TokenDeskError(
        'invalid_input',
        `Environment "${env.name}" has no ${settingWords(missing)} ${missing.secret ? 'stored' : 'set'}: enter it with Edit in the app, or tokendesk env edit "${env.name}" ${how}`,
      );
    }
    return { baseUrl: env.baseUrl, http: this.deps.http, now: this.now, settings, secrets };
  }

  /**
   * The identity `who` names — its email (any case) or its id (`--identity ID`, status --json's id) —
   * or, without one, the environment's active one.
   */
  static findIdentity(cfg: Config, env: Environment, who?: string): Identity {
    const identities = cfg.identities.filter((i) => i.envId === env.id);
    if (who) {
      const found = identities.find((i) => i.id === who) ?? identities.find((i) => i.email?.toLowerCase() === who.toLowerCase());
      if (!found) throw new TokenDeskError('not_signed_in', `No identity ${who} in "${env.name}": sign in first`);
      return found;
    }
    const activeId = cfg.activeIdentity[env.id];
    const active = identities.find((i) => i.id === activeId) ?? identities[0];
    if (!active) throw new TokenDeskError('not_signed_in', `Nobody is signed in to "${env.name}": sign in first`);
    return active;
  }

  private async resolve(envRef: string, email?: string): Promise<{ env: Environment; identity: Identity }> {
    const cfg = await this.deps.config.read();
    const env = findEnvironment(cfg, envRef);
    return { env, identity: SessionManager.findIdentity(cfg, env, email) };
  }

  /**
   * Begins a sign-in with one of the environment's methods (the first, its default, when none is
   * named) and resolves with its first step: `done` with the identity, or what it asks or shows.
   * `answers` given up front answer its first question without asking (the window's form, the CLI's flags).
   */
  async beginSignIn(envRef: string, methodId?: string, answers?: FlowAnswers): Promise<RunnerStep<SignedIn>> {
    const env = findEnvironment(await this.deps.config.read(), envRef);
    const methods = signInMethodsOf(env.provider, env.settings);
    const method = methodId ?? methods[0]!.id;
    if (!methods.some((m) => m.id === method)) {
      const need = missingMethodNeed(env.provider, env.settings, method);
      throw new TokenDeskError('invalid_input', `"${env.name}" cannot sign in with "${method.slice(0, 40)}"${need ? ` (${need})` : ''}; its methods: ${methods.map((m) => m.id).join(', ')}`);
    }
    const provider = this.deps.providers(env.provider);
    const ctx = await this.context(env);
    return this.flows.begin(async (io) => {
      const out = await provider.signInWith(method, { ...ctx, http: withSignal(ctx.http, io.signal), signal: io.signal }, io);
      const saved = await this.saveNewSession(env, out.typed ?? '', out.session, out.rememberPassword, () => io.commit());
      // The server's own note on the sign-in (a weak password) goes with ours (another user than typed).
      const warning = [saved.warning, out.warning].filter(Boolean).join('; ');
      return warning ? { ...saved, warning } : saved;
    }, answers ? { answers } : {});
  }

  /** Answers the flow's question (or waits for its next step after one shown without a question). */
  continueSignIn(flowId: string, answers?: FlowAnswers): Promise<RunnerStep<SignedIn>> {
    return this.flows.next(flowId, answers);
  }

  /** Cancels a sign-in in progress: nothing it would store is stored. True when there was one. */
  cancelSignIn(flowId: string): boolean {
    return this.flows.cancel(flowId);
  }

  /**
   * Email + password in one call (the app's `signIn`, the CLI's login): the `password` method's flow,
   * answered up front. `warning` when the server signed the user in as someone else than the email typed.
   */
  async signIn(envRef: string, creds: { email: string; password: string; remember?: boolean }): Promise<SignedIn> {
    const step = await this.beginSignIn(envRef, 'password', { email: creds.email, password: creds.password, remember: String(creds.remember ?? false) });
    if (step.kind === 'done') return step.result;
    // The answers covered the password method's question: anything else is a flow this call cannot render.
    this.flows.cancel(step.flowId);
    throw new TokenDeskError('unsupported', `Signing in to this environment needs more than a password (${step.title}): use the app or tokendesk login`);
  }

  async signUp(
    envRef: string,
    creds: { email: string; password: string },
    data?: Record<string, unknown>,
  ): Promise<{ kind: 'session'; identity: Identity; warning?: string } | { kind: 'confirmation_sent'; email: string }> {
    const env = findEnvironment(await this.deps.config.read(), envRef);
    const provider = this.deps.providers(env.provider);
    if (!provider.canSignUp) throw new TokenDeskError('unsupported', `Sign-up is not available for ${env.provider} environments`);
    const result = await provider.signUp(await this.context(env), { email: creds.email.trim(), password: creds.password }, data);
    if (result.kind === 'confirmation_sent') return result;
    const { warning, ...identity } = await this.saveNewSession(env, creds.email.trim(), result.session, undefined);
    return warning ? { kind: 'session', identity, warning } : { kind: 'session', identity };
  }

  /**
   * Stores the session (keychain first), then records the identity and makes it active. The identity
   * is the one with the provider's user id (identity-match.ts); a sign-in answered as another user
   * than `email` comes back with a warning saying so. One user is one identity however sign-ins
   * interleave (issue 27: eight at once made two): the identity is guessed from a read without any
   * lock, and that guess is confirmed where the identity is listed, under the config lock. When another
   * sign-in listed this user meanwhile, this one's writes are put back and it is saved again under
   * the identity that one listed.
   */
  private async saveNewSession(
    env: Environment,
    email: string,
    session: StoredSession,
    password: string | undefined,
    commit?: () => boolean,
  ): Promise<Identity & { warning?: string }> {
    if (subjectOf(session.profile, email) === undefined) {
      throw new TokenDeskError('bad_response', `The server did not say who signed in to "${env.name}" (no user id, no email): nothing was stored`);
    }
    let guess = matchIdentity((await this.deps.config.read()).identities, env.id, session.profile, email);
    let identity: Identity | undefined;
    // Each retry follows an identity another sign-in listed in between: it ends unless identities of
    // this user keep being removed and listed again at the same moment.
    for (let attempt = 1; !identity; attempt++) {
      const outcome = await this.saveUnder(guess?.id ?? randomUUID(), guess, env, email, session, password, commit);
      if ('saved' in outcome) identity = outcome.saved;
      else if (attempt >= SAVE_ATTEMPTS) {
        throw new TokenDeskError('config_locked', `Other sign-ins of ${effectiveEmail(session.profile, email) || email} kept changing its identity; sign in again`, { retryable: true });
      } else guess = outcome.retryAs;
    }
    this.rejected.clear();
    this.emit({ type: 'identities-changed', envId: env.id });
    const warning = otherUserWarning(session.profile, email);
    return warning ? { ...identity, warning } : identity;
  }

  /**
   * One attempt of saveNewSession with the identity `id` (`known`: as listed when it was matched,
   * undefined for a new one); puts the vault back as it was if any later step fails, or when the
   * config lists this user under another identity (`retryAs`; undefined when `id` now belongs to
   * another user and a new identity is needed).
   *
   * A listed identity is saved under the vault lock alone, never its refresh lock: a renewal in flight
   * for it commits only if the vault still holds the session it renewed (renewOnce), so this newer
   * sign-in stays whichever finishes last. A new identity's id is known to nobody else yet, so its lock
   * contends with no renewal: it is held as the mark of a sign-in in flight, which the sweeps respect
   * while the identity is not listed (orphans.ts, removeOrphanProfiles) and which a killed sign-in
   * leaves behind for interrupted-sign-ins.ts.
   */
  private async saveUnder(...args: Parameters<SessionManager['saveAs']>): Promise<{ saved: Identity } | { retryAs: Identity | undefined }> {
    const [id, known] = args;
    const save = () => this.saveAs(...args);
    return known ? save() : this.lock.exclusive(id, save);
  }

  private async saveAs(
    id: string,
    known: Identity | undefined,
    env: Environment,
    email: string,
    session: StoredSession,
    password: string | undefined,
    commit: (() => boolean) | undefined,
  ): Promise<{ saved: Identity } | { retryAs: Identity | undefined }> {
    // A flow cancelled or timed out while its answer was on the way (or while this waited for the
    // lock) stores nothing: the user was told so. Past this point it can no longer be cancelled.
    if (commit && !commit()) throw new TokenDeskError('flow_cancelled', 'The sign-in was cancelled: nothing was stored');
    const keys = [secretKeys.session(id), secretKeys.password(id)] as const;
    const profileBefore = await this.profiles.read(id);
    /**
     * What this sign-in wrote and what each key held before, as seen under the vault lock; set by the
     * store's decision, so it is known even when the write around it fails afterwards (its profile).
     */
    const wrote: { written?: Written } = {};
    const restore = async () => {
      let undone = false;
      // Only the keys that still hold what this sign-in wrote go back: a sign-in, sign-out or removal
      // that came after it (none waits for this one) is kept.
      const mine = wrote.written;
      if (mine) {
        await this.deps.secrets
          .update((read) =>
            mine.flatMap(([k, w]) => {
              if (read(k) !== w.now) return [];
              if (k === keys[0]) undone = true;
              return [[k, w.before] as const];
            }),
          )
          .catch(() => undefined);
        if (!undone) return; // the session here is someone else's now, and so is the profile
      }
      await (profileBefore ? this.profiles.write(id, profileBefore) : this.profiles.delete(id)).catch(() => undefined);
    };
    try {
      // The tokens and the remembered password (or its removal) in one sealed write, made only while
      // the configuration still has the environment at the server signed in to: this sign-in holds no
      // identity lock, so a renewal may read the vault at any moment after, with the configuration's
      // URL (issue 27: an edit that moved it meanwhile would have its refresh token sent there).
      const save = () => this.store(id, session, { also: [[keys[1], password]], record: wrote, check: async (read) => assertSameServer(await this.configNow(), env, read) });
      await save().catch(async (e: unknown) => {
        if (!(e instanceof RecordedMoveDisagrees)) throw e;
        // A move in progress (then this waits for it, and the retry sees it in the config) or one an
        // edit killed midway left behind (removed, and the retry is stored): never a wrong refusal.
        await clearStaleServersRecord(this.deps.config, this.deps.secrets, env.id);
        await save();
      });
      const profile = session.profile;
      const subject = subjectOf(profile, email)!; // checked by saveNewSession
      const record = (listed: Identity | undefined): Identity => {
        const keepAccount = listed?.activeAccountId && profile.accounts.some((a) => a.id === listed.activeAccountId);
        const label = effectiveEmail(profile, email);
        const loginName = loginNameOf(email);
        return {
          id,
          envId: env.id,
          subject,
          ...(label && { email: label }),
          ...(loginName && { loginName }),
          displayName: profile.displayName,
          userId: profile.userId || undefined,
          activeAccountId: keepAccount ? listed.activeAccountId : (profile.primaryAccountId ?? profile.accounts[0]?.id),
          rememberPassword: password !== undefined,
          createdAt: listed?.createdAt ?? this.now(),
        };
      };
      // A repeated sign-in usually changes nothing here: then no config lock, read and compare
      // (about a fifth of a sign-in). Judged on the current file (the store's read, cached by file
      // version: fs/file-version.ts says what that can miss); a change another process makes
      // meanwhile is ordered after this no-op, as if it had run first. Safe for the one-identity
      // rule: a file that already lists this user as `id` is matched to `id` by every sign-in.
      let next = record(known);
      const listedNow = await this.deps.config.read();
      assertSameServer(listedNow, env);
      if (recordsIdentity(listedNow, next)) return { saved: next };
      let retry: { as: Identity | undefined } | undefined;
      await this.deps.config.update((c) => {
        // The URL may have moved to another server while this sign-in talked to the old one (issue 27):
        // its session must not be kept under the new URL, where a renewal would send its refresh token.
        assertSameServer(c, env);
        // Match-or-create under the lock: what is matched here is what every other sign-in sees.
        const owner = matchIdentity(c.identities, env.id, profile, email);
        if (owner ? owner.id !== id : c.identities.some((i) => i.id === id)) {
          retry = { as: owner };
          return c; // unchanged: the store writes nothing
        }
        next = record(owner);
        return {
          ...c,
          // In place when listed, so an identity keeps its position in the lists on a new sign-in.
          identities: owner ? c.identities.map((i) => (i.id === id ? next : i)) : [...c.identities, next],
          activeIdentity: { ...c.activeIdentity, [env.id]: id },
        };
      });
      if (!retry) return { saved: next };
      await restore();
      return { retryAs: retry.as };
    } catch (e) {
      await restore();
      throw e;
    }
  }

  /** Signs out this session only (GoTrue logout with scope=local, always) and forgets its secrets; the identity stays listed. */
  async signOut(envRef: string, email?: string, opts: { forget?: boolean } = {}): Promise<{ identity: Identity; warning?: string }> {
    const { env, identity } = await this.resolve(envRef, email);
    // Under the identity's lock: a renewal in flight finishes first and cannot write the session back.
    const warning = await this.lock.exclusive(identity.id, async () => {
      const session = await this.readSession(identity.id);
      let warn: string | undefined;
      const expired = session !== undefined && isExpired(session, this.now());
      // An expired session is still ended at the server where its refresh token outlives it (RFC 7009).
      if (session && (!expired || session.refreshToken)) {
        try {
          const provider = this.deps.providers(env.provider);
          const out = expired ? await provider.signOutExpired?.(await this.context(env), session) : await provider.signOut(await this.context(env), session);
          if (out) warn = out.note;
        } catch (e) {
          // The local copy goes anyway: the user asked to be signed out here.
          warn = `The server could not be told (${e instanceof TokenDeskError ? e.message : 'unknown error'}); the session was removed locally`;
        }
      }
      await this.deps.secrets.apply([
        [secretKeys.session(identity.id), undefined],
        [secretKeys.password(identity.id), undefined],
      ]);
      await this.profiles.delete(identity.id).catch(() => undefined);
      await this.deps.config.update((c) => {
        const identities = opts.forget
          ? c.identities.filter((i) => i.id !== identity.id)
          : c.identities.map((i) => (i.id === identity.id ? { ...i, rememberPassword: false, lastError: undefined } : i));
        const activeIdentity = { ...c.activeIdentity };
        if (opts.forget && activeIdentity[env.id] === identity.id) {
          const next = identities.find((i) => i.envId === env.id);
          if (next) activeIdentity[env.id] = next.id;
          else delete activeIdentity[env.id];
        }
        return { ...c, identities, activeIdentity };
      });
      return warn;
    });
    this.emit({ type: 'identities-changed', envId: env.id });
    return warning ? { identity, warning } : { identity };
  }

  /**
   * Tells the server at `env`'s URL to end `session` (logout, scope local, as signOut does) and changes
   * nothing stored. For an environment that moved to another server: the caller already removed the
   * session and passes the environment as it was, with the anon key it had, so the logout goes to the
   * old server and nothing reaches the new one.
   */
  async revokeAt(env: Environment, session: StoredSession, secrets: Readonly<Record<string, string>> = {}): Promise<void> {
    if (isExpired(session, this.now())) return;
    const settings = withDefaults(providerInfo(env.provider).settings, env.settings);
    const ctx: ProviderContext = { baseUrl: env.baseUrl, http: this.deps.http, now: this.now, settings, secrets };
    await this.deps.providers(env.provider).signOut(ctx, session);
  }

  async switchIdentity(envRef: string, email: string): Promise<Identity> {
    const { env, identity } = await this.resolve(envRef, email);
    await this.deps.config.update((c) => ({ ...c, activeIdentity: { ...c.activeIdentity, [env.id]: identity.id } }));
    this.emit({ type: 'identities-changed', envId: env.id });
    return identity;
  }

  async setActiveAccount(envRef: string, accountId: string, email?: string): Promise<Identity> {
    const { env, identity } = await this.resolve(envRef, email);
    const session = await this.readSession(identity.id);
    const accounts = session?.profile.accounts ?? [];
    if (!accounts.some((a) => a.id === accountId)) {
      const known = accounts.map((a) => `${a.id} (${a.name})`).join(', ');
      throw new TokenDeskError('not_found', `${identityLabel(identity)} has no account ${accountId}${known ? `; accounts: ${known}` : ''}`);
    }
    const updated = { ...identity, activeAccountId: accountId };
    await this.deps.config.update((c) => ({ ...c, identities: c.identities.map((i) => (i.id === identity.id ? updated : i)) }));
    this.emit({ type: 'identities-changed', envId: env.id });
    return updated;
  }

  async readSession(identityId: string): Promise<StoredSession | undefined> {
    const pending = this.unsaved.get(identityId);
    if (!pending) return this.readStored(identityId);
    const stored = await this.readStored(identityId).catch(() => pending.session);
    // Signed in, out or renewed elsewhere since: the keychain's answer is newer than ours.
    if (stored !== pending.session && stored?.accessToken !== pending.replaced) {
      this.unsaved.delete(identityId);
      return stored;
    }
    return pending.session;
  }

  /**
   * Stores a kept renewal, under the identity's lock and only while the vault still holds the session
   * it replaced (a compare-and-swap): a renewal another process made meanwhile, or a sign-in (which
   * does not take this lock), is never overwritten.
   */
  private async persistUnsaved(identityId: string): Promise<void> {
    const pending = this.unsaved.get(identityId);
    if (!pending) return;
    // Written or refused, the vault's answer is newer than ours; unreachable still, it is kept for the next use.
    await this.store(identityId, pending.session, { basis: pending.replaced }).then(
      () => this.unsaved.delete(identityId),
      () => undefined,
    );
  }

  /**
   * The vault's entry joined with the profile file (an entry an older version stored whole carries its
   * own), and the access token's claims decoded for display.
   */
  private async readStored(identityId: string): Promise<StoredSession | undefined> {
    const text = await this.deps.secrets.get(secretKeys.session(identityId));
    if (text === undefined) return undefined;
    const session = decodeSession(text, await this.profiles.read(identityId));
    return session && withTokenClaims(session);
  }

  /**
   * The profile file and the tokens (into the vault) are written at once, so their disk flushes
   * overlap: a sign-in waits for one durable write, not two. A reader in between may see one half new
   * and the other old — a display detail, the tokens always belong together. `also` goes into the
   * same sealed write as the tokens (a sign-in's remembered password). With `basis` (a renewal: the
   * access token of the session it renewed) the write is a compare-and-swap under the vault lock,
   * and the profile follows only a write that was made. Resolves with what was written and what it
   * replaced, or undefined when the swap was refused. A failed write reaches the caller as a
   * TokenDeskError (renewOnce keeps the session in memory then).
   */
  private async store(
    identityId: string,
    session: StoredSession,
    opts: { also?: SecretChanges; basis?: string; check?: (read: (key: SecretKey) => string | undefined) => Promise<void>; record?: { written?: Written } } = {},
  ): Promise<Written | undefined> {
    const { tokens, profile } = splitSession(session);
    const key = secretKeys.session(identityId);
    const changes: SecretChanges = [[key, tokens], ...(opts.also ?? [])];
    const { basis } = opts;
    let written: Written | undefined;
    const vault = this.deps.secrets.update(async (read) => {
      // A renewal's compare-and-swap: the vault still holds the session it renewed (or already this
      // one: a retry after a write that landed). Anything else is a newer session, which stays.
      if (basis !== undefined && ![basis, session.accessToken].includes(accessTokenOf(read(key)) ?? '')) return [];
      // Under the vault lock: a refusal here writes nothing, so no reader ever sees the session.
      await opts.check?.(read);
      written = changes.map(([k, v]) => [k, { now: v, before: read(k) }] as const);
      // Told before the write: a caller must undo it even when what follows (the profile) fails.
      if (opts.record) opts.record.written = written;
      return changes;
    });
    if (basis !== undefined) {
      // Its profile only once its tokens are in: a renewal that lost to a sign-in writes nothing.
      await vault;
      if (written) await this.profiles.write(identityId, profile);
      return written;
    }
    const [p, t] = await Promise.allSettled([this.profiles.write(identityId, profile), vault]);
    if (t.status === 'rejected') throw t.reason;
    if (p.status === 'rejected') throw p.reason;
    return written;
  }

  /**
   * The configuration as the file holds it now, for a decision made under the vault lock: `peek` takes
   * no lock (an edit holds the config lock while it waits for the vault's). A file that cannot be read
   * confirms nothing, so the sign-in stores nothing.
   */
  private async configNow(): Promise<Config> {
    const cfg = await this.deps.config.peek();
    if (!cfg) throw new TokenDeskError('config_invalid', 'The configuration could not be read while signing in: nothing was stored; sign in again');
    return cfg;
  }

  /** Profiles of many identities at once (the app's state view, `status`), each file read only if it changed. */
  readProfiles(identityIds: readonly string[]): Promise<Map<string, Profile>> {
    return this.profiles.readMany(identityIds);
  }

  /**
   * Deletes profile files of identities the configuration no longer lists (a removed environment's).
   * Judged under each identity's lock after re-reading the config, as orphans.ts does for secrets, so
   * a sign-in in flight (profile written before the identity is listed) is spared. Only against a
   * configuration file that reads, sparing what a moved-aside one names (config/sweep-basis.ts).
   */
  async removeOrphanProfiles(): Promise<string[]> {
    const removed: string[] = [];
    const basis = await sweepBasis(this.deps.config);
    if (!basis) return removed;
    const listed = new Set(basis.config.identities.map((i) => i.id));
    for (const id of await this.profiles.ids()) {
      if (listed.has(id) || basis.namedAside(id)) continue;
      await this.lock.exclusive(id, async () => {
        const now = await sweepBasis(this.deps.config);
        if (!now || now.namedAside(id) || now.config.identities.some((i) => i.id === id)) return;
        await this.profiles.delete(id);
        removed.push(id);
      });
    }
    return removed;
  }


  /**
   * A token with at least the margin of life left: renewed first when it is inside the margin
   * (refresh grant, or a new sign-in with the remembered password). One renewal per identity at a
   * time across processes; the keychain is re-read inside the lock, so a renewal done meanwhile by
   * another process is used instead of spending the single-use refresh token again.
   */
  async getFreshToken(envRef: string, email?: string, opts: { minValidMs?: number } = {}): Promise<FreshToken> {
    const fresh = await this.freshToken(envRef, email, opts.minValidMs);
    const min = opts.minValidMs;
    // A job that must not fail midway (oidc-agent's --time) is told now, not when the token dies.
    if (min !== undefined && !fresh.session.noExpiry && fresh.session.expiresAt - this.now() < min) {
      const left = Math.max(0, Math.floor((fresh.session.expiresAt - this.now()) / 1000));
      throw new TokenDeskError(
        'unsupported',
        `The token of ${identityLabel(fresh.identity)} in "${fresh.env.name}" has ${left} s left, less than the ${Math.ceil(min / 1000)} s asked${fresh.warning ? ` (${fresh.warning})` : ', and a renewal gives no longer token'}`,
      );
    }
    return fresh;
  }

  private async freshToken(envRef: string, email: string | undefined, minValidMs: number | undefined): Promise<FreshToken> {
    const cfg = await this.deps.config.read();
    const env = findEnvironment(cfg, envRef);
    const identity = SessionManager.findIdentity(cfg, env, email);
    const margin = cfg.settings.marginSeconds;
    if (this.unsaved.has(identity.id)) await this.lock.exclusive(identity.id, () => this.persistUnsaved(identity.id)).catch(() => undefined);
    const session = await this.readSession(identity.id);
    if (!session) {
      const why = identity.lastError ? `: ${identity.lastError.message}` : '';
      throw new TokenDeskError('not_signed_in', `${identityLabel(identity)} is not signed in to "${env.name}"${why}`);
    }
    if (!needsRenewal(session, this.now(), margin, minValidMs)) return { env, identity, session };
    return this.renew(env, identity, margin, minValidMs).catch((e: unknown) => {
      // A folder where the renewal's lock cannot even be made (read-only, full) is like an unreachable
      // server: a token that is still valid is handed out with the reason.
      if (e instanceof TokenDeskError && e.code === 'config_unwritable' && !isExpired(session, this.now())) {
        return { env, identity, session, warning: `Could not renew the session (${e.message}); the current token is still valid until ${localTime(session.expiresAt)}` };
      }
      throw e;
    });
  }

  /** Renews the identity's session if due (used by the background scheduler as well). */
  async renew(env: Environment, identity: Identity, marginSeconds: number, minValidMs?: number): Promise<FreshToken> {
    return this.lock.run(identity.id, async (lock) => {
      await this.persistUnsaved(identity.id);
      const current = await this.readSession(identity.id);
      if (!current) throw new TokenDeskError('not_signed_in', `${identityLabel(identity)} is not signed in to "${env.name}"`);
      if (!needsRenewal(current, this.now(), marginSeconds, minValidMs)) return { env, identity, session: current };
      try {
        const renewed = await this.renewOnce(env, identity, current, lock);
        if (!renewed) return this.keepOrExpire(env, identity, current, this.noRenewalReason(env, identity, current));
        this.emit({ type: 'session-refreshed', identityId: identity.id, envId: env.id, expiresAt: renewed.session.expiresAt });
        return { env, identity, ...renewed };
      } catch (e) {
        const err = e instanceof TokenDeskError ? e : new TokenDeskError('auth_error', 'The session could not be renewed', { cause: e });
        return this.onRenewFailure(env, identity, current, err);
      }
    });
  }

  /**
   * Renews now, however much life the token has left (`tokendesk refresh`, the app's "Renew now"):
   * under the same per-identity lock as every renewal, so it never races one. Anything short of a new
   * session is an error with the reason (a renewal that failed, a session that cannot renew itself);
   * a refusal that ends the session ends it, as it would at the next due renewal.
   */
  async renewNow(envRef: string, who?: string): Promise<FreshToken> {
    const { env, identity } = await this.resolve(envRef, who);
    // exclusive, not run: a renewal already in flight may have found nothing due, and its result is not this one.
    return this.lock.exclusive(identity.id, async (lock) => {
      await this.persistUnsaved(identity.id);
      const current = await this.readSession(identity.id);
      if (!current) throw new TokenDeskError('not_signed_in', `${identityLabel(identity)} is not signed in to "${env.name}"`);
      let renewed: { session: StoredSession; warning?: string } | undefined;
      try {
        renewed = await this.renewOnce(env, identity, current, lock);
      } catch (e) {
        const err = e instanceof TokenDeskError ? e : new TokenDeskError('auth_error', 'The session could not be renewed', { cause: e });
        const kept = await this.onRenewFailure(env, identity, current, err);
        // Another process renewed it meanwhile: that is the renewal asked for.
        if (!kept.warning && kept.session.accessToken !== current.accessToken) return kept;
        throw new TokenDeskError(err.code, `Could not renew the session of ${identityLabel(identity)} in "${env.name}": ${err.message}`, {
          cause: err,
          ...(err.serverCode && { serverCode: err.serverCode }),
        });
      }
      if (!renewed) throw new TokenDeskError('unsupported', this.noRenewalReason(env, identity, current));
      this.emit({ type: 'session-refreshed', identityId: identity.id, envId: env.id, expiresAt: renewed.session.expiresAt });
      return { env, identity, ...renewed };
    });
  }

  /** Why this session cannot renew itself, in the words of its kind's renewal (catalogue `renewal`). */
  private noRenewalReason(env: Environment, identity: Identity, s: StoredSession): string {
    const at = localTime(s.expiresAt);
    const why =
      capabilitiesOf(env.provider).renewal.kind === 'rerun'
        ? 'cannot be renewed without a remembered password'
        : s.refreshToken === undefined && capabilitiesOf(env.provider).renewal.kind === 'refresh'
          ? 'has no refresh token, so it cannot renew itself'
          : 'cannot renew itself';
    return `The session of ${identityLabel(identity)} ${why}; it expires at ${at}`;
  }

  /** Returns the renewed session, or undefined when this identity cannot be renewed automatically. */
  private async renewOnce(
    env: Environment,
    identity: Identity,
    current: StoredSession,
    lock: LockHandle,
  ): Promise<{ session: StoredSession; warning?: string } | undefined> {
    const provider = this.deps.providers(env.provider);
    const ctx = await this.context(env);
    const deadlineMs = this.deps.retryDeadlineMs ?? 8000;
    // The session the vault holds for what is renewed here: `current` itself, or, for a renewal kept in
    // memory (unsaved), the one the vault still has in its place.
    const pending = this.unsaved.get(identity.id);
    const basis = pending?.session === current ? pending.replaced : current.accessToken;
    let next: StoredSession;
    if (provider.canRefresh && current.refreshToken) {
      const refreshToken = current.refreshToken;
      const cached = this.rejected.get(refreshToken);
      if (cached) throw cached;
      // The holder before us was killed while exchanging this very token: the server may have rotated
      // it already. Sending it once more is GoTrue's "failed to save" case, which answers with the
      // token that replaced it (legacy: the active token's parent, no time limit; v2: counter + 1);
      // nobody else can hold that replacement, since it never reached the keychain.
      const interrupted = lock.interruptedRefresh?.refreshing === tokenFingerprint(refreshToken);
      // Recorded before the token leaves this process, so a successor knows what was in flight.
      await lock.noteRefreshing(refreshToken).catch(() => undefined);
      if (await lock.compromised()) {
        throw new TokenDeskError('config_locked', 'Another TokenDesk process took over this renewal; try again', { retryable: true });
      }
      try {
        next = await withRetry(() => provider.refresh(ctx, current), { deadlineMs, now: this.now });
      } catch (e) {
        if (interrupted && e instanceof TokenDeskError && e.code === 'refresh_rejected') {
          throw new TokenDeskError(
            'refresh_rejected',
            `A renewal interrupted earlier (a TokenDesk process was stopped while renewing) had already used the refresh token, and the server refused it again (${e.message})`,
            { cause: e, serverCode: e.serverCode, status: e.status },
          );
        }
        throw e;
      }
    } else if (current.renewsBy && provider.renewWithoutUser) {
      // No refresh token and no user (client credentials): the same grant again, with the vault's secret.
      const renewWithoutUser = provider.renewWithoutUser.bind(provider);
      next = await withRetry(() => renewWithoutUser(ctx, current), { deadlineMs, now: this.now });
    } else {
      const renewal = capabilitiesOf(env.provider).renewal;
      const password = renewal.kind === 'rerun' && identity.rememberPassword ? await this.deps.secrets.get(secretKeys.password(identity.id)) : undefined;
      if (renewal.kind !== 'rerun' || !password) return undefined;
      // The method the catalogue names, answered with what the user let TokenDesk remember; nobody is asked.
      const rerun = async () => (await provider.signInWith(renewal.method, ctx, unattendedIO({ email: identity.loginName ?? identity.email ?? '', password }))).session;
      next = await withRetry(rerun, { deadlineMs, now: this.now });
    }
    if (await lock.compromised()) {
      // Another process decided we were gone and took over. If it already stored a renewal, use
      // that; otherwise ours is the newest session there is, and dropping it would lose the rotated token.
      const stored = await this.readSession(identity.id);
      if (stored && stored.accessToken !== current.accessToken) return { session: stored };
      // Signed out (or removed) meanwhile: writing ours back would bring the session back to life.
      if (!stored) throw new TokenDeskError('not_signed_in', `${identityLabel(identity)} was signed out of "${env.name}" while the session was being renewed`);
    }
    // The rotated refresh token is stored before the new access token is handed out, and only if the
    // vault still holds the session renewed here: a sign-in does not wait for a renewal (it never takes
    // this lock), so one that landed meanwhile is newer and stays, and this result is dropped. The old
    // token is spent, so a failed write is tried once more, then the session is kept in memory, never dropped.
    let written: Written | undefined;
    try {
      const commit = () => this.store(identity.id, next, { basis });
      written = await commit().catch(commit);
    } catch (e) {
      this.unsaved.set(identity.id, { session: next, replaced: basis });
      const why = e instanceof TokenDeskError ? e.message : 'the keychain refused it';
      return {
        session: next,
        warning: `The renewed session could not be saved to the keychain (${why}); TokenDesk keeps it in memory and retries on every use. If this process ends before the keychain is back, sign in again`,
      };
    }
    if (!written) {
      const stored = await this.readSession(identity.id);
      if (!stored) throw new TokenDeskError('not_signed_in', `${identityLabel(identity)} was signed out of "${env.name}" while the session was being renewed`);
      return { session: stored };
    }
    if (identity.lastError) {
      await this.deps.config.update((c) => ({
        ...c,
        identities: c.identities.map((i) => (i.id === identity.id ? { ...i, lastError: undefined } : i)),
      }));
    }
    return { session: next };
  }

  private async onRenewFailure(env: Environment, identity: Identity, used: StoredSession, raw: TokenDeskError): Promise<FreshToken> {
    const err = this.explainRefresh(env, raw); // GoTrue: "another tool probably used it"
    // Signed out by another process during the renewal: its old token is not handed out either.
    if (err.code === 'not_signed_in') throw err;
    if (err.code === 'refresh_rejected' || err.code === 'invalid_credentials') {
      if (used.refreshToken && err.code === 'refresh_rejected') this.rejected.set(used.refreshToken, err);
      // Another process may have rotated the token meanwhile: its result is in the keychain.
      const stored = await this.readSession(identity.id);
      if (stored && stored.accessToken !== used.accessToken && !isExpired(stored, this.now())) {
        return { env, identity, session: stored };
      }
      // Signed out meanwhile (the server refused because the session is gone): nothing to hand out.
      if (!stored) throw new TokenDeskError('not_signed_in', `${identityLabel(identity)} was signed out of "${env.name}" while the session was being renewed`);
      if (isExpired(used, this.now())) {
        if (!(await this.endSession(env, identity, err, used))) {
          const signedIn = await this.readSession(identity.id);
          if (signedIn) return { env, identity, session: signedIn }; // signed in again meanwhile
        }
        throw new TokenDeskError('session_expired', `The session of ${identityLabel(identity)} in "${env.name}" ended: ${err.message}. Sign in again.`, {
          serverCode: err.serverCode,
        });
      }
      this.emit({ type: 'refresh-failed', identityId: identity.id, envId: env.id, message: err.message, final: true });
      await this.recordError(identity, err);
      return { env, identity, session: used, warning: `Could not renew the session (${err.message}); the current token is still valid until ${localTime(used.expiresAt)}` };
    }
    this.emit({ type: 'refresh-failed', identityId: identity.id, envId: env.id, message: err.message, final: false });
    // Network trouble, 5xx, 429: the session is kept; a still-valid token is handed out with a warning.
    if (!isExpired(used, this.now())) {
      return { env, identity, session: used, warning: `Could not renew the session (${err.message}); the current token is still valid until ${localTime(used.expiresAt)}` };
    }
    throw err;
  }

  /** The provider's own words for a refused refresh (GoTrue's "already used"), when it has them. */
  private explainRefresh(env: Environment, err: TokenDeskError): TokenDeskError {
    return this.deps.providers(env.provider).explainRefreshFailure?.(err) ?? err;
  }

  private keepOrExpire(env: Environment, identity: Identity, s: StoredSession, reason: string): FreshToken {
    if (isExpired(s, this.now())) {
      this.emit({ type: 'session-expired', identityId: identity.id, envId: env.id, reason });
      throw new TokenDeskError('session_expired', `The session of ${identityLabel(identity)} in "${env.name}" expired at ${localTime(s.expiresAt)}: sign in again (or sign in with "remember password" so it renews itself)`);
    }
    return { env, identity, session: s, warning: reason };
  }

  private async recordError(identity: Identity, err: TokenDeskError): Promise<void> {
    // The scheduler may hit the same failure every tick: write the config only when the reason changes.
    if (identity.lastError?.code === err.code && identity.lastError.message === err.message.slice(0, 500)) return;
    const lastError = { code: err.code, message: err.message.slice(0, 500), at: this.now() };
    await this.deps.config.update((c) => ({
      ...c,
      identities: c.identities.map((i) => (i.id === identity.id ? { ...i, lastError } : i)),
    }));
  }

  /**
   * Asks each signed-in identity's server whether its session is still accepted (issue 27), a few at
   * a time, each request bounded by `timeoutMs`. `envIds` and `identityIds` limit it to those.
   */
  async checkSessions(opts: { envIds?: readonly string[]; identityIds?: readonly string[]; timeoutMs?: number } = {}): Promise<SessionCheckOutcome[]> {
    const cfg = await this.deps.config.read();
    const envs = new Map(cfg.environments.filter((e) => !opts.envIds || opts.envIds.includes(e.id)).map((e) => [e.id, e]));
    const targets = cfg.identities.filter((i) => envs.has(i.envId) && (!opts.identityIds || opts.identityIds.includes(i.id)));
    return mapPooled(targets, 6, (identity) => this.checkIdentity(envs.get(identity.envId)!, identity, opts.timeoutMs));
  }

  /**
   * One identity: accepted and unknown change nothing; a refusal ends the session with the server's
   * reason. When only the access token was refused (GoTrue bad_jwt: a rotated signing key, a token the
   * server cannot verify) and the session has a refresh token, a refresh is tried first, because the
   * session behind the token may live on and ending it would sign the user out for nothing; when the
   * session itself is gone (session_not_found, user_not_found, user_banned) no refresh is sent: GoTrue
   * deletes a session's refresh tokens with it, so it could only fail. After a token-only refusal the
   * session ends only when the server refuses the refresh too (REFRESH_REFUSED); a refresh that gets
   * no answer from the server itself (network, 5xx, a proxy's page) keeps it. A remembered password is never
   * used to sign in again after a refusal: a session an administrator revoked must not come back by itself.
   */
  async checkIdentity(env: Environment, identity: Identity, timeoutMs?: number): Promise<SessionCheckOutcome> {
    const base = { identityId: identity.id, envId: env.id, email: identityLabel(identity) };
    const session = await this.readSession(identity.id).catch(() => undefined);
    if (!session) return { ...base, result: 'skipped', reason: 'not signed in' };
    if (isExpired(session, this.now())) return { ...base, result: 'skipped', reason: 'the token has expired; it is renewed (or refused) on next use' };
    const provider = this.deps.providers(env.provider);
    if (!provider.checkSession) return { ...base, result: 'unknown', reason: 'this kind of server cannot be asked' };
    let check;
    try {
      check = await provider.checkSession(await this.context(env), session, timeoutMs === undefined ? {} : { timeoutMs });
    } catch (e) {
      return { ...base, result: 'unknown', reason: e instanceof TokenDeskError ? e.message : 'the check failed' };
    }
    if (check.outcome === 'accepted') return { ...base, result: 'accepted' };
    if (check.outcome === 'unknown') return { ...base, result: 'unknown', reason: check.reason };
    const refusal = check;
    // Under the identity's lock, against what the vault holds now: a session renewed or signed in
    // again while the request was out is not the one the server refused.
    return this.lock.exclusive(identity.id, async (lock) => {
      const current = await this.readSession(identity.id);
      if (!current) return { ...base, result: 'skipped', reason: 'signed out meanwhile' };
      const changedMeanwhile = { ...base, result: 'unknown', reason: 'the session changed while it was checked; check again' } as const;
      if (current.accessToken !== session.accessToken) return changedMeanwhile;
      if (refusal.tokenOnly && provider.canRefresh && current.refreshToken) {
        try {
          const renewed = await this.renewOnce(env, identity, current, lock);
          if (renewed) {
            this.emit({ type: 'session-refreshed', identityId: identity.id, envId: env.id, expiresAt: renewed.session.expiresAt });
            return { ...base, result: 'renewed', reason: `the server refused the access token (${refusal.reason}); a refresh was accepted` };
          }
        } catch (e) {
          const err = e instanceof TokenDeskError ? e : new TokenDeskError('auth_error', 'The session could not be renewed', { cause: e });
          // Only the server's own refusal of the refresh token ends the session. Anything else (no
          // answer, 5xx, a proxy's HTML page: bad_response) is no answer, and the session is kept,
          // as the renewal path (onRenewFailure) keeps it on the same failure.
          if (!REFRESH_REFUSED.has(err.code)) {
            return { ...base, result: 'unknown', reason: `the server refused the access token (${refusal.reason}) and a refresh got no answer: ${err.message}` };
          }
          const reason = `${endedReason(refusal)}; the refresh was refused too: ${this.explainRefresh(env, err).message}`;
          const ended = await this.endSession(env, identity, new TokenDeskError('session_expired', reason, { ...(err.serverCode && { serverCode: err.serverCode }) }), current);
          return ended ? { ...base, result: 'ended', reason } : changedMeanwhile;
        }
      }
      const reason = endedReason(refusal);
      const ended = await this.endSession(env, identity, new TokenDeskError('session_expired', reason, { ...(refusal.serverCode && { serverCode: refusal.serverCode }), status: refusal.status }), current);
      return ended ? { ...base, result: 'ended', reason } : changedMeanwhile;
    });
  }

  /**
   * The server ended the session `ended` and the access token has expired: forget it, keep the reason.
   * Only while the vault still holds it (a compare-and-swap): a sign-in that landed meanwhile (it does
   * not wait for this lock) is a new session and stays. False when that happened and nothing changed.
   */
  private async endSession(env: Environment, identity: Identity, err: TokenDeskError, ended: StoredSession): Promise<boolean> {
    const key = secretKeys.session(identity.id);
    let still = false;
    await this.deps.secrets.update((read) => {
      still = accessTokenOf(read(key)) === ended.accessToken;
      return still ? [[key, undefined]] : [];
    });
    if (!still) return false;
    await this.profiles.delete(identity.id).catch(() => undefined);
    await this.recordError(identity, err);
    this.emit({ type: 'session-expired', identityId: identity.id, envId: env.id, reason: err.message });
    return true;
  }
}

/** What a sign-in's vault write changed: each key with the value written (`now`) and the one it replaced. */
type Written = ReadonlyArray<readonly [SecretKey, { now: string | undefined; before: string | undefined }]>;

/** The access token of a stored session entry (undefined for none, or one that does not decode). */
const accessTokenOf = (text: string | undefined): string | undefined => decodeSession(text)?.accessToken;

/**
 * Refuses to record a sign-in made against `env` as it was read when the sign-in began, when the
 * environment has since been removed or moved to other servers (an edit of its URL or issuer ends
 * the sessions it finds; this one was not yet there to be found). Moved by the configuration, or,
 * under the vault lock (`read`), by the servers the last move recorded there: an edit seals that
 * with its deletion of the old sessions, before it writes the configuration.
 */
function assertSameServer(cfg: Config, env: Environment, read?: (key: SecretKey) => string | undefined): void {
  const now = cfg.environments.find((e) => e.id === env.id);
  if (!now) throw new TokenDeskError('not_found', `Environment "${env.name}" was removed while signing in: nothing was stored`);
  if (changesServers(env, now)) {
    throw new TokenDeskError('environment_changed', `"${env.name}" moved to ${describeMove(env, now).to} while signing in at ${env.baseUrl}: nothing was stored; sign in again`);
  }
  const recorded = read?.(secretKeys.servers(env.id));
  if (recorded !== undefined && recorded !== serversFingerprint(env)) throw new RecordedMoveDisagrees(env);
}

/** The vault records a move the configuration does not show (yet): a move in progress, or a leftover of one killed midway. */
class RecordedMoveDisagrees extends TokenDeskError {
  constructor(env: Environment) {
    super('environment_changed', `"${env.name}" is being moved to another server (or a move of it was interrupted): nothing was stored; sign in again`);
  }
}
