import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppService } from '../../src-main/core/app/service.js';
import { configFile } from '../../src-main/core/config/paths.js';
import { ownerEntryName } from '../../src-main/core/locks/owned-lock.js';
import { openCore, type Core } from '../../src-main/core/open.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { EMPTY_PROFILE } from '../../src-main/core/sessions/session-codec.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';

// Issue 27: the full orphan sweep (after `env remove`, at the app's start) and the start's sweep of
// killed sign-ins judge the vault against the configuration. A configuration that was just found
// corrupt (and moved aside) or that is missing reads as empty, which made every secret look orphaned.

const homes: ReturnType<typeof makeHome>[] = [];
afterEach(async () => {
  for (const h of homes.splice(0)) await h.cleanup();
});

function newHome(): string {
  const h = makeHome('tokendesk-orphans-lost-');
  homes.push(h);
  return h.dir;
}

/** An environment with an API key and a secret variable, and a signed-in identity with a remembered password and a profile. */
async function seed(core: Core): Promise<{ envId: string; identityId: string; secrets: Map<string, string> }> {
  const env = await core.envs.add({
    name: 'staging',
    provider: 'session',
    baseUrl: 'http://127.0.0.1:9',
    apiKey: 'api-key-staging',
    variables: { db_pass: 'pw-staging', region: 'eu-west-1' },
  });
  const identityId = randomUUID();
  await core.secrets.set(secretKeys.session(identityId), JSON.stringify({ refreshToken: 'live-refresh-staging' }));
  await core.secrets.set(secretKeys.password(identityId), 'password-staging');
  await core.sessions.profiles.write(identityId, { ...EMPTY_PROFILE, userId: 'u1', email: 'dev@example.test' });
  await core.config.update((cfg) => ({
    ...cfg,
    identities: [...cfg.identities, { id: identityId, envId: env.id, subject: 'email:dev@example.test', email: 'dev@example.test', rememberPassword: true, createdAt: 1 }],
    activeIdentity: { ...cfg.activeIdentity, [env.id]: identityId },
  }));
  const secrets = await core.secrets.loadAll();
  expect(secrets.size).toBe(4);
  return { envId: env.id, identityId, secrets };
}

/** The app started as the user starts it: its background maintenance runs, and the window reads the state. */
async function startApp(home: string): Promise<void> {
  const service = createAppService({ home, shell: 'web', scheduler: false, maintenance: true, demoPort: 0 });
  await Promise.all([service.maintenance, service.handle('getState', {}).catch(() => undefined)]);
  await service.close();
}

/** A hand edit gone wrong: a trailing comma, which the user can fix and put back. */
function breakByHand(home: string): string {
  const text = readFileSync(configFile(home), 'utf8');
  const broken = text.replace(/\n\}\n?$/, ',\n}\n');
  expect(broken).not.toBe(text);
  writeFileSync(configFile(home), broken);
  return broken;
}

const movedAside = (home: string) => readdirSync(home).filter((n) => n.startsWith('config.json.corrupt-'));

