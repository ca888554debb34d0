import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../src-main/core/open.js';
import { makeHome } from '../helpers/home.js';

/**
 * A session API that signs in by user name and answers with the user's email (review of issue 20): the
 * identity is labelled by the email, and a renewal with the remembered password sends the user name
 * typed, not the email (which the server refuses).
 */
const USER = { id: 'u-7', email: 'dev@example.com' };
const logins: unknown[] = [];
let server: Server;
let baseUrl: string;
const send = (res: ServerResponse, status: number, json: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(json));
};
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let t = '';
  for await (const c of req) t += String(c);
  return JSON.parse(t) as Record<string, unknown>;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/v2/sessions') {
      void readJson(req).then((body) => {
        logins.push(body.username);
        if (body.username !== 'dev' || body.secret !== 'pw') return send(res, 401, { error: { message: 'Wrong username or password' } });
        send(res, 201, { data: { accessToken: randomBytes(24).toString('hex'), expiresIn: 3600 }, user: USER });
      });
      return;
    }
    send(res, 404, { message: 'not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('a session API that signs in by user name', () => {
  const homes: Array<ReturnType<typeof makeHome>> = [];
  afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));

  it('keeps the user name for renewal, labels the identity by its email, and warns of no other user', async () => {
    const home = makeHome();
    homes.push(home);
    let t = Date.now();
    const core = openCore({ home: home.dir, startSweep: false, now: () => t });
    const env = await core.envs.add({
      name: 'My API',
      provider: 'session',
      baseUrl,
      settings: { loginPath: '/v2/sessions', identifierField: 'username', passwordField: 'secret', map: 'token=data.accessToken\nexpires=data.expiresIn\nuserId=user.id\nemail=user.email' },
    });
    logins.length = 0;
    const step = await core.sessions.beginSignIn(env.id, 'password', { email: 'dev', password: 'pw', remember: 'true' });
    expect(step.kind).toBe('done');
    if (step.kind !== 'done') return;
    expect(step.result.warning).toBeUndefined();
    expect(step.result).toMatchObject({ email: 'dev@example.com', loginName: 'dev', subject: 'u-7', rememberPassword: true });
    t += 3590_000; // inside the margin: due
    const fresh = await core.sessions.getFreshToken(env.id);
    expect(fresh.warning).toBeUndefined();
    expect(logins).toEqual(['dev', 'dev']);
  });
});
