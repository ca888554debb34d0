import type { Config } from '../config/schema.js';
import { secretKeys, type SecretStore } from '../secrets/types.js';
import type { SessionManager } from './manager.js';
import { decodeSession } from './session-codec.js';
import { isDue, isExpired } from './margin.js';

export interface SchedulerEvents {
  refreshing(identityId: string, on: boolean): void;
  /** A session that cannot renew itself enters its margin: warn once. */
  expiring(identityId: string, envId: string, expiresAt: number): void;
  /** The stored sessions changed behind our back (the CLI renewed or signed in): the view is stale. */
  changed?(): void;
}

/**
 * Keeps every session fresh in the background (the desktop app and the web bridge): a tick every
 * `intervalMs` renews sessions inside their margin. A tick that comes much later than planned means
 * the machine slept, so due refreshes happen at once; `resume()` does the same on an OS wake event.
 */
export class RefreshScheduler {
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private running = false;
  private readonly warned = new Set<string>();
  /** What the keychain held at the last tick, to notice changes made by another process. */
  private fingerprint: string | undefined;

  constructor(
    private readonly deps: {
      sessions: SessionManager;
      secrets: SecretStore;
      readConfig: () => Promise<Config>;
      events: SchedulerEvents;
      now?: () => number;
      intervalMs?: number;
    },
  ) {}

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  start(): void {
    if (this.timer) return;
    const interval = this.deps.intervalMs ?? 15_000;
    this.lastTick = this.now;
    this.timer = setInterval(() => {
      const late = this.now - this.lastTick > interval * 2;
      this.lastTick = this.now;
      void this.tick(late ? 'wake' : 'tick');
    }, interval);
    this.timer.unref?.();
    void this.tick('start');
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Called on the OS resume event: refresh what fell due while asleep. */
  resume(): Promise<void> {
    this.lastTick = this.now;
    return this.tick('wake');
  }

  /** One pass over all identities; overlapping passes are skipped (renewals are single-flight anyway). */
  async tick(_why: 'start' | 'tick' | 'wake' = 'tick'): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const cfg = await this.deps.readConfig();
      const all = await this.deps.secrets.loadAll();
      const margin = cfg.settings.marginSeconds;
      const fingerprint = cfg.identities.map((i) => `${i.id}:${decodeSession(all.get(secretKeys.session(i.id)))?.expiresAt ?? '-'}`).join('|');
      if (this.fingerprint !== undefined && fingerprint !== this.fingerprint) this.deps.events.changed?.();
      this.fingerprint = fingerprint;
      await Promise.all(
        cfg.identities.map(async (identity) => {
          const env = cfg.environments.find((e) => e.id === identity.envId);
          const session = decodeSession(all.get(secretKeys.session(identity.id)));
          if (!env || !session || !isDue(session, this.now, margin)) {
            this.warned.delete(identity.id);
            return;
          }
          const renewable = Boolean(session.refreshToken) || identity.rememberPassword;
          if (!renewable) {
            if (!isExpired(session, this.now) && !this.warned.has(identity.id)) {
              this.warned.add(identity.id);
              this.deps.events.expiring(identity.id, env.id, session.expiresAt);
            }
            return;
          }
          this.deps.events.refreshing(identity.id, true);
          try {
            await this.deps.sessions.renew(env, identity, margin);
          } catch {
            // Failures are reported through the manager's events; the next tick tries again.
          } finally {
            this.deps.events.refreshing(identity.id, false);
          }
        }),
      );
    } catch {
      // Keychain or config unavailable: the state view reports it; nothing to renew now.
    } finally {
      this.running = false;
    }
  }
}
