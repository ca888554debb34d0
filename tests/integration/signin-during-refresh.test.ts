import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../src-main/core/open.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { getProvider } from '../../src-main/core/providers/registry.js';
import type { AuthProvider } from '../../src-main/core/providers/types.js';
import { CliHome, keychainUnreachable } from '../helpers/cli.js';
import { movableClock } from '../helpers/clock.js';

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
const skip = await keychainUnreachable();

/** Resolves with `p`, or rejects once `ms` passed: "the sign-in waited for the renewal" is a failure, not a hang. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`${what} did not finish within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** A gate a test opens by hand, and a promise that says when something reached it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  let arrive!: () => void;
  const reached = new Promise<void>((r) => (arrive = r));
  return { open, opened, arrive, reached };
}

/** Providers whose refresh waits at `g` (reached, then held until opened): a slow server, in this process. */
function slowRefresh(g: ReturnType<typeof gate>) {
  return (kind: Parameters<typeof getProvider>[0]): AuthProvider => {
    const real = getProvider(kind);
    return Object.assign(Object.create(real) as AuthProvider, {
      refresh: async (ctx: Parameters<AuthProvider['refresh']>[0], s: Parameters<AuthProvider['refresh']>[1]) => {
        g.arrive();
        await g.opened;
        return real.refresh(ctx, s);
      },
    });
  };
}

/** A proxy to `target` that holds refresh grants at `g`: a slow server for a process of its own. */
async function slowRefreshProxy(target: string, g: ReturnType<typeof gate>): Promise<{ url: string; server: Server }> {
  const body = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const server = createServer((req, res) => {
    void (async () => {
      const sent = await body(req);
      if (req.url?.includes('grant_type=refresh_token')) {
        g.arrive();
        await g.opened;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      const answer = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(sent.length > 0 && { body: sent }) });
      const out = Object.fromEntries([...answer.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)));
      res.writeHead(answer.status, out);
      res.end(Buffer.from(await answer.arrayBuffer()));
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * A sign-in of an identity whose renewal is in flight (its refresh request held by a slow server)
 * does not wait for that renewal, and is the session kept: the renewal stores its result only if the
 * vault still holds the session it renewed (a compare-and-swap under the vault lock), so the late
 * answer is dropped instead of overwriting the newer sign-in. Each case fails on a renewal that
 * writes unconditionally (the vault then holds the renewal's tokens), and the first two on a sign-in
 * that waits for the renewal's lock (it does not finish while the refresh is held).
 */
describe.skipIf(skip)('a sign-in while a renewal of the same identity is in flight', () => {
  let demo: DemoServer;
  let home: CliHome;
  beforeAll(async () => {
    demo = await startDemoServer({ port: 0 });
  });
  afterAll(async () => {
    await demo.close();
  });
  afterEach(async () => {
    await home.cleanup();
  });

  async function signedInAndDue(g: ReturnType<typeof gate>) {
    home = new CliHome();
    const clock = movableClock();
    const core = openCore({ home: home.dir, providers: slowRefresh(g), now: clock.now });
    await core.envs.add({ name: 'staging', provider: 'supabase', baseUrl: demo.url, anonKey: demo.anonKey });
    const identity = await core.sessions.signIn('staging', owner);
    const before = (await core.sessions.readSession(identity.id))!.accessToken;
    clock.advance(3600_000 - 30_000); // inside the renewal margin
    return { core, identity, before };
  }

  it('in the same process: the sign-in finishes first, and its session stays', async () => {
    const g = gate();
    const { core, identity, before } = await signedInAndDue(g);
    const refreshes = demo.stats.refreshGrants;
    const renewal = core.sessions.getFreshToken('staging');
    await g.reached;
    await within(core.sessions.signIn('staging', owner), 5_000, 'the sign-in');
    const signedIn = (await core.sessions.readSession(identity.id))!.accessToken;
    expect(signedIn).not.toBe(before);
    g.open();
    // The renewal's answer came and was dropped: it hands out the sign-in's token.
    expect((await renewal).session.accessToken).toBe(signedIn);
    expect(demo.stats.refreshGrants).toBe(refreshes + 1);
    expect((await core.sessions.readSession(identity.id))!.accessToken).toBe(signedIn);
    expect((await openCore({ home: home.dir }).sessions.readSession(identity.id))!.accessToken).toBe(signedIn);
  });

  it('a sign-in by another process (tokendesk login) while this one renews', async () => {
    const g = gate();
    const { core, identity, before } = await signedInAndDue(g);
    const renewal = core.sessions.getFreshToken('staging');
    await g.reached;
    const login = await home.run(['login', '--env', 'staging', '--email', owner.email], { input: `${owner.password}\n`, timeoutMs: 10_000 });
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    const signedIn = (await openCore({ home: home.dir }).sessions.readSession(identity.id))!.accessToken;
    expect(signedIn).not.toBe(before);
    g.open();
    expect((await renewal).session.accessToken).toBe(signedIn);
    expect((await openCore({ home: home.dir }).sessions.readSession(identity.id))!.accessToken).toBe(signedIn);
    const token = await home.run(['token', '--env', 'staging']);
    expect(token.stdout.trim()).toBe(signedIn);
  });

  it('a renewal by another process (tokendesk token) while this one signs in', async () => {
    home = new CliHome();
    const g = gate();
    const proxy = await slowRefreshProxy(demo.url, g);
    try {
      // Signed in an hour ago by this process's clock: due for the spawned CLI, which has the real one.
      const past = movableClock(-(3600_000 - 30_000));
      const core = openCore({ home: home.dir, now: past.now });
      await core.envs.add({ name: 'staging', provider: 'supabase', baseUrl: proxy.url, anonKey: demo.anonKey });
      const identity = await core.sessions.signIn('staging', owner);
      const renewing = home.run(['token', '--env', 'staging'], { timeoutMs: 15_000 });
      await g.reached;
      const now = openCore({ home: home.dir });
      await within(now.sessions.signIn('staging', owner), 5_000, 'the sign-in');
      const signedIn = (await now.sessions.readSession(identity.id))!.accessToken;
      g.open();
      const token = await renewing;
      expect(token.code).toBe(0);
      // The renewal found the sign-in's session in its place: it stored nothing and handed that out.
      expect(token.stdout.trim()).toBe(signedIn);
      expect((await openCore({ home: home.dir }).sessions.readSession(identity.id))!.accessToken).toBe(signedIn);
    } finally {
      proxy.server.closeAllConnections();
      await new Promise((r) => proxy.server.close(r));
    }
  });
});
