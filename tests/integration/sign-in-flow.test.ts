import { createServer, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src-main/core/demo-server/index.js';
import type { AppEvent } from '../../src-main/contract/types.js';
import { closeAppService, openAppService, type AppService, type TestHome } from '../helpers/app-service.js';

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
const admin = DEMO_CREDENTIALS.session[0]!;

describe('sign-in as a flow, through the contract (beginSignIn / continueSignIn / cancelSignIn)', () => {
  let home: TestHome;
  let service: AppService;
  beforeEach(() => {
    ({ home, service } = openAppService());
  });
  afterEach(() => closeAppService({ home, service }));

  it('asks for the fields its catalogue declares, then signs in with the answers', async () => {
    const state = await service.handle('startDemo', {});
    const sess = state.environments.find((e) => e.provider === 'session')!;
    const ask = await service.handle('beginSignIn', { envId: sess.id });
    expect(ask.kind).toBe('ask');
    if (ask.kind !== 'ask') return;
    // The session API cannot refresh: its password method offers to remember the password.
    expect(ask.fields.map((f) => [f.name, f.secret])).toEqual([['email', false], ['password', true], ['remember', false]]);
    const done = await service.handle('continueSignIn', { flowId: ask.flowId, answers: { email: admin.email, password: admin.password, remember: 'true' } });
    expect(done).toMatchObject({ kind: 'done', identity: { email: admin.email, status: 'valid', rememberPassword: true, renewal: 'remembered_password' } });
    const after = await service.handle('getState', {});
    expect(after.environments.find((e) => e.id === sess.id)!.identities.map((i) => i.email)).toEqual([admin.email]);
  });

  it('answers up front sign in at once; a wrong password fails the flow and stores nothing', async () => {
    const state = await service.handle('startDemo', {});
    const supa = state.environments.find((e) => e.provider === 'supabase')!;
    await expect(service.handle('beginSignIn', { envId: supa.id, answers: { email: owner.email, password: 'wrong' } })).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect((await service.handle('getState', {})).environments.find((e) => e.id === supa.id)!.identities).toEqual([]);
    const done = await service.handle('beginSignIn', { envId: supa.id, method: 'password', answers: { email: owner.email, password: owner.password } });
    expect(done).toMatchObject({ kind: 'done', identity: { email: owner.email, status: 'valid', renewal: 'refresh_token' } });
    await expect(service.handle('beginSignIn', { envId: supa.id, method: 'carrier-pigeon' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('its methods: password') });
  });

  it('cancelling a sign-in whose server has not answered ends it at once and stores nothing', async () => {
    // A server that accepts the connection and never answers: the sign-in waits until cancelled.
    const sockets: Socket[] = [];
    // (That the aborted request's socket closes is axios' part: seen in plain Node, not asserted here,
    // where vitest's module loading keeps the socket open after an abort.)
    const hang = createServer((s) => {
      sockets.push(s);
    });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const port = (hang.address() as { port: number }).port;
    try {
      const env = await service.handle('addEnvironment', { name: 'Hangs', provider: 'session', baseUrl: `http://127.0.0.1:${port}` });
      const ask = await service.handle('beginSignIn', { envId: env.id });
      if (ask.kind !== 'ask') throw new Error('expected a question');
      const pending = service.handle('continueSignIn', { flowId: ask.flowId, answers: { email: admin.email, password: admin.password } });
      for (let i = 0; i < 200 && sockets.length === 0; i++) await new Promise((r) => setTimeout(r, 10)); // the request has reached the server
      expect(sockets.length).toBe(1);
      expect(await service.handle('cancelSignIn', { flowId: ask.flowId })).toEqual({ cancelled: true });
      await expect(pending).rejects.toMatchObject({ code: 'flow_cancelled', message: expect.stringContaining('nothing was stored') });
      expect(service.core.sessions.flows.active).toBe(0);
      expect((await service.handle('getState', {})).environments.find((e) => e.id === env.id)!.identities).toEqual([]);
      expect(await service.handle('cancelSignIn', { flowId: ask.flowId })).toEqual({ cancelled: false });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => hang.close(r));
    }
  });

  it('a step shown without a question reaches the window as an event', async () => {
    const events: AppEvent[] = [];
    service.onEvent((e) => events.push(e));
    const step = await service.core.sessions.flows.begin(async (io) => {
      io.show({ kind: 'progress', title: 'Waiting', message: 'Waiting for the browser' });
      return new Promise(() => undefined);
    });
    expect(step).toMatchObject({ kind: 'progress', message: 'Waiting for the browser' });
    expect(events).toContainEqual({ type: 'sign-in-progress', flowId: (step as { flowId: string }).flowId, step });
    service.core.sessions.flows.cancel((step as { flowId: string }).flowId);
  });
});
