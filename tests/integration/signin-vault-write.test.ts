import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openCore } from '../../src-main/core/open.js';
import { TokenDeskError } from '../../src-main/core/errors.js';
import { secretKeys, type SecretStore } from '../../src-main/core/secrets/types.js';
import { cliFixture, DEMO_SESSION, keychainUnreachable } from '../helpers/cli.js';
import { startHostileAuthServer, type HostileAuthServer } from '../helpers/hostile-auth-server.js';

// Review of the sign-in's compare-and-swap (it saves a listed identity under the vault lock alone):
// a sign-in that fails stores nothing, and a session for a server the environment left is never
// in the vault, where a renewal (which reads the URL from the config) would send its refresh token.

const unreachable = await keychainUnreachable();
const { signedIn } = cliFixture({ demo: true });
const USER = { email: 'restricted@test.com', password: 'stringstring' };

let other: HostileAuthServer;
beforeAll(async () => {
  other = await startHostileAuthServer();
});
afterAll(async () => {
  await other.close();
});

async function listedIdentity(home: string) {
  const core = openCore({ home });
  const env = await core.envs.resolve(DEMO_SESSION);
  const identity = (await core.config.read()).identities.find((i) => i.envId === env.id && i.email === USER.email)!;
  const keys = [secretKeys.session(identity.id), secretKeys.password(identity.id)] as const;
  const held = async () => Promise.all(keys.map((k) => core.secrets.get(k)));
  return { core, env, identity, keys, held };
}

/** `store` with one of its writes wrapped: `wrap` is given the real write and the argument. */
function around<M extends 'apply' | 'update'>(
  store: SecretStore,
  method: M,
  wrap: (real: (arg: Parameters<SecretStore[M]>[0]) => Promise<void>, arg: Parameters<SecretStore[M]>[0]) => Promise<void>,
): SecretStore {
  return new Proxy(store, {
    get(t, p) {
      const v = Reflect.get(t, p, t) as unknown;
      if (p !== method) return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      return (arg: Parameters<SecretStore[M]>[0]) => wrap((a) => (t[method] as (x: typeof a) => Promise<void>)(a), arg);
    },
  });
}

describe.skipIf(unreachable !== undefined)('a sign-in of a listed identity, saved under the vault lock', { timeout: 60_000 }, () => {
  it('whose profile cannot be written leaves the vault as it was', async () => {
    const h = await signedIn();
    const { core, identity, held } = await listedIdentity(h.dir);
    const before = await held();
    expect(before[0]).toBeDefined();
    // The tokens reach the vault; the profile file beside them does not (a full disk, say).
    vi.spyOn(core.sessions.profiles, 'write').mockRejectedValue(new TokenDeskError('config_unwritable', 'No space left on device'));

    const out = await core.sessions.signIn(DEMO_SESSION, { ...USER, remember: true }).catch((e: unknown) => e);
    expect(out).toBeInstanceOf(TokenDeskError);
    // Told it failed, the user keeps the session they had, and no password is remembered.
    expect(await held()).toEqual(before);
    expect((await core.config.read()).identities.find((i) => i.id === identity.id)?.rememberPassword).toBe(false);
  });

  it('whose environment moved to another server while it talked to the old one never puts its session in the vault', async () => {
    const h = await signedIn();
    const { core: base, env, keys } = await listedIdentity(h.dir);
    const meanwhile = openCore({ home: h.dir });
    // What the vault holds for this identity after each write the sign-in makes: what a renewal could read.
    const seen: Array<string | undefined> = [];
    let moved = false;
    const secrets = around(base.secrets, 'update', async (update, decide) => {
      // The old server has answered; before the answer is stored, another process moves the environment.
      if (!moved) {
        moved = true;
        await meanwhile.envs.edit(env.id, { baseUrl: other.url });
      }
      try {
        await update(decide);
      } finally {
        seen.push(...(await Promise.all(keys.map((k) => base.secrets.get(k)))));
      }
    });
    const core = openCore({ home: h.dir, secrets });

    const out = await core.sessions.signIn(env.id, { ...USER, remember: true }).catch((e: unknown) => e);
    expect(out).toMatchObject({ code: 'environment_changed' });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((v) => v !== undefined)).toEqual([]);
    expect(await Promise.all(keys.map((k) => base.secrets.get(k)))).toEqual([undefined, undefined]);
    expect(other.requests).toEqual([]);
  });

  it('that reaches the vault between a move\'s deletion of the sessions and its config write is refused there', async () => {
    const h = await signedIn();
    const { core: base, env, identity, keys } = await listedIdentity(h.dir);
    // What the vault holds for the identity once the sign-in's own write is made: until it undoes it
    // (after the move's config write), or forever if it is killed then, a renewal could read it.
    let seen: Array<string | undefined> | undefined;
    let wrote!: () => void;
    const written = new Promise<void>((r) => (wrote = r));
    const signer = openCore({
      home: h.dir,
      secrets: around(base.secrets, 'update', async (update, decide) => {
        try {
          await update(decide);
        } finally {
          seen ??= await Promise.all(keys.map((k) => base.secrets.get(k)));
          wrote();
        }
      }),
    });
    let signing: Promise<unknown> | undefined;
    // The edit's sealed write (the old sessions deleted) is made; its config write, with the new URL,
    // waits until a sign-in at the old URL has reached the vault: that sign-in still reads the old URL in the file.
    const mover = openCore({
      home: h.dir,
      secrets: around(base.secrets, 'apply', async (apply, changes) => {
        await apply(changes);
        if (!signing && changes.some(([k, value]) => k === keys[0] && value === undefined)) {
          signing = signer.sessions.signIn(env.id, { ...USER, remember: true }).catch((e: unknown) => e);
          await written;
        }
      }),
    });

    const moved = await mover.envs.edit(env.id, { baseUrl: other.url });
    expect(moved.environment.baseUrl).toBe(other.url);
    expect(await signing).toMatchObject({ code: 'environment_changed' });
    expect(seen).toEqual([undefined, undefined]);
    // Nothing of the old server is left where a renewal would send it to the new one.
    expect(await Promise.all(keys.map((k) => base.secrets.get(k)))).toEqual([undefined, undefined]);
    await expect(base.sessions.getFreshToken(env.id, identity.email)).rejects.toMatchObject({ code: 'not_signed_in' });
    expect(other.requests).toEqual([]);
    // What the move recorded names the new server only: a sign-in there is not refused by it.
    expect(await base.secrets.get(secretKeys.servers(env.id))).toBe(JSON.stringify([new URL(other.url).origin]));
  });

  it('after a move killed between its vault write and its config write, the record it left does not refuse sign-ins: it is removed and the sign-in stored', async () => {
    const h = await signedIn();
    const { core, env, keys } = await listedIdentity(h.dir);
    // What the killed edit wrote: the servers it was moving to, which the configuration never got.
    await core.secrets.set(secretKeys.servers(env.id), JSON.stringify(['https://never-written.example']));
    const out = await core.sessions.signIn(env.id, { ...USER, remember: true });
    expect(out).toBeDefined();
    expect(await core.secrets.get(keys[0])).toBeDefined();
    expect(await core.secrets.get(secretKeys.servers(env.id))).toBeUndefined();
  });
});
