import { readdirSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core/open.js';
import { DEMO_CREDENTIALS } from '../../src-main/core/demo-server/index.js';
import { createKeychainStore } from '../../src-main/core/secrets/keychain.js';
import { profilesDir } from '../../src-main/core/sessions/profile-store.js';
import { cliFixture, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable } from '../helpers/cli.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';
import { createHttpClient } from '../../src-main/core/http/client.js';
import type { HttpClient } from '../../src-main/core/http/types.js';

// Issue 27: concurrent sign-ins of one user made several identities, and a sign-out then left the
// others "signed in" with their sessions in the vault. One user is one identity, however the
// sign-ins interleave, within a process or across processes.

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
const restricted = DEMO_CREDENTIALS.session.find((c) => c.email.startsWith('restricted'))!;
const SIGN_INS = 8;

/** The vault's session entries, by identity id (names only). */
async function sessionIds(home: string): Promise<string[]> {
  const all = await createKeychainStore(home).loadAll();
  return [...all.keys()].filter((k) => k.startsWith('identity/')).map((k) => k.split('/')[1]!).filter((id, i, a) => a.indexOf(id) === i);
}

const fx = cliFixture({ demo: true });
let skip: string | undefined;
beforeAll(async () => {
  skip = await keychainUnreachable();
});

describe('concurrent sign-ins of one user, in process (one core per would-be process)', () => {
  const homes: ReturnType<typeof makeHome>[] = [];
  afterEach(async () => {
    for (const h of homes.splice(0)) await h.cleanup();
  });

  async function setup(): Promise<{ home: string; cores: Core[] }> {
    const h = makeHome('tokendesk-signin-race-');
    homes.push(h);
    const server = fx.demo();
    const first = openCore({ home: h.dir });
    await first.envs.add({ name: 'staging', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey });
    await first.envs.add({ name: 'api', provider: 'session', baseUrl: server.url });
    return { home: h.dir, cores: [first, ...Array.from({ length: SIGN_INS - 1 }, () => openCore({ home: h.dir }))] };
  }

  for (const [env, user] of [
    ['staging', owner],
    ['api', restricted],
  ] as const) {
    it(`${SIGN_INS} at once to "${env}" give one identity; a sign-out then leaves nobody signed in and nothing in the vault`, async () => {
      if (skip) return;
      const { home, cores } = await setup();
      const results = await Promise.all(cores.map((c) => c.sessions.signIn(env, { email: user.email, password: user.password, remember: env === 'api' })));
      const cfg = await cores[0]!.config.read();
      expect(cfg.identities.map((i) => i.email)).toEqual([user.email]);
      const id = cfg.identities[0]!.id;
      // Every caller was told about the identity that was kept, and the vault holds its session only.
      expect(new Set(results.map((r) => r.id))).toEqual(new Set([id]));
      expect(cfg.activeIdentity[cfg.identities[0]!.envId]).toBe(id);
      expect(await sessionIds(home)).toEqual([id]);
      // The sign-ins that lost the race put their profile files back too.
      expect(readdirSync(profilesDir(home))).toEqual([`${id}.json`]);
      // The session kept is one the server accepts.
      const fresh = await cores[3]!.sessions.getFreshToken(env);
      expect(fresh.identity.id).toBe(id);

      await cores[5]!.sessions.signOut(env);
      await rejection(cores[0]!.sessions.getFreshToken(env), 'not_signed_in');
      expect(await sessionIds(home)).toEqual([]);
    });
  }

  it('eight at once within one core give one identity too', async () => {
    if (skip) return;
    const { home, cores } = await setup();
    const core = cores[0]!;
    await Promise.all(Array.from({ length: SIGN_INS }, () => core.sessions.signIn('api', { email: restricted.email, password: restricted.password })));
    const ids = (await core.config.read()).identities.map((i) => i.id);
    expect(ids).toHaveLength(1);
    expect(await sessionIds(home)).toEqual(ids);
  });
});

describe('concurrent `tokendesk login` processes', { timeout: 120_000 }, () => {
  for (const [env, user] of [
    [DEMO_SUPABASE, owner],
    [DEMO_SESSION, restricted],
  ] as const) {
    it(`${SIGN_INS} logins at once to "${env}" list one identity; logout then leaves nobody signed in and no session in the vault`, async () => {
      if (skip) return;
      const h = await fx.demoHome();
      const runs = await Promise.all(
        Array.from({ length: SIGN_INS }, () => h.run(['login', '--env', env, '--email', user.email, '--no-remember'], { input: `${user.password}\n`, timeoutMs: 60_000 })),
      );
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      const status = await h.run(['status', '--env', env, '--json']);
      expect(status.code, status.stderr).toBe(0);
      const identities = (JSON.parse(status.stdout) as { environments: Array<{ identities: Array<{ email: string }> }> }).environments.flatMap((e) => e.identities);
      expect(identities.map((i) => i.email)).toEqual([user.email]);
      expect(await sessionIds(h.dir)).toHaveLength(1);

      const out = await h.run(['logout', '--env', env]);
      expect(out.code, out.stderr).toBe(0);
      // Nobody left signed in: `token` says so (exit 4) and the vault holds no session.
      const token = await h.run(['token', '--env', env]);
      expect(token.code, token.stdout).toBe(4);
      expect(await sessionIds(h.dir)).toEqual([]);
    });
  }
});

describe('a sign-in in flight while the environment moves to another server', () => {
  const homes: ReturnType<typeof makeHome>[] = [];
  afterEach(async () => {
    for (const h of homes.splice(0)) await h.cleanup();
  });

  // The edit ends the sessions it finds; this one is not stored yet when the edit runs. Recorded
  // afterwards under the new URL, its refresh token would go to the new server at the next renewal.
  for (const [env, provider, user] of [
    ['staging', 'supabase', owner],
    ['api', 'session', restricted],
  ] as const) {
    it(`"${env}" (${provider}): the old server's answer is not stored under the new URL`, async () => {
      if (skip) return;
      const h = makeHome('tokendesk-signin-move-');
      homes.push(h);
      const server = fx.demo();
      const plain = createHttpClient();
      let answered!: () => void;
      const held = new Promise<void>((r) => (answered = r));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      // The sign-in's HTTP answer is held until the edit has moved the environment.
      const http: HttpClient = {
        async request(req) {
          const res = await plain.request(req);
          if (req.method === 'POST') {
            answered();
            await gate;
          }
          return res;
        },
      };
      const signer = openCore({ home: h.dir, http });
      const editor = openCore({ home: h.dir });
      await editor.envs.add({ name: env, provider, baseUrl: server.url, ...(provider === 'supabase' && { anonKey: server.anonKey }) });
      const signIn = signer.sessions.signIn(env, { email: user.email, password: user.password, remember: provider === 'session' });
      await held;
      const moved = await editor.envs.edit(env, { baseUrl: 'http://127.0.0.1:9' });
      expect(moved.environment.baseUrl).toBe('http://127.0.0.1:9');
      release();
      await rejection(signIn, 'environment_changed');
      // Nothing of the old server's session (or the password) is kept, and nobody is listed as signed in.
      expect(await sessionIds(h.dir)).toEqual([]);
      expect((await editor.config.read()).identities).toEqual([]);
      await rejection(editor.sessions.getFreshToken(env), 'not_signed_in');
    });
  }
});
