import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliFixture, collect, keychainUnreachable, type CliHome, type CliResult } from '../helpers/cli.js';
import { JWT_CLIENT, JWT_CLIENT_KEY_PEM, startOidcPeer, type OidcPeer } from '../helpers/oidc-peer.js';

/**
 * An OpenID environment's tokens and client key go to its issuer, which a setting can name apart from
 * the base URL. Changing only that setting is a move to another server like changing the URL: the
 * identities are signed out and the key given for the old issuer is removed, for an own environment
 * (`env edit --issuer`) and for a project file's (a `git pull` changing settings.issuer).
 */
const unreachable = await keychainUnreachable();
const { newHome } = cliFixture();

let peer: OidcPeer;
let elsewhere: OidcPeer;
beforeAll(async () => {
  peer = await startOidcPeer();
  elsewhere = await startOidcPeer();
});
afterAll(async () => {
  await peer.close();
  await elsewhere.close();
});

function runIn(h: CliHome, cwd: string, args: string[]): Promise<CliResult> {
  return collect(spawn(process.execPath, [CLI, ...args], { env: h.env(), cwd }), { input: '' });
}

interface EnvStatus {
  name: string;
  project: string | null;
  secretSettings: string[];
  identities: Array<{ state: string; lastError: string | null }>;
}
async function statusIn(h: CliHome, cwd: string, name: string): Promise<EnvStatus> {
  const r = await runIn(h, cwd, ['status', '--json']);
  return (JSON.parse(r.stdout) as { environments: EnvStatus[] }).environments.find((e) => e.name === name)!;
}

describe.skipIf(unreachable !== undefined)('a changed issuer moves an OpenID environment to another server', { timeout: 90_000 }, () => {
  it('env edit --issuer to another origin signs the client out and removes its private key; a path under the same issuer origin does not', async () => {
    const h = newHome();
    const keyFile = join(h.work, 'client-key.pem');
    writeFileSync(keyFile, JWT_CLIENT_KEY_PEM, { mode: 0o600 });
    const add = await h.runInProcess(['env', 'add', 'svc', '--provider', 'oidc', '--url', peer.issuer, '--client-id', JWT_CLIENT, '--client-auth', 'private_key_jwt', '--private-key-file', keyFile, '--scope', 'openid']);
    expect(add.code, add.stderr).toBe(0);
    expect((await h.runInProcess(['login', '--env', 'svc', '--client-credentials'])).code).toBe(0);
    // Naming the issuer the base URL already is: the same server, still signed in.
    const same = await h.runInProcess(['env', 'edit', 'svc', '--issuer', peer.issuer]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toBe('');
    expect((await statusIn(h, h.work, 'svc')).identities[0]).toMatchObject({ state: 'signed-in' });

    const moved = await h.runInProcess(['env', 'edit', 'svc', '--issuer', elsewhere.issuer, '--client-auth', '']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toContain(`Changing the servers of "svc"`);
    expect(moved.stdout).toContain('Signed out (the environment moved to another server)');
    const after = await statusIn(h, h.work, 'svc');
    expect(after.identities[0]).toMatchObject({ state: 'signed-out' });
    expect(after.identities[0]!.lastError).toContain(new URL(elsewhere.issuer).origin);
    expect(after.secretSettings).toEqual([]);
  });

  it('a project file whose settings.issuer changes (a git pull) signs its identities out and removes the key', async () => {
    const h = newHome();
    const root = join(h.work, 'repo');
    mkdirSync(join(root, '.git'), { recursive: true });
    const file = (issuer?: string) =>
      `${JSON.stringify({ version: 1, environments: [{ name: 'idp', provider: 'oidc', url: peer.issuer, settings: { clientId: JWT_CLIENT, ...(issuer && { issuer }) } }] }, null, 2)}\n`;
    writeFileSync(join(root, 'tokendesk.json'), file());
    const keyFile = join(h.work, 'client-key.pem');
    writeFileSync(keyFile, JWT_CLIENT_KEY_PEM, { mode: 0o600 });
    // The key is the user's, kept in the vault under the project environment's id (as the window's form would).
    const listed = await runIn(h, root, ['env', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const id = (JSON.parse(listed.stdout) as Array<{ name: string; id: string }>).find((e) => e.name === 'idp')!.id;
    const key = await runIn(h, root, ['env', 'edit', id, '--private-key-file', keyFile]);
    expect(key.code, key.stderr).toBe(0);
    const login = await runIn(h, root, ['login', '--env', 'idp', '--client-credentials']);
    expect(login.code, login.stderr).toBe(0);
    expect((await statusIn(h, root, 'idp')).identities[0]).toMatchObject({ state: 'signed-in' });

    // Only the issuer changes; the base URL stays.
    writeFileSync(join(root, 'tokendesk.json'), file(elsewhere.issuer));
    const status = await runIn(h, root, ['status', '--json']);
    expect(status.stderr).toContain('moved "idp" (its servers)');
    const idp = (JSON.parse(status.stdout) as { environments: EnvStatus[] }).environments.find((e) => e.name === 'idp')!;
    expect(idp.identities[0]).toMatchObject({ state: 'signed-out' });
    expect(idp.secretSettings).toEqual([]);
  });
});
