import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCore } from '../../src-main/core/open.js';
import { createAppService } from '../../src-main/core/app/service.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { createKeychainStore } from '../../src-main/core/secrets/keychain.js';
import { createVaultStore, vaultFile } from '../../src-main/core/secrets/vault.js';
import { secretKeys, type SecretStore } from '../../src-main/core/secrets/types.js';
import { KeytarFake } from '../helpers/keytar-fake.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';
import { leaveFree, mountTmpfs, tmpfsUnavailable } from '../helpers/tmpfs.js';

const superAdmin = DEMO_CREDENTIALS.session.find((c) => c.email === 'test@test.com')!;

/** Every durable write by path: the vault's are what a user waits for (a lock, a sealed write, two disk flushes). */
const durableWrites = vi.hoisted(() => new Map<string, number>());
vi.mock('../../src-main/core/fs/durable-write.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src-main/core/fs/durable-write.js')>();
  return {
    ...real,
    durableWrite: (path: string, ...rest: [Uint8Array | string, { mode?: number }?]) => {
      durableWrites.set(path, (durableWrites.get(path) ?? 0) + 1);
      return real.durableWrite(path, ...rest);
    },
  };
});

/** The real vault, and how many times it has been written since the last reset. */
function countingVault(home: string): SecretStore & { writes: number } {
  const real = createKeychainStore(home);
  return {
    loadAll: real.loadAll,
    get: real.get,
    set: real.set,
    delete: real.delete,
    apply: real.apply,
    update: real.update,
    get writes() {
      return durableWrites.get(vaultFile(home)) ?? 0;
    },
    set writes(n: number) {
      durableWrites.set(vaultFile(home), n);
    },
  };
}

describe('secrets that change together are one vault write', () => {
  let server: DemoServer | undefined;
  const homes: Array<ReturnType<typeof makeHome>> = [];
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await Promise.all(homes.splice(0).map((h) => h.cleanup()));
  });
  const home = () => {
    const h = makeHome();
    homes.push(h);
    return h.dir;
  };

  it('a sign-in that remembers the password seals tokens and password together; signing in again without it removes the password in that same write, and so does signing out', async () => {
    server = await startDemoServer({ port: 0 });
    const dir = home();
    const secrets = countingVault(dir);
    const core = openCore({ home: dir, secrets });
    await core.envs.add({ name: 'api', provider: 'session', baseUrl: server.url });

    secrets.writes = 0;
    const who = await core.sessions.signIn('api', { ...superAdmin, remember: true });
    expect(secrets.writes).toBe(1);
    expect(await secrets.get(secretKeys.password(who.id))).toBe(superAdmin.password);
    expect(await secrets.get(secretKeys.session(who.id))).toBeDefined();

    secrets.writes = 0;
    await core.sessions.signIn('api', { ...superAdmin, remember: false });
    expect(secrets.writes).toBe(1);
    expect(await secrets.get(secretKeys.password(who.id))).toBeUndefined();

    // Signing out removes the tokens and the remembered password together.
    await core.sessions.signIn('api', { ...superAdmin, remember: true });
    secrets.writes = 0;
    await core.sessions.signOut('api');
    expect(secrets.writes).toBe(1);
    expect(await secrets.get(secretKeys.session(who.id))).toBeUndefined();
    expect(await secrets.get(secretKeys.password(who.id))).toBeUndefined();
  });

  it("a repeated Supabase sign-in and a renewal write the vault once each and leave the profile file alone; the token panel shows the renewed token's claims", async () => {
    server = await startDemoServer({ port: 0 });
    const dir = home();
    const secrets = countingVault(dir);
    let clockOffset = 0;
    const app = createAppService({ home: dir, secrets, now: () => Date.now() + clockOffset, shell: 'web', scheduler: false, demoPort: 0 });
    const core = app.core;
    await core.envs.add({ name: 'staging', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey });
    const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
    const who = await core.sessions.signIn('staging', owner);
    const profileFile = join(dir, 'profiles', `${who.id}.json`);
    const profileWrites = () => durableWrites.get(profileFile) ?? 0;
    const before = profileWrites();

    secrets.writes = 0;
    await core.sessions.signIn('staging', owner);
    expect(secrets.writes).toBe(1);
    expect(profileWrites()).toBe(before);

    clockOffset = 3600_000 - 60_000; // a minute before expiry: inside the renewal margin
    const renewed = await core.sessions.getFreshToken('staging');
    expect(server.stats.refreshGrants).toBe(1);
    expect(secrets.writes).toBe(2);
    expect(profileWrites()).toBe(before);
    // What the token panel shows is the stored token's own header and claims, not an older token's.
    const details = await app.handle('getTokenDetails', { identityId: who.id, reveal: false });
    const claims = JSON.parse(Buffer.from(renewed.session.accessToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(details.claims).toEqual(claims);
    expect(details.jwtHeader).toMatchObject({ alg: 'HS256' });
    expect(details.claims?.email).toBe(owner.email);
  });

  it('adding an environment with an anon key, an API key and a secret variable writes the vault once; removing it with a signed-in identity, twice', async () => {
    server = await startDemoServer({ port: 0 });
    const dir = home();
    const secrets = countingVault(dir);
    const core = openCore({ home: dir, secrets });

    secrets.writes = 0;
    const env = await core.envs.add({
      name: 'staging',
      provider: 'supabase',
      baseUrl: server.url,
      anonKey: server.anonKey,
      apiKey: 'cg_staging_0123456789abcdef',
      variables: { db_password: 'hunter2-hunter2' },
    });
    expect(secrets.writes).toBe(1);
    const stored = [...(await secrets.loadAll()).keys()].filter((k) => k.startsWith(`env/${env.id}/`));
    expect(stored).toHaveLength(3);

    const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
    await core.sessions.signIn('staging', owner);
    secrets.writes = 0;
    await core.envs.remove('staging');
    // The environment's keys, then (under its lock) the identity's: nothing of either is left.
    expect(secrets.writes).toBe(2);
    expect([...(await secrets.loadAll()).keys()]).toEqual([]);
  });
});

const noTmpfs = tmpfsUnavailable();

describe.skipIf(noTmpfs !== undefined)('several changes at once: every change or none', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('on a disk too full for the new vault, none of the changes is stored, not even the small ones listed first', async () => {
    const host = makeHome('tokendesk-vault-full-');
    const dir = join(host.dir, 'home');
    mkdirSync(dir);
    const fs = mountTmpfs(dir, 'size=256k,mode=0700');
    cleanups.push(() => host.cleanup(), () => fs.unmount());
    const keychain = new KeytarFake();
    const store = createVaultStore(dir, { keytar: keychain.process() });
    await store.apply([
      [secretKeys.apiKey('e1'), 'old-api-key'],
      [secretKeys.password('i1'), 'old-password'],
    ]);
    leaveFree(join(dir, 'filler'), 16 * 1024);

    const e = await rejection(
      store.apply([
        [secretKeys.apiKey('e1'), 'new-api-key'],
        [secretKeys.password('i1'), undefined],
        [secretKeys.session('i2'), 'x'.repeat(64 * 1024)],
      ]),
      'config_unwritable',
    );
    expect(e.message).toMatch(/ENOSPC/);
    // A fresh store (a new process) reads the vault as it was.
    expect(await createVaultStore(dir, { keytar: keychain.process() }).loadAll()).toEqual(
      new Map([
        [secretKeys.apiKey('e1'), 'old-api-key'],
        [secretKeys.password('i1'), 'old-password'],
      ]),
    );
  });
});
