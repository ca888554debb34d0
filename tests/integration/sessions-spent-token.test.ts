import { afterEach, expect, it } from 'vitest';
import { openCore } from '../../src-main/core/open.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
let server: DemoServer | undefined;
let home: ReturnType<typeof makeHome> | undefined;
afterEach(async () => {
  await server?.close();
  home?.cleanup();
});

it('a refresh token spent by another tool ends the session with a message that says so', async () => {
  server = await startDemoServer({ port: 0, refreshReuseIntervalSeconds: 0 });
  home = makeHome();
  let offset = 0;
  const core = openCore({ home: home.dir, now: () => Date.now() + offset, retryDeadlineMs: 1500 });
  await core.envs.add({ name: 'staging', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey });
  const identity = await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
  const copy = (await core.sessions.readSession(identity.id))!.refreshToken!;

  // Postman (or a script) was given the refresh token and kept renewing with it. (Presenting the
  // parent of the active token again is GoTrue's "failed to save" case and is forgiven; the
  // grandparent is not.)
  const refresh = async (token: string): Promise<string> => {
    const r = await fetch(`${server!.url}/auth/v1/token?grant_type=refresh_token`, {
      method: 'POST',
      headers: { apikey: server!.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: token }),
    });
    expect(r.status).toBe(200);
    return ((await r.json()) as { refresh_token: string }).refresh_token;
  };
  await refresh(await refresh(copy));

  offset = 2 * 3600_000; // TokenDesk's own token has run out meanwhile
  const err = await rejection(core.sessions.getFreshToken('staging'));
  expect(err).toMatchObject({ code: 'session_expired', serverCode: 'refresh_token_already_used' });
  expect(err.message).toMatch(/already been used, probably by another tool that was given a copy of it/);
  expect(err.message).toMatch(/Sign in again/);
});
