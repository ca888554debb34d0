import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ownerEntryName } from '../../src-main/core/locks/owned-lock.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { createAppService } from '../../src-main/core/app/service.js';
import { vaultFile } from '../../src-main/core/secrets/vault-peek.js';
import { keyFile } from '../../src-main/core/secrets/passphrase-keychain.js';
import { CliHome, onTerminal } from '../helpers/cli.js';

/**
 * A machine without a Secret Service (SSH, WSL, a container, CI): the session bus points nowhere, so
 * the keychain cannot be reached, whatever the test runner has. TOKENDESK_SECRET_STORE=file is the
 * explicit way out: the vault's key wrapped with a passphrase (secrets/passphrase-keychain.ts).
 */
const NO_BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/tokendesk-test-bus', XDG_RUNTIME_DIR: '/nonexistent' };
let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(() => demo.close());
const homes: CliHome[] = [];
afterEach(async () => {
  for (const h of homes.splice(0)) await h.cleanup();
});

function home(): { h: CliHome; env: Record<string, string>; passphraseFile: string } {
  const h = new CliHome();
  homes.push(h);
  const passphraseFile = join(h.work, 'passphrase');
  writeFileSync(passphraseFile, 'correct horse battery staple\n', { mode: 0o600 });
  return { h, passphraseFile, env: { ...NO_BUS, TOKENDESK_SECRET_STORE: 'file', TOKENDESK_PASSPHRASE_FILE: passphraseFile } };
}