describe('the sweeps never judge the vault against a configuration that was lost', { timeout: 60_000 }, () => {
  it('a corrupt config.json: two starts of the app keep every secret and profile, and the fixed file brings everything back', async () => {
    const home = newHome();
    const { envId, identityId, secrets } = await seed(openCore({ home, startSweep: false }));
    const broken = breakByHand(home);

    await startApp(home); // finds the file corrupt and moves it aside
    expect(movedAside(home)).toHaveLength(1);
    await startApp(home); // no config.json now
    const core = openCore({ home, startSweep: false });
    expect(await core.secrets.loadAll()).toEqual(secrets);

    // The user fixes the comma and puts the file back: the environment and the session are all there.
    writeFileSync(configFile(home), broken.replace(/,\n\}\n$/, '\n}\n'));
    const cfg = await core.config.read();
    expect(cfg.environments.map((e) => e.id)).toEqual([envId]);
    expect(await core.secrets.get(secretKeys.apiKey(envId))).toBe('api-key-staging');
    expect(cfg.identities.map((i) => i.id)).toEqual([identityId]);
    expect(await core.secrets.get(secretKeys.session(identityId))).toContain('live-refresh-staging');
    expect((await core.sessions.profiles.read(identityId))?.email).toBe('dev@example.test');
  });

  it("the app's start-up maintenance leaves a corrupt file for the window to report where it went", async () => {
    const home = newHome();
    const { secrets } = await seed(openCore({ home, startSweep: false }));
    breakByHand(home);
    const service = createAppService({ home, shell: 'web', scheduler: false, maintenance: true, demoPort: 0 });
    expect(await service.maintenance).toEqual([]);
    const state = await service.handle('getState', {});
    await service.close();
    expect(state.configError).toContain(`moved to ${configFile(home)}.corrupt-`);
    expect(movedAside(home)).toHaveLength(1);
    expect(await openCore({ home, startSweep: false }).secrets.loadAll()).toEqual(secrets);
  });

  it("the renewal scheduler's first pass does not swallow that report either", async () => {
    const home = newHome();
    await seed(openCore({ home, startSweep: false }));
    breakByHand(home);
    const service = createAppService({ home, shell: 'web', maintenance: false, demoPort: 0 });
    // The scheduler's first pass starts with the service, before the window asks for anything.
    await vi.waitFor(() => expect(movedAside(home)).toHaveLength(1));
    const state = await service.handle('getState', {});
    await service.close();
    expect(state.configError).toContain(`moved to ${configFile(home)}.corrupt-`);
  });

  it('config.json missing while the vault exists: the start and the orphan sweep delete nothing', async () => {
    const home = newHome();
    const { identityId, secrets } = await seed(openCore({ home, startSweep: false }));
    rmSync(configFile(home));

    await startApp(home);
    const core = openCore({ home, startSweep: false });
    expect(await core.envs.removeOrphans()).toEqual([]);
    expect(await core.secrets.loadAll()).toEqual(secrets);
    expect(await core.sessions.removeOrphanProfiles()).toEqual([]);
    expect((await core.sessions.profiles.read(identityId))?.email).toBe('dev@example.test');
  });

  it('after a new configuration is written, what the moved-aside file names is kept and true orphans still go', async () => {
    const home = newHome();
    const { envId, identityId, secrets } = await seed(openCore({ home, startSweep: false }));
    breakByHand(home);
    const core = openCore({ home, startSweep: false });
    await rejection(core.config.read(), 'config_unreadable');
    // The user carries on: a new environment makes a new config.json that lists none of the old ones.
    const fresh = await core.envs.add({ name: 'fresh', provider: 'session', baseUrl: 'http://127.0.0.1:9', apiKey: 'api-key-fresh' });
    const ghost = randomUUID();
    await core.secrets.set(secretKeys.session(ghost), '{"orphan":true}');
    await core.sessions.profiles.write(ghost, EMPTY_PROFILE);

    expect(await core.envs.removeOrphans()).toEqual([secretKeys.session(ghost)]);
    expect(await core.sessions.removeOrphanProfiles()).toEqual([ghost]);
    const left = await core.secrets.loadAll();
    expect(left).toEqual(new Map([...secrets, [secretKeys.apiKey(fresh.id), 'api-key-fresh']]));
    expect(left.get(secretKeys.apiKey(envId))).toBe('api-key-staging');
    expect((await core.sessions.profiles.read(identityId))?.email).toBe('dev@example.test');
  });

  it("the start's sweep of killed sign-ins keeps a session the moved-aside file lists", async () => {
    const home = newHome();
    const { identityId, secrets } = await seed(openCore({ home, startSweep: false }));
    // A renewal killed mid-exchange: its lock folder names the identity, with a dead owner.
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = dead.pid!;
    await new Promise((r) => dead.once('exit', r));
    mkdirSync(join(home, 'locks', `${identityId}.refresh`, ownerEntryName({ pid: deadPid, host: hostname(), nonce: randomUUID() })), { recursive: true });
    breakByHand(home);
    const core = openCore({ home, startSweep: false });
    await rejection(core.config.read(), 'config_unreadable');
    await core.envs.add({ name: 'fresh', provider: 'session', baseUrl: 'http://127.0.0.1:9' });

    expect(await openCore({ home }).startSweep).toEqual([]);
    expect(await core.secrets.loadAll()).toEqual(secrets);
    expect((await core.sessions.profiles.read(identityId))?.email).toBe('dev@example.test');
  });
});
