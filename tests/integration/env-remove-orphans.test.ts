import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { TokenDeskError } from '../../src-main/core/errors.js';
import { openCore, type Core } from '../../src-main/core/open.js';
import { createKeychainStore, deleteAllForHome } from '../../src-main/core/secrets/keychain.js';
import { applyOneByOne, updateOneByOne, secretKeys, type SecretChanges, type SecretKey, type SecretStore } from '../../src-main/core/secrets/types.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';

const CLI = resolve(import.meta.dirname, '../../out/cli/tokendesk.cjs');
const homes: ReturnType<typeof makeHome>[] = [];
afterEach(async () => {
  for (const h of homes.splice(0)) {
    await deleteAllForHome(h.dir).catch(() => undefined);
    h.cleanup();
  }
});

function newHome(): string {
  const h = makeHome('tokendesk-orphans-');
  homes.push(h);
  return h.dir;
}

/** The real keychain, with deletes that fail (a keychain that went away mid-command) while `failing` is on. */
function flakyKeychain(home: string): SecretStore & { failing: boolean } {
  const real = createKeychainStore(home);
  const store = {
    failing: false,
    loadAll: () => real.loadAll(),
    get: (k: SecretKey) => real.get(k),
    set: (k: SecretKey, v: string) => real.set(k, v),
    delete: (k: SecretKey) =>
      store.failing ? Promise.reject(new TokenDeskError('keychain_unavailable', 'The OS keychain is unavailable')) : real.delete(k),
    apply: (changes: SecretChanges) => applyOneByOne(store, changes),
    update: (decide: Parameters<SecretStore['update']>[0]) => updateOneByOne(store, decide),
  };
  return store;
}

/** An environment with every kind of secret, and a signed-in identity planted as a sign-in leaves it. */
async function seed(core: Core, name: string): Promise<{ envId: string; identityId: string }> {
  const env = await core.envs.add({
    name,
    provider: 'session',
    baseUrl: 'http://127.0.0.1:9',
    apiKey: `api-${name}`,
    variables: { db_pass: `pw-${name}`, region: 'eu-west-1' },
  });
  const identityId = randomUUID();
  await core.secrets.set(secretKeys.session(identityId), JSON.stringify({ refreshToken: `live-refresh-${name}` }));
  await core.secrets.set(secretKeys.password(identityId), `password-${name}`);
  await core.config.update((cfg) => ({
    ...cfg,
    identities: [...cfg.identities, { id: identityId, envId: env.id, subject: `email:${name}@example.test`, email: `${name}@example.test`, rememberPassword: true, createdAt: 1 }],
    activeIdentity: { ...cfg.activeIdentity, [env.id]: identityId },
  }));
  return { envId: env.id, identityId };
}

/** Keychain entries whose environment, identity or variable the configuration does not list. */
async function orphansOf(core: Core): Promise<string[]> {
  const cfg = await core.config.read();
  const keys = [...(await core.secrets.loadAll()).keys()];
  return keys.filter((k) => {
    const env = cfg.environments.find((e) => k.startsWith(`env/${e.id}/`));
    if (env) return k.includes('/var/') && !(env.secretVariables ?? []).some((n) => k === secretKeys.variable(env.id, n));
    return !cfg.identities.some((i) => k.startsWith(`identity/${i.id}/`));
  });
}

