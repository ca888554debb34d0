import type { Config } from '../config/schema.js';
import { isTokenDeskError } from '../errors.js';
import { secretKeys, type SecretStore } from '../secrets/types.js';
import type { SessionManager } from './manager.js';
import { decodeSession } from './session-codec.js';
import { endWarningAt, refreshEndOf, refreshEndWarningAt } from './end-warning.js';
import { isExpired, refreshAt } from './margin.js';

export interface SchedulerEvents {
  refreshing(identityId: string, on: boolean): void;
  /** A session that cannot renew itself, or whose refresh token ends, reaches its end warning (end-warning.ts): warn once. */
  expiring(identityId: string, envId: string, expiresAt: number): void;
  /** The stored sessions changed behind our back (the CLI renewed or signed in), or time jumped (sleep): the view is stale. */
  changed?(): void;
}

export type TickReason = 'start' | 'due' | 'poll' | 'wake';

/** setTimeout holds at most 2^31-1 ms (~24.8 days); a longer delay would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** A timer that fires this much later than planned means the machine slept (or the process was stopped). */
const SLEPT_AFTER_MS = 30_000;
/** After a failed renewal: 15 s, doubling to at most 5 min, so a dead network is not hammered. */
const RETRY_FIRST_MS = 15_000;
const RETRY_MAX_MS = 5 * 60_000;
/** Right after a wake the network is often not back yet: a failed renewal is retried this soon. */
const WAKE_RETRY_MS = 5_000;

interface Failure {
  /** The session the failure was about: a new session (sign-in, another process) clears it. */
  expiresAt: number;
  count: number;
  retryAt: number;
}

/**
 * Keeps every session fresh in the background (the desktop app and the web bridge). Each identity's
 * renewal is scheduled for its own due time (margin.ts refreshAt), so a 30-second token is renewed
 * 7.5 s ahead rather than whenever a fixed poll happens to come round; a slower poll only notices
 * sessions another process (the CLI) changed. A timer that fires much later than planned means the
 * machine slept: the view is told it is stale, what fell due is renewed at once, and a renewal that
 * fails then (the network is not back yet) is retried within seconds. `resume()` does the same on an
 * OS wake event.
 */
export class RefreshScheduler {
  private timer: NodeJS.Timeout | undefined;
  /** When the current timer should fire, to tell a late (slept) wake-up from a punctual one. */
  private plannedAt: number | undefined;
  private started = false;
  private running: Promise<void> | undefined;
  /** A tick asked for while one ran: run once more afterwards (a wake is never dropped). */
  private pending: TickReason | undefined;
  private readonly warned = new Set<string>();
  private readonly failures = new Map<string, Failure>();
  /** What the keychain held at the last tick, to notice changes made by another process. */
  private fingerprint: string | undefined;

