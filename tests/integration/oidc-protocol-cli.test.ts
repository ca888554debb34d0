import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFixture } from '../helpers/cli.js';
import { JWT_CLIENT, JWT_CLIENT_KEY_PEM, PUBLIC_CLIENT, startOidcPeer, type OidcPeer } from '../helpers/oidc-peer.js';

/**
 * Issue 21's client authentication and redirect settings through tokendesk: the private key read from
 * a file into the vault (never config.json, never printed), the client authentication chosen from a
 * list, the redirect URI shown by `env show`, and a busy fixed port said by number at `login`.
 */
let peer: OidcPeer;
beforeAll(async () => {
  peer = await startOidcPeer();
});
afterAll(() => peer.close());

const { newHome } = cliFixture();

describe('tokendesk env add: client authentication and the redirect port', () => {
  it('--private-key-file keeps the PEM in the vault only; --client-auth private_key_jwt; login --client-credentials signs the client in with it', async () => {
    const h = newHome();
    const keyFile = join(h.work, 'client-key.pem');
    writeFileSync(keyFile, JWT_CLIENT_KEY_PEM, { mode: 0o600 });
    const add = await h.runInProcess(['env', 'add', 'svc', '--provider', 'oidc', '--url', peer.issuer, '--client-id', JWT_CLIENT, '--client-auth', 'private_key_jwt', '--private-key-file', keyFile, '--scope', 'openid']);
    expect(add.code, add.stderr).toBe(0);
    const body = JWT_CLIENT_KEY_PEM.split('\n')[1]!;
    expect(h.folderText()).not.toContain(body);
    const show = await h.runInProcess(['env', 'show', 'svc', '--json']);
    expect(JSON.parse(show.stdout)).toMatchObject({ settings: { clientAuth: 'private_key_jwt' }, secretSettings: { privateKey: true } });
    expect(show.stdout).not.toContain(body);
    const login = await h.runInProcess(['login', '--env', 'svc', '--client-credentials']);
    expect(login.code, login.stderr).toBe(0);
  });

  it('--client-auth takes only the methods it knows, and a key file that is not a file is said plainly; nothing is added', async () => {
    const h = newHome();
    const bad = await h.runInProcess(['env', 'add', 'idp', '--provider', 'oidc', '--url', peer.issuer, '--client-id', PUBLIC_CLIENT, '--client-auth', 'client_secret_jwt']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/choose one of none, client_secret_basic, client_secret_post, private_key_jwt, not "client_secret_jwt"/);
    const folder = await h.runInProcess(['env', 'add', 'idp', '--provider', 'oidc', '--url', peer.issuer, '--client-id', PUBLIC_CLIENT, '--private-key-file', h.work]);
    expect(folder.code).not.toBe(0);
    expect(folder.stderr).toMatch(/it is not a file/);
    expect((await h.runInProcess(['env', 'list', '--json'])).stdout).not.toContain('"idp"');
  });

  it('env show names the redirect URI to register: any port by default, the fixed one once set', async () => {
    const h = newHome();
    expect((await h.runInProcess(['env', 'add', 'idp', '--provider', 'oidc', '--url', peer.issuer, '--client-id', PUBLIC_CLIENT])).code).toBe(0);
    const random = await h.runInProcess(['env', 'show', 'idp']);
    expect(random.stdout).toMatch(/redirect URI:\s+http:\/\/127\.0\.0\.1\/callback \(register it; the port is chosen at each sign-in\)/);
    expect((await h.runInProcess(['env', 'edit', 'idp', '--redirect-port', '8765'])).code).toBe(0);
    const fixed = await h.runInProcess(['env', 'show', 'idp', '--json']);
    expect(JSON.parse(fixed.stdout)).toMatchObject({ redirectUri: 'http://127.0.0.1:8765/callback', settings: { redirectPort: '8765' } });
    const badPort = await h.runInProcess(['env', 'edit', 'idp', '--redirect-port', '70000']);
    expect(badPort.code).not.toBe(0);
    expect(badPort.stderr).toMatch(/a port is a number from 1 to 65535, not "70000"/);
  });

  it('login with a fixed redirect port another program holds: a specific error naming the port, no browser opened', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as { port: number }).port;
    try {
      const h = newHome();
      expect((await h.runInProcess(['env', 'add', 'idp', '--provider', 'oidc', '--url', peer.issuer, '--client-id', PUBLIC_CLIENT, '--redirect-port', String(port)])).code).toBe(0);
      const login = await h.runInProcess(['login', '--env', 'idp', '--method', 'browser']);
      expect(login.code).not.toBe(0);
      expect(login.stderr).toContain(`Port ${port} on 127.0.0.1 is in use by another program`);
      expect(h.openedUrls()).toEqual([]);
    } finally {
      holder.close();
    }
  });
});
