import { afterEach, describe, expect, it } from 'vitest';
import { createAppService } from '../../src-main/core/app/service.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import type { AppEvent } from '../../src-main/contract/types.js';
import { makeHome } from '../helpers/home.js';
import { movableClock } from '../helpers/clock.js';

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
const restricted = DEMO_CREDENTIALS.session.find((c) => c.email.startsWith('restricted'))!;

/** The app's "Renew now" (renewSession), through the contract, against the demo server. */
describe('app service: renewSession', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup() {
    // JWTs carry whole seconds: the shared clock moves between renewals so each new token differs.
    const clock = movableClock();
    const demo: DemoServer = await startDemoServer({ port: 0, now: clock.now });
    const home = makeHome();
    const service = createAppService({ home: home.dir, shell: 'web', scheduler: false, demoPort: 0, now: clock.now });
    cleanups.push(() => home.cleanup(), () => demo.close().catch(() => undefined), () => service.close());
    const supa = await service.handle('addEnvironment', { name: 'staging', provider: 'supabase', baseUrl: demo.url, anonKey: demo.anonKey });
    const sess = await service.handle('addEnvironment', { name: 'tenants', provider: 'session', baseUrl: demo.url });
    const a = await service.handle('signIn', { envId: supa.id, email: owner.email, password: owner.password, remember: false });
    const b = await service.handle('signIn', { envId: sess.id, email: restricted.email, password: restricted.password, remember: false });
    return { clock, demo, service, a, b };
  }

  it('renews a fresh session at once: a new token, a later expiry, and the window is told', async () => {
    const { clock, demo, service, a } = await setup();
    const before = await service.handle('getTokenDetails', { identityId: a.id, reveal: true });
    const events: AppEvent[] = [];
    service.onEvent((e) => events.push(e));
    clock.advance(60_000);
    const view = await service.handle('renewSession', { identityId: a.id });
    expect(demo.stats.refreshGrants).toBe(1);
    expect(view.status).toBe('valid');
    // An hour from the renewal (times are taken at receipt: a few real ms pass too).
    expect(view.expiresAt! - before.expiresAt).toBeGreaterThanOrEqual(60_000);
    expect(view.expiresAt! - before.expiresAt).toBeLessThan(70_000);
    const after = await service.handle('getTokenDetails', { identityId: a.id, reveal: true });
    expect(after.token).not.toBe(before.token);
    expect(events.some((e) => e.type === 'session-refreshed' && e.identityId === a.id)).toBe(true);
  });

  it('says why when it cannot, and changes nothing: no way to renew, or the server is down', async () => {
    const { demo, service, a, b } = await setup();
    await expect(service.handle('renewSession', { identityId: b.id })).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/^The session of restricted@test\.com cannot be renewed without a remembered password; it expires at /) as unknown as string,
    });
    const token = (await service.handle('getTokenDetails', { identityId: a.id, reveal: true })).token;
    await demo.close();
    await expect(service.handle('renewSession', { identityId: a.id })).rejects.toMatchObject({
      message: expect.stringMatching(/^Could not renew the session of owner@connectgain\.test in "staging": /) as unknown as string,
    });
    const state = await service.handle('getState', {});
    const row = state.environments.flatMap((e) => e.identities).find((i) => i.id === a.id)!;
    expect(row.status).toBe('valid');
    expect((await service.handle('getTokenDetails', { identityId: a.id, reveal: true })).token).toBe(token);
    await expect(service.handle('renewSession', { identityId: 'nobody' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