describe('env remove never orphans a secret, and orphans are swept', { timeout: 240_000 }, () => {
  it('a keychain failure during remove keeps the environment listed and every secret; the retry removes everything', async () => {
    const home = newHome();
    const secrets = flakyKeychain(home);
    const core = openCore({ home, secrets });
    const { envId, identityId } = await seed(core, 'staging');
    const before = await core.secrets.loadAll();
    expect(before.size).toBe(4);

    secrets.failing = true;
    await rejection(core.envs.remove('staging'), 'keychain_unavailable');
    const cfg = await core.config.read();
    expect(cfg.environments.map((e) => e.name)).toEqual(['staging']);
    expect(cfg.identities.map((i) => i.id)).toEqual([identityId]);
    expect(await core.secrets.loadAll()).toEqual(before);

    secrets.failing = false;
    await core.envs.remove('staging');
    expect((await core.config.read()).environments).toEqual([]);
    expect((await core.config.read()).identities).toEqual([]);
    expect([...(await core.secrets.loadAll()).keys()].filter((k) => k.includes(envId) || k.includes(identityId))).toEqual([]);
    expect((await core.secrets.loadAll()).size).toBe(0);
  });

  it('the sweep deletes planted orphans and keeps everything the configuration lists', async () => {
    const core = openCore({ home: newHome() });
    const { envId, identityId } = await seed(core, 'kept');
    const ghostEnv = randomUUID();
    const ghostIdentity = randomUUID();
    const planted: SecretKey[] = [
      secretKeys.anonKey(ghostEnv),
      secretKeys.variable(ghostEnv, 'db_pass'),
      secretKeys.session(ghostIdentity),
      secretKeys.password(ghostIdentity),
      secretKeys.variable(envId, 'not_listed'),
    ];
    for (const k of planted) await core.secrets.set(k, 'orphaned-secret');
    const removed = await core.envs.removeOrphans();
    expect(removed.sort()).toEqual([...planted].sort());
    expect([...(await core.secrets.loadAll()).keys()].sort()).toEqual(
      [secretKeys.apiKey(envId), secretKeys.variable(envId, 'db_pass'), secretKeys.session(identityId), secretKeys.password(identityId)].sort(),
    );
    expect(await core.envs.removeOrphans()).toEqual([]);
  });

  it("a move's record of servers the configuration does not show goes (an edit killed before its config write); the one it shows stays", async () => {
    const core = openCore({ home: newHome() });
    const { envId } = await seed(core, 'moved');
    const other = await core.envs.add({ name: 'other', provider: 'session', baseUrl: 'http://127.0.0.1:10' });
    // Kept, a record of servers the file does not name would refuse every sign-in at the ones it does.
    await core.secrets.set(secretKeys.servers(envId), JSON.stringify(['http://127.0.0.1:11']));
    await core.secrets.set(secretKeys.servers(other.id), JSON.stringify(['http://127.0.0.1:10']));
    expect(await core.envs.removeOrphans()).toEqual([secretKeys.servers(envId)]);
    expect(await core.secrets.get(secretKeys.servers(other.id))).toBe(JSON.stringify(['http://127.0.0.1:10']));
  });

  describe('writes in flight are not orphans', () => {
    let server: DemoServer;
    beforeAll(async () => {
      server = await startDemoServer({ port: 0 });
      return () => server.close();
    });

    /** A keychain whose writes of keys matching `pattern` wait until released. */
    function pausingKeychain(home: string, pattern: RegExp) {
      const real = createKeychainStore(home);
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let reached!: () => void;
      const paused = new Promise<void>((r) => (reached = r));
      const store: SecretStore = {
        loadAll: () => real.loadAll(),
        get: (k) => real.get(k),
        set: async (k, v) => {
          await real.set(k, v);
          if (pattern.test(k)) {
            reached();
            await released;
          }
        },
        delete: (k) => real.delete(k),
        apply: (changes) => applyOneByOne(store, changes),
        update: (decide) => updateOneByOne(store, decide),
      };
      return { store, paused, release };
    }

    it('an env add between its keychain write and its config write', async () => {
      const home = newHome();
      const k = pausingKeychain(home, /\/api_key$/);
      const core = openCore({ home, secrets: k.store });
      const adding = core.envs.add({ name: 'inflight', provider: 'session', baseUrl: server.url, apiKey: 'in-flight-key' });
      await k.paused;
      const sweep = core.envs.removeOrphans();
      await new Promise((r) => setTimeout(r, 300)); // kept: the sweep's real chance to (wrongly) delete the in-flight key
      k.release();
      const env = await adding;
      expect(await sweep).toEqual([]);
      expect(await core.secrets.get(secretKeys.apiKey(env.id))).toBe('in-flight-key');
    });

    it('a sign-in between its session write and listing the identity', async () => {
      const home = newHome();
      const k = pausingKeychain(home, /^identity\/.*\/session$/);
      const core = openCore({ home, secrets: k.store });
      await core.envs.add({ name: 'api', provider: 'session', baseUrl: server.url });
      const user = DEMO_CREDENTIALS.session[0]!;
      const signingIn = core.sessions.signIn('api', { email: user.email, password: user.password });
      await k.paused;
      const sweep = core.envs.removeOrphans();
      await new Promise((r) => setTimeout(r, 300)); // kept: the sweep's real chance to (wrongly) delete the in-flight session
      k.release();
      await signingIn;
      expect(await sweep).toEqual([]);
      const identity = (await core.config.read()).identities[0]!;
      expect(await core.sessions.readSession(identity.id)).toBeDefined();
    });
  });

  it.skipIf(!existsSync(CLI))('kill -9 of `env remove` at random moments leaves no orphan after the next sweep', async () => {
    const home = newHome();
    const core = openCore({ home });
    const iterations = 30;
    let killed = 0;
    let finished = 0;
    const runRemove = (name: string, killAfterMs?: number): Promise<number | null> => {
      const child = spawn(process.execPath, [CLI, 'env', 'remove', name], { env: { ...process.env, TOKENDESK_HOME: home }, stdio: 'ignore' });
      const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      return new Promise((r) =>
        child.once('exit', (code) => {
          clearTimeout(timer);
          r(code);
        }),
      );
    };
    // How long one removal takes here, so the kills land across its whole run.
    await seed(core, 'timing');
    const t0 = Date.now();
    expect(await runRemove('timing')).toBe(0);
    const runMs = Date.now() - t0;
    // Where each kill landed: before any delete, between deletes (the dangerous part), or after the config write.
    const landed = { untouched: 0, midway: 0, removed: 0 };
    for (let i = 0; i < iterations; i++) {
      const { envId, identityId } = await seed(core, `env${i}`);
      const code = await runRemove(`env${i}`, runMs * (0.5 + Math.random() * 1.5));
      if (code === 0) finished++;
      else killed++;
      const listed = (await core.config.read()).environments.some((e) => e.id === envId);
      const left = [...(await core.secrets.loadAll()).keys()].filter((k) => k.includes(envId) || k.includes(identityId)).length;
      if (!listed) landed.removed++;
      else if (left === 4) landed.untouched++;
      else landed.midway++;
    }
    // Secrets go first, the config last: a kill leaves an environment still listed, never an orphan.
    expect(await orphansOf(core)).toEqual([]);
    // Whatever each kill left: an environment still listed (reachable) or entries nobody lists (swept).
    await core.envs.removeOrphans();
    expect(await orphansOf(core)).toEqual([]);
    // Every environment still listed is removed by a retry, and then nothing is left at all.
    for (const env of (await core.config.read()).environments) await core.envs.remove(env.id);
    expect((await core.config.read()).environments).toEqual([]);
    expect([...(await core.secrets.loadAll()).keys()]).toEqual([]);
    console.log(`kill -9 loop: ${iterations} iterations (one removal ≈ ${runMs} ms), ${killed} killed, ${finished} finished; ` +
        `kills left ${landed.untouched} untouched, ${landed.midway} half-removed but listed, ${landed.removed} removed; no orphan left`,
    );
    expect(killed).toBeGreaterThan(0);
  });
});
