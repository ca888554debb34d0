import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppService } from '../../src-main/core/app/service.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { makeHome } from '../helpers/home.js';

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
const restricted = DEMO_CREDENTIALS.session.find((c) => c.email.startsWith('restricted'))!;

/** The app's checkSessions (issue 27): at start, and from "Check now", through the contract. */
describe('app service: checkSessions', () => {
  let home: ReturnType<typeof makeHome>;
  let servers: DemoServer[];
  const services: Array<ReturnType<typeof createAppService>> = [];

  beforeEach(() => {
    home = makeHome();
    servers = [];
  });
  afterEach(async () => {
    for (const s of services.splice(0)) await s.close();
    for (const s of servers) await s.close();
    home.cleanup();
  });

  const open = (opts: { checkAtStart?: boolean } = {}) => {
    const s = createAppService({ home: home.dir, shell: 'web', scheduler: false, demoPort: 0, ...opts });
    services.push(s);
    return s;
  };
  const server = async (port = 0) => {
    const s = await startDemoServer({ port });
    servers.push(s);
    return s;
  };

  /** Both seed APIs on a server of the test's own (so it can restart it), one identity signed in to each. */
  async function signedIn() {
    const first = await server();
    const service = open();
    const supa = await service.handle('addEnvironment', { name: 'staging', provider: 'supabase', baseUrl: first.url, anonKey: first.anonKey });
    const sess = await service.handle('addEnvironment', { name: 'tenants', provider: 'session', baseUrl: first.url });
    await service.handle('signIn', { envId: supa.id, email: owner.email, password: owner.password, remember: false });
    await service.handle('signIn', { envId: sess.id, email: restricted.email, password: restricted.password, remember: false });
    return { first, service, supa, sess };
  }

  const statuses = async (service: ReturnType<typeof createAppService>) =>
    (await service.handle('getState', {})).environments.flatMap((e) => e.identities.map((i) => ({ email: i.email, status: i.status, statusMessage: i.statusMessage })));

  it('a restarted server: both sessions ended with its reason, shown as ended, and nothing is handed out', async () => {
    const { first, service, supa } = await signedIn();
    expect((await service.handle('checkSessions', {})).results.map((r) => r.result)).toEqual(['accepted', 'accepted']);
    await first.close();
    await server(first.port);

    const { results } = await service.handle('checkSessions', {});
    expect(results.map((r) => [r.email, r.result])).toEqual([
      [owner.email, 'ended'],
      [restricted.email, 'ended'],
    ]);
    expect(await statuses(service)).toEqual([
      { email: owner.email, status: 'ended', statusMessage: 'The server ended this session: Session from session_id claim in JWT does not exist (session_not_found)' },
      { email: restricted.email, status: 'ended', statusMessage: 'The server ended this session: Unauthorized (401)' },
    ]);
    await expect(service.handle('copy', { envId: supa.id, item: { kind: 'authorization-header' } })).rejects.toMatchObject({ code: 'not_signed_in' });
  });

  it('one identity only when asked; a stopped server is "unknown" and the session stays valid', async () => {
    const { first, service, supa } = await signedIn();
    const identityId = (await service.handle('getState', {})).environments.find((e) => e.id === supa.id)!.identities[0]!.id;
    await first.close();
    const { results } = await service.handle('checkSessions', { identityId });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ email: owner.email, result: 'unknown', reason: expect.stringMatching(/refused|connect/i) });
    expect((await statuses(service)).map((s) => s.status)).toEqual(['valid', 'valid']);
  });

  it('at start, the app asks the servers: a session the server forgot while the app was closed shows ended', async () => {
    const { first, service } = await signedIn();
    await service.close();
    await first.close();
    await server(first.port);
    const reopened = open({ checkAtStart: true });
    await vi.waitFor(async () => expect((await statuses(reopened)).map((s) => s.status)).toEqual(['ended', 'ended']), { timeout: 10_000 });
  });
});
