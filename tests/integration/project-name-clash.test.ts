import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore } from '../../src-main/core/open.js';
import { ensureEndpointSecret, startEndpoint } from '../../src-main/core/endpoint/index.js';
import { CLI, cliFixture, collect, DEMO_SESSION, keychainUnreachable, type CliHome, type CliResult } from '../helpers/cli.js';
import { call } from '../helpers/endpoint-client.js';

/**
 * A project file synced on this machine names an environment like one of the user's own (issue 24
 * lets both exist). Where no project folder is in play (the endpoint, tokendesk:// references) the name
 * means the user's own, as the fast path reads it; `project:` and `own:` pick a side.
 */
const unreachable = await keychainUnreachable();
const { demo, signedIn } = cliFixture({ demo: true });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function runIn(h: CliHome, cwd: string, args: string[]): Promise<CliResult> {
  return collect(spawn(process.execPath, [CLI, ...args], { env: h.env(), cwd }), { input: '' });
}

/** A home signed in to its own DEMO_SESSION, with a repository's file naming a DEMO_SESSION of its own, synced. */
async function clashingHome(): Promise<{ h: CliHome; ownToken: string }> {
  const h = await signedIn();
  const root = join(h.work, 'repo');
  mkdirSync(join(root, '.git'), { recursive: true });
  writeFileSync(join(root, 'tokendesk.json'), `${JSON.stringify({ version: 1, environments: [{ name: DEMO_SESSION, provider: 'session', url: demo().url }] })}\n`);
  const synced = await runIn(h, root, ['env', 'list', '--json']);
  expect(synced.code, synced.stderr).toBe(0);
  expect((JSON.parse(synced.stdout) as Array<{ name: string }>).filter((e) => e.name === DEMO_SESSION)).toHaveLength(2);
  const own = await h.run(['token', '--env', DEMO_SESSION]);
  expect(own.code, own.stderr).toBe(0);
  return { h, ownToken: own.stdout.trim() };
}

describe.skipIf(unreachable !== undefined)('an own environment and a project file\'s of the same name', { timeout: 90_000 }, () => {
  it('GET /v1/token?env=NAME serves the own one; env=project:NAME names the project\'s (nobody signed in there)', async () => {
    const { h, ownToken } = await clashingHome();
    const core = openCore({ home: h.dir });
    const secret = await ensureEndpointSecret(core.secrets, core.lock);
    const endpoint = await startEndpoint({ core, port: 0, servedBy: 'serve' });
    cleanups.push(() => endpoint.close());
    const byName = await call(endpoint.port, `/v1/token?env=${encodeURIComponent(DEMO_SESSION)}`, { secret });
    expect(byName.status, byName.body).toBe(200);
    expect(byName.body).toBe(ownToken);
    const own = await call(endpoint.port, `/v1/token?env=${encodeURIComponent(`own:${DEMO_SESSION}`)}`, { secret });
    expect(own.body).toBe(ownToken);
    const project = await call(endpoint.port, `/v1/token?env=${encodeURIComponent(`project:${DEMO_SESSION}`)}`, { secret });
    expect(project.status).not.toBe(200);
    expect(project.body).not.toContain(ownToken);
  });

  it('a tokendesk://NAME/token reference resolves the own one', async () => {
    const { h, ownToken } = await clashingHome();
    writeFileSync(join(h.work, 'app.env'), `API_TOKEN=tokendesk://${DEMO_SESSION}/token\n`);
    const r = await h.run(['exec', '--envfile', 'app.env', '--', 'node', '-e', 'console.log(process.env.API_TOKEN)']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(ownToken);
  });
});
