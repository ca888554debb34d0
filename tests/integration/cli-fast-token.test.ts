import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import { PROVIDER_KINDS } from '../../src-main/contract/providers.js';
import { CONFIG_VERSION, ConfigSchema } from '../../src-main/core/config/schema.js';
import { startDemoServer } from '../../src-main/core/demo-server/index.js';
import { keychainService } from '../../src-main/core/secrets/keytar.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { createVaultStore } from '../../src-main/core/secrets/vault.js';
import { EMPTY_PROFILE, splitSession } from '../../src-main/core/sessions/session-codec.js';
import { DATA_KEY_ACCOUNT } from '../../src-main/core/secrets/vault-peek.js';
import { serviceRecordFile } from '../../src-main/core/secrets/service-record.js';
import { CLI, CliHome, cliFixture, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable } from '../helpers/cli.js';
import { movableClock } from '../helpers/clock.js';

/**
 * `tokendesk token` answers from a fast path (src-main/cli/fast-token.ts) when the session is valid,
 * and from the full CLI otherwise. Each case runs both ways — as is, and with TOKENDESK_FAST_PATH=0 —
 * and expects the same stdout, stderr and exit status; the start-up trace says which path answered.
 */

const unreachable = await keychainUnreachable();
const { demoHome, newHome, signedIn } = cliFixture({ demo: true });
const TRACE = /^tokendesk-trace: .*$\n?/gm;

interface Answer {
  code: number | null;
  stdout: string;
  stderr: string;
  /** 'fast' when the fast path printed the token, else the fallback's reason. */
  path: string;
  /** The fast path loaded keytar (and so asked the keychain) before it answered or stepped aside. */
  touchedKeychain: boolean;
}

async function ask(h: CliHome, args: string[], fast: boolean): Promise<Answer> {
  const r = await h.run(['token', ...args], { env: { TOKENDESK_TRACE_STARTUP: '1', ...(fast ? {} : { TOKENDESK_FAST_PATH: '0' }) } });
  const trace = r.stderr.match(TRACE)?.join('') ?? '';
  const path = /fast path: fallback \((.*)\)/.exec(trace)?.[1] ?? (trace.includes(' token printed') ? 'fast' : 'none');
  return { code: r.code, stdout: r.stdout, stderr: r.stderr.replace(TRACE, ''), path, touchedKeychain: trace.includes(' keytar loaded') };
}

/** Both ways; `between` puts the folder back as it was (the full path may move a bad file aside). */
async function bothWays(h: CliHome, args: string[], between: () => void = () => undefined): Promise<{ fast: Answer; full: Answer }> {
  const fast = await ask(h, args, true);
  between();
  const full = await ask(h, args, false);
  expect(full.path).toBe('turned off');
  const { path: _f, touchedKeychain: _t, ...fastSeen } = fast;
  const { path: _g, touchedKeychain: _u, ...fullSeen } = full;
  expect(fastSeen).toEqual(fullSeen);
  return { fast, full };
}

