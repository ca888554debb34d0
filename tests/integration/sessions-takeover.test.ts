import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore } from '../../src-main/core/open.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { getProvider } from '../../src-main/core/providers/registry.js';
import type { AuthProvider } from '../../src-main/core/providers/types.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;

/**
 * A renewal whose lock is taken over while its request is in flight (the process looked dead: a
 * laptop lid, SIGSTOP), and the identity signed out meanwhile by the successor: the late answer must
 * not bring the session back to life, and the old token must not be handed out.
 */
describe('a renewal that lost its lock', () => {
  let server: DemoServer | undefined;
  let home: ReturnType<typeof makeHome>;
  beforeEach(() => {
    home = makeHome();
  });
  afterEach(async () => {
    await server?.close();
    home.cleanup();
  });

  async function renewalThatLosesItsLock(successor: (identityId: string) => Promise<void>) {
    server = await startDemoServer({ port: 0 });
    let offset = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inFlight = new Promise<void>((r) => (entered = r));
    const slow = (kind: Parameters<typeof getProvider>[0]): AuthProvider => {
      const real = getProvider(kind);
      return Object.assign(Object.create(real) as AuthProvider, {
        refresh: async (ctx: Parameters<AuthProvider['refresh']>[0], s: Parameters<AuthProvider['refresh']>[1]) => {
          entered();
          await gate;
          return real.refresh(ctx, s);
        },
      });
    };
    const first = openCore({ home: home.dir, providers: slow, now: () => Date.now() + offset, retryDeadlineMs: 500 });
    await first.envs.add({ name: 'staging', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey });
    const identity = await first.sessions.signIn('staging', { email: owner.email, password: owner.password });
    offset = 3600_000 - 60_000; // due
    const renewal = first.sessions.getFreshToken('staging');
    await inFlight;
    // The takeover a successor does when this holder looks dead: the lock folder goes, then it acts.
    rmSync(join(home.dir, 'locks', `${identity.id}.refresh`), { recursive: true, force: true });
    await successor(identity.id);
    release();
    return { renewal, identity, first };
  }

  it('a sign-out by the successor (server told): the late answer hands out nothing', async () => {
    const { renewal, identity } = await renewalThatLosesItsLock(async () => {
      await openCore({ home: home.dir }).sessions.signOut('staging');
    });
    const e = await rejection(renewal, 'not_signed_in');
    expect(e.message).toMatch(/was signed out of "staging" while the session was being renewed/);
    expect(await openCore({ home: home.dir }).sessions.readSession(identity.id)).toBeUndefined();
  });

  it('a session the successor forgot locally: the renewed one is not written back', async () => {
    const { renewal, identity } = await renewalThatLosesItsLock(async (id) => {
      await openCore({ home: home.dir }).secrets.delete(secretKeys.session(id));
    });
    const e = await rejection(renewal, 'not_signed_in');
    expect(e.message).toMatch(/was signed out of "staging" while the session was being renewed/);
    expect(server!.stats.refreshGrants).toBe(1); // the answer came, and was dropped on purpose
    expect(await openCore({ home: home.dir }).sessions.readSession(identity.id)).toBeUndefined();
  });
});