describe('no Secret Service: the passphrase file store', { timeout: 90_000 }, () => {
  it('env add, login, token (fast path and full CLI), exec and status work end to end against the demo server', async () => {
    const { h, env } = home();
    const add = await h.run(['env', 'add', 'staging', '--provider', 'supabase', '--url', demo.url, '--anon-key', '-'], { env, input: `${demo.anonKey}\n` });
    expect(add.code, add.stderr).toBe(0);
    const login = await h.run(['login', '--env', 'staging', '--email', 'owner@connectgain.test'], { env, input: 'demo-password\n' });
    expect(login.code, login.stderr).toBe(0);
    expect(statSync(keyFile(h.dir)).mode & 0o777).toBe(0o600);
    // Nothing readable without the passphrase: neither the key file nor the vault holds the token in clear.
    const token = await h.run(['token', '--env', 'staging'], { env: { ...env, TOKENDESK_TRACE_STARTUP: '1' } });
    expect(token.code, token.stderr).toBe(0);
    expect(token.stderr).toContain('token printed'); // the fast path answered
    const jwt = token.stdout.trim();
    expect(jwt).toMatch(/^eyJ/);
    for (const f of [keyFile(h.dir), vaultFile(h.dir)]) expect(readFileSync(f).toString('latin1')).not.toContain(jwt);
    const full = await h.run(['token', '--env', 'staging'], { env: { ...env, TOKENDESK_FAST_PATH: '0' } });
    expect(full.stdout.trim()).toBe(jwt);

    const exec = await h.sh(`tokendesk exec --env staging -- sh -c 'curl -sS -f "$TOKENDESK_URL/auth/v1/user" -H "apikey: $TOKENDESK_ANON_KEY" -H "Authorization: $TOKENDESK_AUTH_HEADER"'`, { env });
    expect(exec.code, exec.stderr).toBe(0);
    expect(JSON.parse(exec.stdout)).toMatchObject({ email: 'owner@connectgain.test' });

    const status = await h.run(['status', '--json'], { env });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).secretStore).toEqual({ kind: 'file', keyFile: keyFile(h.dir), chosenBy: 'variable' });
    const text = await h.run(['status'], { env });
    expect(text.stdout).toMatch(/Secrets: encrypted vault, its key in the passphrase-protected file .*secrets\.key \(chosen by TOKENDESK_SECRET_STORE=file\)/);

    // Chosen by the config's setting instead, the variable unset: status names the setting, not the variable.
    const cfgPath = join(h.dir, 'config.json');
    const cfg = JSON.parse(readFileSync(cfgPath, 'utf8')) as { settings: Record<string, unknown> };
    writeFileSync(cfgPath, JSON.stringify({ ...cfg, settings: { ...cfg.settings, secretStore: 'file' } }));
    const bySetting = { ...env, TOKENDESK_SECRET_STORE: '' };
    const viaSetting = await h.run(['status'], { env: bySetting });
    expect(viaSetting.code, viaSetting.stderr).toBe(0);
    expect(viaSetting.stdout).toMatch(/passphrase-protected file .*secrets\.key \(chosen by the secretStore setting "file" in config\.json\)/);
    expect(viaSetting.stdout).not.toContain('TOKENDESK_SECRET_STORE');
    expect(JSON.parse((await h.run(['status', '--json'], { env: bySetting })).stdout).secretStore).toMatchObject({ kind: 'file', chosenBy: 'setting' });
  });

  it('on a terminal without TOKENDESK_PASSPHRASE_FILE: a hidden prompt, asked twice when the key file is made, once per process after', async () => {
    const { h, env } = home();
    const { TOKENDESK_PASSPHRASE_FILE: _gone, ...withoutFile } = env;
    // The demo's anon key is public: given as an argument here, so the only questions are the passphrase's.
    const add = await onTerminal(h.env(withoutFile), ['env', 'add', 'staging', '--provider', 'supabase', '--url', demo.url, '--anon-key', demo.anonKey], [
      ['New passphrase for the TokenDesk secrets key file: ', 'typed passphrase\r'],
      ['Repeat the passphrase: ', 'typed passphrase\r'],
    ]);
    expect(add.unanswered, add.output).toEqual([]);
    expect(add.code, add.output).toBe(0);
    // The store is unlocked before the password is asked: the environment's keys are read first, so a
    // missing one is said before the user types a password for nothing.
    const login = await onTerminal(h.env(withoutFile), ['login', '--env', 'staging', '--email', 'owner@connectgain.test', '--no-remember'], [
      ['Passphrase of the TokenDesk secrets key file: ', 'typed passphrase\r'],
      ['Password for owner@connectgain\\.test', 'demo-password\r'],
    ]);
    expect(login.unanswered, login.output).toEqual([]);
    expect(login.code, login.output).toBe(0);
    expect(login.output.match(/Passphrase of the TokenDesk/g)).toHaveLength(1);
    // The same passphrase from the file opens what the prompt made.
    writeFileSync(env.TOKENDESK_PASSPHRASE_FILE!, 'typed passphrase');
    const token = await h.run(['token', '--env', 'staging'], { env });
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout).toMatch(/^eyJ/);
  });

  it('on a terminal, the start\'s sweep never asks for the passphrase: a command without the vault runs unasked; the sweep runs once the command unlocked', async () => {
    const { h, env } = home();
    const add = await h.run(['env', 'add', 'staging', '--provider', 'supabase', '--url', demo.url, '--anon-key', '-'], { env, input: `${demo.anonKey}\n` });
    expect(add.code, add.stderr).toBe(0);
    const login = await h.run(['login', '--env', 'staging', '--email', 'owner@connectgain.test'], { env, input: 'demo-password\n' });
    expect(login.code, login.stderr).toBe(0);
    // What a sign-in killed before its config write leaves: its identity's lock folder (sessions/interrupted-sign-ins.ts).
    // Its holder is dead (a pid that has exited, on this host), so the lock is taken over at once.
    const leftover = join(h.dir, 'locks', '5b0c1a52-killed-sign-in.refresh');
    const dead = spawnSync('true').pid;
    mkdirSync(join(leftover, ownerEntryName({ pid: dead, host: hostname(), nonce: randomUUID() })), { recursive: true, mode: 0o700 });
    const { TOKENDESK_PASSPHRASE_FILE: _gone, ...withoutFile } = env;
    const list = await onTerminal(h.env(withoutFile), ['env', 'list'], []);
    expect(list.output).not.toMatch(/Passphrase/);
    expect(list.code, list.output).toBe(0);
    expect(list.output).toContain('staging');
    expect(existsSync(leftover)).toBe(true);
    // A command that opens the vault asks once; the sweep then runs with that unlock, asking nothing more.
    const token = await onTerminal(h.env({ ...withoutFile, TOKENDESK_FAST_PATH: '0' }), ['token', '--env', 'staging'], [
      ['Passphrase of the TokenDesk secrets key file: ', 'correct horse battery staple\r'],
    ]);
    expect(token.unanswered, token.output).toEqual([]);
    expect(token.code, token.output).toBe(0);
    expect(token.output.match(/Passphrase of the TokenDesk/g)).toHaveLength(1);
    expect(existsSync(leftover)).toBe(false);
  });

  it('the window says which store keeps the key: the token panel\'s "Stored in" names the passphrase-protected file', async () => {
    const { h, env } = home();
    const service = createAppService({ home: h.dir, shell: 'web', scheduler: false, demoPort: 0, env: { ...process.env, ...env } });
    try {
      const state = await service.handle('startDemo', {});
      expect(state.keychain).toEqual({ ok: true });
      const supa = state.environments.find((e) => e.provider === 'supabase')!;
      const identity = await service.handle('signIn', { envId: supa.id, email: 'owner@connectgain.test', password: 'demo-password', remember: false });
      const details = await service.handle('getTokenDetails', { identityId: identity.id, reveal: false });
      expect(details.storage).toBe('Encrypted vault (its key in a passphrase-protected file: TOKENDESK_SECRET_STORE=file)');
      expect(statSync(keyFile(h.dir)).isFile()).toBe(true);
    } finally {
      await service.close();
    }
  });

  it('a wrong passphrase is refused with its own error, and the vault and key file are left as they were', async () => {
    const { h, env, passphraseFile } = home();
    const add = await h.run(['env', 'add', 'staging', '--provider', 'supabase', '--url', demo.url, '--anon-key', '-'], { env, input: `${demo.anonKey}\n` });
    expect(add.code, add.stderr).toBe(0);
    const login = await h.run(['login', '--env', 'staging', '--email', 'owner@connectgain.test'], { env, input: 'demo-password\n' });
    expect(login.code, login.stderr).toBe(0);
    const before = [readFileSync(vaultFile(h.dir)), readFileSync(keyFile(h.dir))];
    writeFileSync(passphraseFile, 'not the passphrase\n');
    for (const args of [['token', '--env', 'staging'], ['logout', '--env', 'staging'], ['env', 'edit', 'staging', '--api-key', 'k']]) {
      const r = await h.run(args, { env });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^tokendesk: Wrong passphrase for the secrets key file .*nothing was read or changed\n$/);
    }
    expect([readFileSync(vaultFile(h.dir)), readFileSync(keyFile(h.dir))]).toEqual(before);
  });

  it('a passphrase file others may read: refused by the fast path and the full CLI alike, no token printed, nothing changed', async () => {
    const { h, env, passphraseFile } = home();
    const add = await h.run(['env', 'add', 'staging', '--provider', 'supabase', '--url', demo.url, '--anon-key', '-'], { env, input: `${demo.anonKey}\n` });
    expect(add.code, add.stderr).toBe(0);
    const login = await h.run(['login', '--env', 'staging', '--email', 'owner@connectgain.test'], { env, input: 'demo-password\n' });
    expect(login.code, login.stderr).toBe(0);
    const before = readFileSync(vaultFile(h.dir));
    chmodSync(passphraseFile, 0o644);
    for (const fast of ['1', '0']) {
      const r = await h.run(['token', '--env', 'staging'], { env: { ...env, TOKENDESK_FAST_PATH: fast } });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^tokendesk: TOKENDESK_PASSPHRASE_FILE \(.*\) is open to other users \(mode 0644\), so it was not used: run chmod 600/);
    }
    expect(readFileSync(vaultFile(h.dir))).toEqual(before);
  });

  it('no passphrase in a pipe: a specific error at once (no prompt waits), nothing stored', async () => {
    const { h, env } = home();
    const { TOKENDESK_PASSPHRASE_FILE: _gone, ...withoutFile } = env;
    const r = await h.run(['env', 'add', 'staging', '--provider', 'supabase', '--url', demo.url, '--anon-key', '-'], { env: withoutFile, input: `${demo.anonKey}\n` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tokendesk: The file secret store \(TOKENDESK_SECRET_STORE=file\) needs its passphrase .*TOKENDESK_PASSPHRASE_FILE/m);
    expect(() => statSync(keyFile(h.dir))).toThrow();
    expect(() => statSync(vaultFile(h.dir))).toThrow();
  });

  it('without the variable and without a Secret Service: refused as before, and the error names TOKENDESK_SECRET_STORE=file', async () => {
    const { h } = home();
    const r = await h.run(['env', 'add', 'staging', '--provider', 'supabase', '--url', demo.url, '--anon-key', '-'], { env: NO_BUS, input: `${demo.anonKey}\n` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/keychain is unavailable.*TOKENDESK_SECRET_STORE=file/);
    expect(() => statSync(keyFile(h.dir))).toThrow();
    expect(() => statSync(vaultFile(h.dir))).toThrow();
  });
});