describe.skipIf(unreachable !== undefined)('tokendesk token: fast path and full CLI agree', { timeout: 90_000 }, () => {
  it('the built entry holds no commander, zod or axios: they load only with the full CLI', () => {
    const entry = readFileSync(CLI, 'utf8');
    for (const dep of ['commander', 'zod', 'axios']) expect(entry).not.toContain(`node_modules/${dep}/`);
    // Nor node:crypto (the fast path loads it while the keychain answers: vault-format.ts nodeCrypto)
    // or node:perf_hooks (only the start-up trace needs it): each costs milliseconds of every start.
    expect(entry).not.toMatch(/require\(["']node:(crypto|perf_hooks)["']\)/);
    expect(existsSync(join(CLI, '..', 'program.mjs'))).toBe(true);
  });

  it('no --env and no default: the only environment somebody is signed in to, on both paths; two of them: exit 2 on both', async () => {
    const h = await demoHome();
    const login = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'test@test.com', '--no-remember'], { input: 'stringstring\n' });
    expect(login.code, login.stderr).toBe(0);
    const guessed = await bothWays(h, []);
    expect(guessed.fast.path).toBe('fast');
    expect(guessed.fast.code).toBe(0);
    expect(guessed.fast.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(guessed.fast.stdout).toBe((await h.run(['token', '--env', DEMO_SESSION])).stdout);

    const other = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n' });
    expect(other.code, other.stderr).toBe(0);
    const ambiguous = await bothWays(h, []);
    expect(ambiguous.fast.path).toBe('config: no environment to guess');
    expect(ambiguous.fast.code).toBe(2);
    expect(ambiguous.fast.stdout).toBe('');
    expect(ambiguous.fast.stderr).toMatch(/^tokendesk: which environment\? Pass --env NAME/);
  });

  it('a valid session: the same token, from the fast path; also with --email, the default environment and TOKENDESK_ENV', async () => {
    const h = await signedIn();
    const plain = await bothWays(h, ['--env', DEMO_SUPABASE]);
    expect(plain.fast.path).toBe('fast');
    expect(plain.fast.code).toBe(0);
    expect(plain.fast.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(plain.fast.stderr).toBe('');

    const byEmail = await bothWays(h, ['-e', 'demo session api', '--email', 'RESTRICTED@test.com']);
    expect(byEmail.fast.path).toBe('fast');
    expect(byEmail.fast.stdout).toMatch(/^[0-9a-f]{64}\n$/);

    expect((await h.run(['env', 'use', DEMO_SESSION])).code).toBe(0);
    const byDefault = await bothWays(h, []);
    expect(byDefault.fast.path).toBe('fast');
    expect(byDefault.fast.stdout).toBe(byEmail.fast.stdout);

    const viaVariable = await h.run(['token'], { env: { TOKENDESK_ENV: DEMO_SUPABASE } });
    expect(viaVariable.stdout).toBe(plain.fast.stdout);
  });

  // Identities keyed by id (config version 2) may have no email: a pasted token that names nobody, a
  // phone user. One such identity turned the fast path off for every environment of the config.
  it.each([
    ['with an email', (kind: string) => ({ email: `${kind}@x.test` })],
    ['without an email (config version 2)', () => ({})],
  ])('a config with an environment of every catalogue kind, identities %s: the fresh session of each is printed by the fast path, as the full CLI prints it', async (_what, emailOf) => {
    // A kind the fast path did not know turned it off for every environment of the config (issue 20).
    // Written directly, with no provider's server: a kind only needs its catalogue entry to be served.
    const h = newHome();
    chmodSync(h.dir, 0o700); // as the full CLI leaves its folder; an open one is the full CLI's to fix
    const config = {
      version: CONFIG_VERSION,
      environments: PROVIDER_KINDS.map((kind) => ({ id: `env-${kind}`, name: `Env ${kind}`, provider: kind, baseUrl: 'https://api.example.com', createdAt: 1 })),
      identities: PROVIDER_KINDS.map((kind) => ({ id: `id-${kind}`, envId: `env-${kind}`, subject: `user-${kind}`, ...emailOf(kind), createdAt: 1 })),
    };
    expect(ConfigSchema.safeParse(config).success).toBe(true);
    writeFileSync(join(h.dir, 'config.json'), JSON.stringify(config));
    // Each session as the core stores it: its tokens half (session-codec.ts), sealed in the vault in one write.
    const token = (kind: string) => `tok.${kind}.${'ab'.repeat(16)}`;
    const t = Date.now();
    await createVaultStore(h.dir).apply(
      PROVIDER_KINDS.map((kind) => [
        secretKeys.session(`id-${kind}`),
        splitSession({ provider: kind, accessToken: token(kind), obtainedAt: t - 1000, expiresAt: t + 3600_000, profile: EMPTY_PROFILE }).tokens,
      ]),
    );
    for (const kind of PROVIDER_KINDS) {
      const { fast } = await bothWays(h, ['--env', `Env ${kind}`]);
      expect(fast.path, kind).toBe('fast');
      expect(fast.code).toBe(0);
      expect(fast.stdout).toBe(`${token(kind)}\n`);
    }
  });

  it('unknown environment, nobody signed in, unknown email, no default: the full CLI answers, same message and status', async () => {
    const h = await signedIn();
    const unknown = await bothWays(h, ['--env', 'Nowhere']);
    expect(unknown.fast.path).toBe('config: no plain target');
    expect(unknown.fast.stderr).toMatch(/^tokendesk: No environment named "Nowhere"/);
    expect(unknown.fast.code).toBe(1);
    // Answered from the config alone: no keychain read, so no "allow access?" or unlock prompt for a typo.
    expect(unknown.fast.touchedKeychain).toBe(false);

    const email = await bothWays(h, ['--env', DEMO_SUPABASE, '--email', 'nobody@x.test']);
    expect(email.fast.code).toBe(4);
    expect(email.fast.touchedKeychain).toBe(false);

    const noDefault = await bothWays(h, []);
    expect(noDefault.fast.code).toBe(2);
    expect(noDefault.fast.stderr).toContain('which environment?');

    expect((await h.run(['logout', '--env', DEMO_SUPABASE])).code).toBe(0);
    const signedOut = await bothWays(h, ['--env', DEMO_SUPABASE]);
    expect(signedOut.fast.path).toBe('session: missing, due or unusual');
    expect(signedOut.fast.code).toBe(4);
    expect(signedOut.fast.stdout).toBe('');
  });

  it('a tampered config: the fast path steps aside and the full CLI reports it (and moves it aside) as always', async () => {
    const h = await signedIn();
    const file = join(h.dir, 'config.json');
    const good = readFileSync(file, 'utf8');
    const stamp = (a: Answer) => ({ ...a, stderr: a.stderr.replace(/corrupt-[\w.-]+/g, 'corrupt-STAMP') });
    for (const change of [
      (c: { settings: Record<string, unknown> }) => (c.settings.marginSeconds = 'soon'),
      (c: { environments: Array<Record<string, unknown>> }) => c.environments.push({ ...c.environments[0], id: 'copy' }), // duplicate name
      (c: { identities: Array<Record<string, unknown>> }) => (c.identities[0]!.envId = 'gone'),
    ] as Array<(c: never) => void>) {
      const bad = JSON.parse(good) as never;
      change(bad);
      writeFileSync(file, JSON.stringify(bad));
      const fast = stamp(await ask(h, ['--env', DEMO_SUPABASE], true));
      writeFileSync(file, JSON.stringify(bad));
      const full = stamp(await ask(h, ['--env', DEMO_SUPABASE], false));
      expect(fast.path).toBe('config: no plain target');
      expect({ ...fast, path: '' }).toEqual({ ...full, path: '' });
      expect(fast.code).toBe(1);
      expect(fast.stdout).toBe('');
      expect(fast.stderr).toMatch(/^tokendesk: The configuration could not be read .*moved to/);
      writeFileSync(file, good);
    }
    expect(readdirSync(h.dir).filter((f) => f.startsWith('config.json.corrupt-')).length).toBeGreaterThan(0);
    expect((await ask(h, ['--env', DEMO_SUPABASE], true)).path).toBe('fast');
  });

  it('a folder open to other users: the fast path hands over, and the full CLI makes it private before printing', async () => {
    const h = await signedIn();
    chmodSync(h.dir, 0o755);
    const fast = await ask(h, ['--env', DEMO_SUPABASE], true);
    expect(fast.path).toBe('folder open to other users');
    expect(fast.touchedKeychain).toBe(false);
    expect(fast.code, fast.stderr).toBe(0);
    expect(fast.stdout).toMatch(/^eyJ/);
    // The full CLI's rule (fs/private-folder.ts) ran: the folder is private again, and the fast path answers.
    expect(statSync(h.dir).mode & 0o777).toBe(0o700);
    expect((await ask(h, ['--env', DEMO_SUPABASE], true)).path).toBe('fast');
  });

  it('config.json or secrets.vault as a symbolic link: no token printed, the full CLI refuses naming the path', async () => {
    const h = await signedIn();
    for (const name of ['config.json', 'secrets.vault']) {
      const file = join(h.dir, name);
      const real = join(h.work, `${name}.real`);
      renameSync(file, real);
      symlinkSync(real, file);
      const { fast } = await bothWays(h, ['--env', DEMO_SUPABASE]);
      expect(fast.path).not.toBe('fast');
      expect(fast.stdout).toBe('');
      expect(fast.code).toBe(1);
      expect(fast.stderr).toContain(file);
      rmSync(file);
      renameSync(real, file);
    }
  });

  it('the vault key gone from the keychain: the same vault_key_missing message, and the vault is left alone', async () => {
    const h = await signedIn();
    const vault = readFileSync(join(h.dir, 'secrets.vault'));
    expect(await keytar.deletePassword(keychainService(h.dir), DATA_KEY_ACCOUNT)).toBe(true);
    const { fast } = await bothWays(h, ['--env', DEMO_SUPABASE]);
    expect(fast.path).toBe('vault: not in the steady state');
    expect(fast.code).toBe(1);
    expect(fast.stderr).toMatch(/^tokendesk: The key of the secrets vault .* is gone from the OS keychain/);
    expect(readFileSync(join(h.dir, 'secrets.vault'))).toEqual(vault);
  });

  it("a folder an earlier version made (no record of its keychain service): the full CLI answers and records it; then the fast path does", async () => {
    const h = await signedIn();
    rmSync(serviceRecordFile(h.dir));
    const first = await bothWays(h, ['--env', DEMO_SUPABASE]);
    expect(first.fast.path).toBe('no recorded keychain service');
    expect(first.fast.touchedKeychain).toBe(false);
    expect(first.fast.stdout).toMatch(/^eyJ/);
    expect(readFileSync(serviceRecordFile(h.dir), 'utf8')).toBe(`${keychainService(h.dir)}\n`);
    const next = await ask(h, ['--env', DEMO_SUPABASE], true);
    expect(next.path).toBe('fast');
    expect(next.stdout).toBe(first.fast.stdout);
  });
});

describe.skipIf(unreachable !== undefined)('tokendesk token: a due session', { timeout: 90_000 }, () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('falls back to the full CLI, which renews once; the renewed token then comes from the fast path', async () => {
    // 10 min tokens (a 120 s margin), signed in 500 s ago: the binary, on the real clock, finds about
    // 100 s left. The sign-in runs in process, it and the server with their clock set back, since a
    // binary's cannot be; then the server's clock is brought back to now.
    const clock = movableClock(-500_000);
    const demo = await startDemoServer({ port: 0, accessTokenTtlSeconds: 600, now: clock.now });
    const h = new CliHome();
    cleanups.push(() => demo.close(), () => h.cleanup());
    expect((await h.run(['demo-setup', '--url', demo.url])).code).toBe(0);
    expect((await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n', now: clock.now })).code).toBe(0);
    // The token as signed in (fresh on that clock): what the renewal must replace.
    const first = await h.runInProcess(['token', '--env', DEMO_SUPABASE], { now: clock.now });
    expect(first.code, first.stderr).toBe(0);
    expect(demo.stats.refreshGrants).toBe(0);
    clock.advance(500_000);

    const due = await ask(h, ['--env', DEMO_SUPABASE], true);
    expect(due.path).toBe('session: missing, due or unusual');
    expect(due.code).toBe(0);
    expect(due.stderr).toBe('');
    expect(due.stdout).not.toBe(first.stdout);
    expect(demo.stats.refreshGrants).toBe(1);

    const { fast } = await bothWays(h, ['--env', DEMO_SUPABASE]);
    expect(fast.path).toBe('fast');
    expect(fast.stdout).toBe(due.stdout);
    expect(demo.stats.refreshGrants).toBe(1);
  });
});
