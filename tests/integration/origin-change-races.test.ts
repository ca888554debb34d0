import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core/open.js';
import { EnvironmentService } from '../../src-main/core/environments/service.js';
import { importPostmanText } from '../../src-main/core/environments/import-environment.js';
import type { ConfigStore } from '../../src-main/core/config/store.js';
import type { SecretStore } from '../../src-main/core/secrets/types.js';
import type { RefreshLock } from '../../src-main/core/sessions/refresh-lock.js';
import { cliFixture, DEMO_SESSION, keychainUnreachable } from '../helpers/cli.js';
import { startHostileAuthServer, type HostileAuthServer } from '../helpers/hostile-auth-server.js';

// Issue 27 review: a URL change must hold the refresh lock of every identity it signs out, including
// ones listed after it read the list; and an import asked nothing about the URL must never move it.

const unreachable = await keychainUnreachable();
const { demo, signedIn } = cliFixture({ demo: true });

let other: HostileAuthServer;
beforeAll(async () => {
  other = await startHostileAuthServer();
});
afterAll(async () => {
  await other.close();
});

/** `target` with `before()` run (once) ahead of its method `name`: what another process does between two steps. */
function onceBefore<T extends object>(target: T, name: keyof T, before: () => Promise<void>): T {
  let done = false;
  return new Proxy(target, {
    get(t, p) {
      const v = Reflect.get(t, p, t) as unknown;
      if (typeof v !== 'function') return v;
      const fn = v as (...args: unknown[]) => unknown;
      if (p !== name) return fn.bind(t);
      return async (...args: unknown[]) => {
        if (!done) {
          done = true;
          await before();
        }
        return fn.apply(t, args);
      };
    },
  });
}

/**
 * An EnvironmentService over `core`'s stores that records, for every session it deletes, whether that
 * identity's refresh lock was held then (a renewal in flight holds it, and would write the session back).
 */
function watchedService(core: Core, beforeConfigLock: () => Promise<void>) {
  const held = new Set<string>();
  const unlocked: string[] = [];
  const realLock = (core.envs as unknown as { sessionLock(): RefreshLock }).sessionLock();
  const lock = new Proxy(realLock, {
    get(t, p) {
      const v = Reflect.get(t, p, t) as unknown;
      if (p !== 'exclusive') return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      return (id: string, fn: () => Promise<unknown>) =>
        t.exclusive(id, async () => {
          held.add(id);
          try {
            return await fn();
          } finally {
            held.delete(id);
          }
        });
    },
  });
  const secrets: SecretStore = new Proxy(core.secrets, {
    get(t, p) {
      const v = Reflect.get(t, p, t) as unknown;
      if (p !== 'apply') return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      return (changes: Parameters<SecretStore['apply']>[0]) => {
        for (const [key, value] of changes) {
          const m = /^identity\/([^/]+)\/session$/.exec(key);
          if (m && value === undefined && !held.has(m[1]!)) unlocked.push(m[1]!);
        }
        return t.apply(changes);
      };
    },
  });
  const config = onceBefore(core.config, 'update', beforeConfigLock) as ConfigStore;
  const envs = new EnvironmentService(config, secrets, lock as RefreshLock, core.sessions);
  return { envs, unlocked };
}

describe.skipIf(unreachable !== undefined)('an origin change racing other processes', { timeout: 60_000 }, () => {
  it('an identity signed in after the URL edit read the list is signed out under its own lock', async () => {
    const h = await signedIn();
    const core = openCore({ home: h.dir });
    const meanwhile = openCore({ home: h.dir });
    const env = await core.envs.resolve(DEMO_SESSION);
    // Between the edit's read of the identities and its config lock, another process signs a second user in.
    const { envs, unlocked } = watchedService(core, async () => {
      await meanwhile.sessions.signIn(env.id, { email: 'test@test.com', password: 'stringstring', remember: false });
    });

    const out = await envs.edit(env.id, { baseUrl: other.url });
    expect(out.signedOut.sort()).toEqual(['restricted@test.com', 'test@test.com']);
    expect(unlocked).toEqual([]);
    const cfg = await core.config.read();
    for (const i of cfg.identities.filter((x) => x.envId === env.id)) expect(await core.sessions.readSession(i.id)).toBeUndefined();
    expect(other.requests).toEqual([]);
  });

  it('a same-server edit that finds the environment moved meanwhile locks everyone it then signs out', async () => {
    const h = await signedIn();
    const core = openCore({ home: h.dir });
    const meanwhile = openCore({ home: h.dir });
    const env = await core.envs.resolve(DEMO_SESSION);
    // This edit only adds a path (same server: nothing to lock); meanwhile another process moves the
    // environment to another server and a user signs in there. Saved, this edit moves it back.
    const { envs, unlocked } = watchedService(core, async () => {
      await meanwhile.envs.edit(env.id, { baseUrl: other.url });
      await meanwhile.sessions.signIn(env.id, { email: 'dev@example.test', password: 'pw-at-the-new-server', remember: false });
    });

    const out = await envs.edit(env.id, { baseUrl: `${demo().url}/v2` });
    expect(out.environment.baseUrl).toBe(`${demo().url}/v2`);
    expect(out.signedOut).toEqual(['dev@example.test']);
    expect(unlocked).toEqual([]);
  });

  it('an import that leaves the URL as it is does not move a production environment another process moved meanwhile', async () => {
    const h = await signedIn();
    const core = openCore({ home: h.dir });
    const meanwhile = openCore({ home: h.dir });
    const env = await core.envs.resolve(DEMO_SESSION);
    await core.envs.edit(env.id, { production: true });
    // The file carries the URL the environment has now: nobody is asked about it.
    const file = JSON.stringify({ name: DEMO_SESSION, values: [{ key: 'url', value: demo().url, enabled: true }, { key: 'team', value: 'blue', enabled: true }] });
    const envs = onceBefore(core.envs, 'edit', async () => {
      await meanwhile.envs.edit(env.id, { baseUrl: other.url, confirmOriginChange: true });
    });

    const out = await importPostmanText(envs, file).catch((e: unknown) => e);
    // The move made (and confirmed) meanwhile stays; the import was never a yes to moving it back.
    expect((await core.envs.resolve(env.id)).baseUrl).toBe(other.url);
    expect(out).toMatchObject({ created: false, signedOut: [] });
    expect((await core.envs.resolve(env.id)).variables).toMatchObject({ team: 'blue' });
  });
});