  constructor(
    private readonly deps: {
      sessions: SessionManager;
      secrets: SecretStore;
      readConfig: () => Promise<Config>;
      events: SchedulerEvents;
      now?: () => number;
      /** How often to look for sessions changed by another process; default 30 s. */
      pollMs?: number;
    },
  ) {}

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.tick('start');
  }

  stop(): void {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.plannedAt = undefined;
  }

  /** Sessions or settings changed here (a sign-in, a renewal, the margin): recompute the due times now. */
  nudge(): void {
    if (this.started) void this.tick('poll');
  }

  /** Called on the OS resume event: refresh what fell due while asleep. */
  resume(): Promise<void> {
    return this.tick('wake');
  }

  /** One pass over all identities; a pass asked for while one runs follows it (renewals are single-flight anyway). */
  async tick(why: TickReason = 'poll'): Promise<void> {
    if (this.running) {
      if (why === 'wake' || this.pending === undefined) this.pending = why;
      return this.running;
    }
    this.running = this.pass(why);
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
    const again = this.pending;
    this.pending = undefined;
    if (again) await this.tick(again);
  }

  private async pass(why: TickReason): Promise<void> {
    let next = Number.POSITIVE_INFINITY;
    try {
      const cfg = await this.deps.readConfig();
      const all = await this.deps.secrets.loadAll();
      const margin = cfg.settings.marginSeconds;
      const fingerprint = cfg.identities.map((i) => `${i.id}:${decodeSession(all.get(secretKeys.session(i.id)))?.expiresAt ?? '-'}`).join('|');
      // After a sleep every countdown and status is stale even if nothing stored changed.
      if (why === 'wake' || (this.fingerprint !== undefined && fingerprint !== this.fingerprint)) this.deps.events.changed?.();
      this.fingerprint = fingerprint;
      const dueTimes = await Promise.all(
        cfg.identities.map(async (identity): Promise<number> => {
          const env = cfg.environments.find((e) => e.id === identity.envId);
          const session = decodeSession(all.get(secretKeys.session(identity.id)));
          if (!env || !session) {
            this.warned.delete(identity.id);
            this.failures.delete(identity.id);
            return Number.POSITIVE_INFINITY;
          }
          const now = this.now;
          const renewable = Boolean(session.refreshToken) || Boolean(session.renewsBy) || identity.rememberPassword;
          if (!renewable) {
            this.failures.delete(identity.id);
            const warnAt = endWarningAt(session);
            if (now < warnAt) {
              this.warned.delete(identity.id);
              return warnAt;
            }
            if (isExpired(session, now)) return Number.POSITIVE_INFINITY;
            if (!this.warned.has(identity.id)) {
              this.warned.add(identity.id);
              this.deps.events.expiring(identity.id, env.id, session.expiresAt);
            }
            // At expiry the status changes: wake then so the view says so.
            return session.expiresAt;
          }
          // A refresh token with its own end (Keycloak's refresh_expires_in) is announced once before it.
          const refreshWarnAt = refreshEndWarningAt(session);
          const refreshEnd = refreshEndOf(session);
          let warnWake = Number.POSITIVE_INFINITY;
          if (refreshWarnAt === undefined || refreshEnd === undefined || now < refreshWarnAt) {
            this.warned.delete(identity.id);
            if (refreshWarnAt !== undefined) warnWake = refreshWarnAt;
          } else if (now < refreshEnd && !this.warned.has(identity.id)) {
            this.warned.add(identity.id);
            this.deps.events.expiring(identity.id, env.id, refreshEnd);
          }
          let failure = this.failures.get(identity.id);
          if (failure && failure.expiresAt !== session.expiresAt) {
            this.failures.delete(identity.id);
            failure = undefined;
          }
          const dueAt = Math.max(refreshAt(session, margin), failure?.retryAt ?? 0);
          if (dueAt > now) return Math.min(dueAt, warnWake);
          this.deps.events.refreshing(identity.id, true);
          let retryable = true;
          try {
            const out = await this.deps.sessions.renew(env, identity, margin);
            // The manager keeps a still-valid session (with a warning) when renewal fails: not a success.
            const renewed = out?.session;
            if (renewed && refreshAt(renewed, margin) > this.now) {
              this.failures.delete(identity.id);
              return refreshAt(renewed, margin);
            }
          } catch (e) {
            // Reported through the manager's events; retried later.
            retryable = !isTokenDeskError(e) || e.retryable;
          } finally {
            this.deps.events.refreshing(identity.id, false);
          }
          // Backoff, but within seconds right after a wake: the network is often not back yet.
          const count = (failure?.count ?? 0) + 1;
          const delay = why === 'wake' && retryable ? WAKE_RETRY_MS : Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (count - 1));
          const retryAt = this.now + delay;
          this.failures.set(identity.id, { expiresAt: session.expiresAt, count, retryAt });
          return retryAt;
        }),
      );
      next = Math.min(...dueTimes);
    } catch {
      // Keychain or config unavailable: the state view reports it; try again at the next poll.
    }
    this.schedule(next);
  }

  /** One timer: the earliest due time, or the next poll, whichever comes first. */
  private schedule(dueAt: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    const now = this.now;
    const at = Math.min(dueAt, now + (this.deps.pollMs ?? 30_000));
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, at - now));
    this.plannedAt = now + delay;
    const poll = at < dueAt ? 'poll' : 'due';
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const late = this.plannedAt !== undefined && this.now - this.plannedAt > SLEPT_AFTER_MS;
      void this.tick(late ? 'wake' : poll);
    }, delay);
    this.timer.unref?.();
  }
}
