import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startDemoServer } from '../../src-main/core/demo-server/index.js';
import { openCore } from '../../src-main/core/open.js';
import { keychainService } from '../../src-main/core/secrets/keytar.js';
import { DATA_KEY_ACCOUNT, vaultFile } from '../../src-main/core/secrets/vault-peek.js';
import { decodeDataKey, readHeader } from '../../src-main/core/secrets/vault-format.js';
import { deleteAllForHome } from '../../src-main/core/secrets/keychain.js';
import { childScripts, root } from '../helpers/child-script.js';
import { cliFixture, DEMO_SUPABASE, keychainUnreachable } from '../helpers/cli.js';
import { makeHome } from '../helpers/home.js';

/**
 * A `secrets.vault` put back from an older copy (a backup, a sync conflict, a file copied by hand)
 * must not bring a signed-out session back, nor hand a spent refresh token to the server; a writer
 * killed between the vault and the keychain write must not look like one.
 */
const unreachable = await keychainUnreachable();
const { demo, signedIn } = cliFixture({ demo: true });
const bundle = childScripts('vault-rollback-');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const keychainGeneration = async (home: string) => decodeDataKey((await keytar.getPassword(keychainService(home), DATA_KEY_ACCOUNT))!)!.generation;
const vaultGeneration = (home: string) => readHeader(readFileSync(vaultFile(home))).generation;

describe.skipIf(unreachable !== undefined)('a vault restored from an older copy', { timeout: 90_000 }, () => {
  it('after a sign-out, the old file put back: token refuses (fast path and full CLI), says so, and asks nothing of the server; start-over then works', async () => {
    const h = await signedIn();
    const token = await h.run(['token', '--env', DEMO_SUPABASE]);
    expect(token.code, token.stderr).toBe(0);
    const backup = readFileSync(vaultFile(h.dir));
    expect((await h.run(['logout', '--env', DEMO_SUPABASE])).code).toBe(0);
    writeFileSync(vaultFile(h.dir), backup);

    const requests = demo().stats.requests;
    for (const env of [{}, { TOKENDESK_FAST_PATH: '0' }] as Array<Record<string, string>>) {
      const r = await h.run(['token', '--env', DEMO_SUPABASE], { env });
      expect(r.stdout).toBe('');
      expect(r.code).toBe(1); // as for any vault problem
      expect(r.stderr).toMatch(/^tokendesk: The secrets vault .* was restored from an older copy .*tokendesk vault start-over\n$/);
    }
    expect(demo().stats.requests).toBe(requests);
    expect(readFileSync(vaultFile(h.dir))).toEqual(backup);

    const over = await h.run(['vault', 'start-over', '--yes']);
    expect(over.code, over.stderr).toBe(0);
    expect(over.stdout).toMatch(/moved to .*secrets\.vault\.abandoned-/);
    const after = await h.run(['token', '--env', DEMO_SUPABASE]);
    expect(after.code).toBe(4); // signed out, as it was before the copy came back
    expect(after.stdout).toBe('');
  });

  it('from before two renewals: the spent refresh token is never sent (the server would revoke the session)', async () => {
    let clock = Date.now();
    const now = () => clock;
    // Reuse interval 0: a refresh token sent again revokes its whole family (GoTrue's code default).
    const server = await startDemoServer({ port: 0, now, refreshReuseIntervalSeconds: 0 });
    const home = makeHome('tokendesk-rollback-it-');
    cleanups.push(() => server.close(), async () => {
      await deleteAllForHome(home.dir).catch(() => undefined);
      await home.cleanup();
    });
    const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
    const core = openCore({ home: home.dir, now });
    await core.envs.add({ name: 'staging', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey });
    await core.sessions.signIn('staging', { email: owner.email, password: owner.password });
    const backup = readFileSync(vaultFile(home.dir));
    for (let i = 0; i < 2; i++) {
      clock += 3_600_000; // past the expiry: each call renews
      await core.sessions.getFreshToken('staging');
    }
    expect(server.stats.refreshGrants).toBe(2);
    writeFileSync(vaultFile(home.dir), backup);

    clock += 3_600_000;
    const requests = server.stats.requests;
    // A new process (the CLI) and the running one (the app) both refuse.
    for (const c of [openCore({ home: home.dir, now }), core]) {
      await expect(c.sessions.getFreshToken('staging')).rejects.toMatchObject({ code: 'vault_rolled_back' });
    }
    expect(server.stats.requests).toBe(requests);
    expect(server.stats.familyRevocations).toBe(0);
  });

  it('a writer killed (kill -9) between writing the vault and the keychain item: the next token works and brings the item up', async () => {
    const h = await signedIn();
    const first = await h.run(['token', '--env', DEMO_SUPABASE]);
    expect(first.code, first.stderr).toBe(0);
    const marker = join(h.work, 'vault-written');
    // The real store on the real keychain, whose keychain write of the key item never returns: by
    // then the vault is on disk; the test kills the process there.
    const child = await bundle(
      'write-then-hang',
      `import { writeFileSync } from 'node:fs';
       import keytar from 'keytar';
       import { createKeychainStore } from ${JSON.stringify(join(root, 'src-main/core/secrets/keychain.ts'))};
       const [home, marker] = process.argv.slice(2);
       const hanging = { ...keytar, setPassword: (service, account, password) => {
         if (account !== '.tokendesk-vault-key') return keytar.setPassword(service, account, password);
         writeFileSync(marker, 'x');
         return new Promise(() => setInterval(() => undefined, 1000));
       } };
       await createKeychainStore(home, { keytar: hanging }).set('env/e1/api_key', 'written-before-the-kill');`,
    );
    const before = await keychainGeneration(h.dir);
    const proc = spawn(process.execPath, [child, h.dir, marker], { stdio: 'ignore' });
    const exited = new Promise((r) => proc.once('exit', r));
    const deadline = Date.now() + 15_000;
    while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(existsSync(marker), 'the child never reached the keychain write').toBe(true);
    proc.kill('SIGKILL');
    await exited;
    expect(vaultGeneration(h.dir)).toBe(before! + 1);
    expect(await keychainGeneration(h.dir)).toBe(before);

    const next = await h.run(['token', '--env', DEMO_SUPABASE]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toBe(first.stdout);
    expect(await keychainGeneration(h.dir)).toBe(vaultGeneration(h.dir));
    const secrets = await openCore({ home: h.dir }).secrets.loadAll();
    expect(secrets.get('env/e1/api_key')).toBe('written-before-the-kill');
  });
});
