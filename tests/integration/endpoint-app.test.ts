import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppService } from '../../src-main/core/app/service.js';
import { startDemoServer } from '../../src-main/core/demo-server/index.js';
import type { AppEvent } from '../../src-main/contract/types.js';
import { CliHome, keychainUnreachable } from '../helpers/cli.js';
import { call } from '../helpers/endpoint-client.js';
import { freePort } from '../helpers/free-port.js';

const PROD = 'Acme production';

const unreachable = await keychainUnreachable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.skipIf(unreachable !== undefined)('the app serves the endpoint while it runs', { timeout: 60_000 }, () => {
  it('through the contract: where it is, running, the secret only copied, the log, and the production prompt', async () => {
    const demo = await startDemoServer({ port: 0 });
    const h = new CliHome();
    cleanups.push(() => demo.close(), () => h.cleanup());
    // Not the demo environments: the app points those at its own demo server when it starts.
    const add = await h.runInProcess(['env', 'add', PROD, '--provider', 'supabase', '--url', demo.url, '--anon-key', '-', '--production'], { input: `${demo.anonKey}\n` });
    expect(add.code, add.stderr).toBe(0);
    expect((await h.runInProcess(['login', '--env', PROD, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' })).code).toBe(0);
    const port = await freePort();
    const service = createAppService({ home: h.dir, shell: 'web', scheduler: false, demoPort: 0, endpoint: { port } });
    cleanups.push(() => service.close());
    const events: AppEvent[] = [];
    service.onEvent((e) => events.push(e));

    const view = await service.handle('getEndpoint', {});
    expect(view).toMatchObject({ url: `http://127.0.0.1:${port}`, port, running: true, revealed: false, log: [], allowedProduction: [] });
    const copied = await service.handle('copyEndpointSecret', {});
    const secret = copied.text!;
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(view.secret).not.toContain(secret); // masked in the view
    // The CLI sees the same secret (one per install, in the vault).
    expect(JSON.parse((await h.runInProcess(['endpoint', '--json', '--show-secret'])).stdout).secret).toBe(secret);

    const refused = await call(port, `/v1/token?env=${encodeURIComponent(PROD)}`, { secret, userAgent: 'newman/6' });
    expect(refused.status).toBe(403);
    const env = (await service.handle('getState', {})).environments.find((e) => e.name === PROD)!;
    expect(events).toContainEqual({ type: 'endpoint-production-asked', envId: env.id, name: PROD, userAgent: 'newman/6' });
    expect(events.some((e) => e.type === 'endpoint-called')).toBe(true);

    const allowed = await service.handle('allowEndpointProduction', { envId: env.id });
    expect(allowed.allowedProduction).toEqual([{ envId: env.id, name: PROD }]);
    const served = await call(port, `/v1/token?env=${encodeURIComponent(PROD)}`, { secret, userAgent: 'newman/6' });
    expect(served.status, served.body).toBe(200);
    const log = (await service.handle('getEndpoint', {})).log;
    expect(log.map((e) => [e.status, e.userAgent])).toEqual([
      [200, 'newman/6'],
      [403, 'newman/6'],
    ]);
    expect(JSON.stringify(log)).not.toContain(served.body);

    await service.close();
    await expect(call(port, '/v1/status', { secret })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a port already taken is said in the panel; the app goes on', async () => {
    const h = new CliHome();
    cleanups.push(() => h.cleanup());
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    cleanups.push(() => new Promise<void>((r) => taken.close(() => r())));
    const port = (taken.address() as { port: number }).port;
    const service = createAppService({ home: h.dir, shell: 'web', scheduler: false, demoPort: 0, endpoint: { port } });
    cleanups.push(() => service.close());
    const view = await service.handle('getEndpoint', {});
    expect(view.running).toBe(false);
    expect(view.error).toMatch(new RegExp(`Port ${port} is in use`));
    expect((await service.handle('getState', {})).environments).toEqual([]);
  });
});
