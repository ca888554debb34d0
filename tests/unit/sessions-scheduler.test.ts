import { afterEach, describe, expect, it, vi } from 'vitest';
import { RefreshScheduler } from '../../src-main/core/sessions/scheduler.js';
import type { SessionManager } from '../../src-main/core/sessions/manager.js';
import { ConfigSchema, type Config } from '../../src-main/core/config/schema.js';
import { encodeSession } from '../../src-main/core/sessions/session-codec.js';
import { applyOneByOne, updateOneByOne, type SecretStore } from '../../src-main/core/secrets/types.js';

const profile = { userId: 'u', email: 'a@b.c', accounts: [], roles: [], permissions: [], permissionsFromRoles: [] };

function fixture(opts: { refreshToken?: string; rememberPassword?: boolean; lifetimeMs?: number; now?: () => number }) {
  const cfg: Config = ConfigSchema.parse({
    version: 2,
    environments: [{ id: 'e1', name: 'staging', provider: 'supabase', baseUrl: 'http://127.0.0.1:1', createdAt: 0 }],
    identities: [{ id: 'i1', envId: 'e1', subject: 'u1', email: 'a@b.c', rememberPassword: opts.rememberPassword ?? false, createdAt: 0 }],
  });
  let clock = 0;
  const lifetime = opts.lifetimeMs ?? 3600_000;
  const session = { provider: 'supabase' as const, accessToken: 'a', refreshToken: opts.refreshToken, obtainedAt: 0, expiresAt: lifetime, profile };
  const secrets = new Map([['identity/i1/session', encodeSession(session)]]);
  const store: SecretStore = {
    loadAll: async () => new Map(secrets),
    get: async (k) => secrets.get(k),
    set: async (k, v) => void secrets.set(k, v),
    delete: async (k) => void secrets.delete(k),
    apply: (changes) => applyOneByOne(store, changes),
    update: (decide) => updateOneByOne(store, decide),
  };
  const renew = vi.fn(async () => ({}) as never);
  const events = { refreshing: vi.fn(), expiring: vi.fn(), changed: vi.fn() };
  const scheduler = new RefreshScheduler({
    sessions: { renew } as unknown as SessionManager,
    secrets: store,
    readConfig: async () => cfg,
    events,
    now: opts.now ?? (() => clock),
  });
  const replaceSession = (expiresAt: number) => secrets.set('identity/i1/session', encodeSession({ ...session, obtainedAt: expiresAt - 3600_000, expiresAt }));
  return { scheduler, renew, events, setClock: (t: number) => (clock = t), replaceSession };
}

describe('background refresh scheduler', () => {
  it('renews nothing while sessions are fresh', async () => {
    const f = fixture({ refreshToken: 'r' });
    await f.scheduler.tick();
    expect(f.renew).not.toHaveBeenCalled();
  });

  it('after a wake, a session that fell due while asleep is renewed at once', async () => {
    const f = fixture({ refreshToken: 'r' });
    f.setClock(3600_000 - 30_000);
    await f.scheduler.resume();
    expect(f.renew).toHaveBeenCalledTimes(1);
    expect(f.events.refreshing).toHaveBeenCalledWith('i1', true);
    expect(f.events.refreshing).toHaveBeenLastCalledWith('i1', false);
  });

  it('warns once, not on every tick, about a session that cannot renew itself', async () => {
    const f = fixture({});
    f.setClock(3600_000 - 30_000);
    await f.scheduler.tick();
    await f.scheduler.tick();
    await f.scheduler.tick();
    expect(f.renew).not.toHaveBeenCalled();
    expect(f.events.expiring).toHaveBeenCalledTimes(1);
  });

  it('renews a session-API identity with a remembered password', async () => {
    const f = fixture({ rememberPassword: true });
    f.setClock(3600_000 - 30_000);
    await f.scheduler.tick();
    expect(f.renew).toHaveBeenCalledTimes(1);
  });

  it('notices a session renewed by another process (the CLI) and says the view is stale', async () => {
    const f = fixture({ refreshToken: 'r' });
    await f.scheduler.tick();
    await f.scheduler.tick();
    expect(f.events.changed).not.toHaveBeenCalled();
    f.replaceSession(7200_000);
    await f.scheduler.tick();
    expect(f.events.changed).toHaveBeenCalledTimes(1);
  });
});

describe('each renewal is timed for its own due time', () => {
  afterEach(() => vi.useRealTimers());

  it('renews a 30-second token ahead of its expiry (at 22.5 s: a quarter of its life), not at the next 15 s poll', async () => {
    vi.useFakeTimers({ now: 0 });
    const f = fixture({ refreshToken: 'r', lifetimeMs: 30_000, now: () => Date.now() });
    f.scheduler.start();
    await vi.advanceTimersByTimeAsync(22_000);
    expect(f.renew).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(600);
    expect(f.renew).toHaveBeenCalledTimes(1);
    expect(Date.now()).toBeLessThan(30_000);
    f.scheduler.stop();
  });

  it('a renewal that fails is retried with a backoff, not in a tight loop', async () => {
    vi.useFakeTimers({ now: 0 });
    const f = fixture({ refreshToken: 'r', lifetimeMs: 30_000, now: () => Date.now() });
    f.renew.mockRejectedValue(Object.assign(new Error('offline'), { retryable: true }));
    f.scheduler.start();
    await vi.advanceTimersByTimeAsync(23_000);
    expect(f.renew).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(14_000);
    expect(f.renew).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(f.renew).toHaveBeenCalledTimes(2);
    f.scheduler.stop();
  });

  it('warns about a session that cannot renew itself 10 minutes ahead, on time', async () => {
    vi.useFakeTimers({ now: 0 });
    const f = fixture({ now: () => Date.now() });
    f.scheduler.start();
    await vi.advanceTimersByTimeAsync(50 * 60_000 - 1_000);
    expect(f.events.expiring).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(f.events.expiring).toHaveBeenCalledWith('i1', 'e1', 3600_000);
    f.scheduler.stop();
  });

  it('a timer that fires long after it was due (the machine slept) marks the view stale and renews at once', async () => {
    let clock = 0;
    vi.useFakeTimers({ now: 0 });
    const f = fixture({ refreshToken: 'r', now: () => clock });
    f.scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(f.events.changed).not.toHaveBeenCalled();
    // Asleep for 2 hours: the wall clock jumps, the 30 s poll timer fires once, late.
    clock = 2 * 3600_000;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(f.events.changed).toHaveBeenCalledTimes(1);
    expect(f.renew).toHaveBeenCalledTimes(1);
    f.scheduler.stop();
  });
});