/**
 * The store chosen is not the one holding the vault's key (a cron job or an IDE task without the
 * variable, a config.json moved aside with its setting, or `file` on a keychain folder): the key is
 * not lost, so it says which choice opens the vault and never offers or allows starting over.
 */
describe('the wrong store chosen: the key is not "gone", and nothing is moved aside', { timeout: 90_000 }, () => {
  async function signedIn(env: Record<string, string>, h: CliHome): Promise<void> {
    const add = await h.run(['env', 'add', 'staging', '--provider', 'supabase', '--url', demo.url, '--anon-key', '-'], { env, input: `${demo.anonKey}\n` });
    expect(add.code, add.stderr).toBe(0);
    const login = await h.run(['login', '--env', 'staging', '--email', 'owner@connectgain.test'], { env, input: 'demo-password\n' });
    expect(login.code, login.stderr).toBe(0);
  }

  it('a file-store folder run without TOKENDESK_SECRET_STORE (the keychain reachable): names TOKENDESK_SECRET_STORE=file; start-over refused', async () => {
    const { h, env } = home();
    await signedIn(env, h);
    const vault = readFileSync(vaultFile(h.dir));
    // What a cron job sees: no variable, a working keychain that has no key for this folder.
    for (const args of [['token', '--env', 'staging'], ['status']]) {
      const r = await h.run(args, { env: { TOKENDESK_PASSPHRASE_FILE: env.TOKENDESK_PASSPHRASE_FILE! } });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/is in the passphrase-protected file .*secrets\.key, not in the OS keychain.*set TOKENDESK_SECRET_STORE=file/);
      expect(r.stderr).not.toMatch(/gone from the OS keychain|start-over|Start over/);
    }
    const over = await h.run(['vault', 'start-over', '--yes'], {});
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/TOKENDESK_SECRET_STORE=file.*nothing to start over/);
    expect(readFileSync(vaultFile(h.dir))).toEqual(vault);
    // The window: the banner has no start-over (App.tsx offers it only for vault_key_missing / vault_rolled_back).
    const service = createAppService({ home: h.dir, shell: 'web', scheduler: false, demoPort: 0, env: { ...process.env, TOKENDESK_SECRET_STORE: '' } });
    try {
      expect((await service.handle('getState', {})).keychain).toMatchObject({ ok: false, code: 'secret_store_mismatch' });
      await expect(service.handle('startOverVault', {})).rejects.toMatchObject({ code: 'secret_store_mismatch' });
    } finally {
      await service.close();
    }
    expect(readFileSync(vaultFile(h.dir))).toEqual(vault);
    // And the right choice still opens it.
    const token = await h.run(['token', '--env', 'staging'], { env });
    expect(token.code, token.stderr).toBe(0);
  });

  it('a keychain folder run with TOKENDESK_SECRET_STORE=file: names the keychain; start-over refused, nothing written', async () => {
    const { h, env } = home();
    await signedIn({}, h);
    const vault = readFileSync(vaultFile(h.dir));
    const asFile = { TOKENDESK_SECRET_STORE: 'file', TOKENDESK_PASSPHRASE_FILE: env.TOKENDESK_PASSPHRASE_FILE! };
    const r = await h.run(['token', '--env', 'staging'], { env: asFile });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is in the OS keychain, not in a passphrase-protected file.*unset TOKENDESK_SECRET_STORE/);
    expect(r.stderr).not.toMatch(/gone from the OS keychain|start-over/);
    const over = await h.run(['vault', 'start-over', '--yes'], { env: asFile });
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/in the OS keychain.*nothing to start over/);
    expect(readFileSync(vaultFile(h.dir))).toEqual(vault);
    expect(() => statSync(keyFile(h.dir))).toThrow();
  });

  it('the key file really gone on a machine without a keychain: still vault_key_missing, start-over allowed', async () => {
    const { h, env } = home();
    await signedIn(env, h);
    rmSync(keyFile(h.dir));
    const token = await h.run(['token', '--env', 'staging'], { env });
    expect(token.code).toBe(1);
    expect(token.stderr).toMatch(/^tokendesk: The key file .*secrets\.key of the secrets vault .* is gone .*tokendesk vault start-over\n$/);
    const r = await h.run(['vault', 'start-over', '--yes'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/The old vault was moved to/);
  });
});
