import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { plainTokenArgs } from '../../src-main/cli/fast-args.js';
import { targetNeedsSessions, tokenTarget } from '../../src-main/cli/fast-config.js';
import { guessedEnvironmentId } from '../../src-main/cli/fast-default-env.js';
import { freshAccessToken } from '../../src-main/cli/fast-session.js';
import { PROVIDER_KINDS } from '../../src-main/contract/providers.js';
import { CONFIG_VERSION, ConfigSchema } from '../../src-main/core/config/schema.js';
import { findEnvironment } from '../../src-main/core/environments/service.js';
import { isBearerToken } from '../../src-main/core/providers/token-syntax.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { createVaultStore } from '../../src-main/core/secrets/vault.js';
import { askDataKey, peekVault } from '../../src-main/core/secrets/vault-peek.js';
import { keychainService } from '../../src-main/core/secrets/keytar.js';
import { decodeSession, EMPTY_PROFILE, splitSession } from '../../src-main/core/sessions/session-codec.js';
import { isTokenSyntax } from '../../src-main/core/stored-rules.js';
import { isDue } from '../../src-main/core/sessions/margin.js';
import { SessionManager } from '../../src-main/core/sessions/manager.js';
import { KeytarFake } from '../helpers/keytar-fake.js';
import { makeHome } from '../helpers/home.js';

/**
 * The fast path of `tokendesk token` (src-main/cli/fast-*.ts) re-implements, without zod, what the
 * full path decides. Each check here holds it to the full path's own code on the same input: it may
 * step aside (undefined) where the full path would answer, never answer differently.
 */

const now = Date.UTC(2026, 0, 1);
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';

describe('token syntax: stored-rules.ts (the fast path) and token-syntax.ts (the providers, with reasons)', () => {
  const samples = [
    JWT, 'abc', 'a=', 'a==', '=a', 'a=b', 'a b', 'a\nb', 'a\u0000', '', 'ü', 'a'.repeat(16 * 1024), 'a'.repeat(16 * 1024 + 1),
    'A-._~+/9', '0123456789abcdef'.repeat(4), 'a\r', '\t', 'tok;en', 'tok"en',
  ];
  it.each(samples.map((s) => [JSON.stringify(s).slice(0, 40), s]))('%s: same answer as token-syntax.ts', (_, s) => {
    expect(isTokenSyntax(s)).toBe(isBearerToken(s));
  });
});

describe('session entry', () => {
  const entry = (o: Record<string, unknown>) => JSON.stringify({ provider: 'supabase', accessToken: JWT, refreshToken: 'r1', obtainedAt: now - 60_000, expiresAt: now + 3600_000, ...o });
  /** What the full path hands out without renewing: the decoded session's token when not due. */
  const full = (text: string, margin: number) => {
    const s = decodeSession(text);
    return s && !isDue(s, now, margin) ? s.accessToken : undefined;
  };
  const cases: Array<[string, string]> = [
    ['valid', entry({})],
    ['no refresh token', entry({ refreshToken: undefined })],
    ['session API', entry({ provider: 'session', accessToken: 'ab'.repeat(32) })],
    ['inside the margin', entry({ expiresAt: now + 60_000 })],
    ['expired', entry({ expiresAt: now - 1 })],
    ['short-lived, margin scaled down', entry({ obtainedAt: now - 2_000, expiresAt: now + 10_000 })],
    ['lifetime beyond a year (clamped, then due)', entry({ obtainedAt: now - 366 * 86_400_000, expiresAt: now + 86_400_000 })],
    ['unknown provider', entry({ provider: 'oauth' })],
    ['token with a space', entry({ accessToken: 'a b' })],
    ['token with a line break', entry({ accessToken: `${JWT}\nX-Evil: 1` })],
    ['refresh token with a line break', entry({ refreshToken: 'r\n1' })],
    ['refresh token null', entry({ refreshToken: null })],
    ['time not a number', entry({ expiresAt: '9999999999999' })],
    ['time beyond a Date', entry({ expiresAt: 1e300 })],
    ['not an object', '[1]'],
    ['not JSON', '{'],
    ['null', 'null'],
  ];
  it.each(cases)('%s: the token only where the full path would hand out the same one', (_, text) => {
    for (const margin of [0, 120, 3600]) {
      const fast = freshAccessToken(text, margin, now);
      if (fast !== undefined) expect(fast).toBe(full(text, margin));
    }
  });
  it('hands the token out in the plain case, and steps aside when due or for an entry with its profile inside', () => {
    expect(freshAccessToken(entry({}), 120, now)).toBe(JWT);
    expect(freshAccessToken(entry({ obtainedAt: now - 3600_000, expiresAt: now + 60_000 }), 120, now)).toBeUndefined();
    expect(freshAccessToken(entry({ profile: { userId: 'u', email: 'e', accounts: [], roles: [], permissions: [], permissionsFromRoles: [] } }), 120, now)).toBeUndefined();
    expect(freshAccessToken(undefined, 120, now)).toBeUndefined();
  });
});

describe('config fields', () => {
  const env = (id: string, name: string, extra: Record<string, unknown> = {}) => ({ id, name, provider: 'supabase', baseUrl: 'https://a.example.com', createdAt: 1, ...extra });
  const identity = (id: string, envId: string, email: string) => ({ id, envId, subject: `u-${id}`, email, createdAt: 1 });
  const base = () => ({
    version: 2,
    environments: [env('e1', 'Staging'), env('e2', 'Prod')],
    identities: [identity('i1', 'e1', 'a@x.test'), identity('i2', 'e1', 'B@x.test'), identity('i3', 'e2', 'c@x.test')],
    activeIdentity: { e1: 'i2' } as Record<string, unknown>,
    settings: { marginSeconds: 30, clipboardClearSeconds: 60, cliDefaultEnvironment: 'e2' } as Record<string, unknown>,
  });
  type Cfg = ReturnType<typeof base> & Record<string, unknown>;

  /** The full path: the schema, envRef's default, findEnvironment, findIdentity; undefined where it refuses. */
  function fullTarget(json: unknown, ref: string | undefined, email: string | undefined) {
    const parsed = ConfigSchema.safeParse(json);
    if (!parsed.success) return undefined;
    const cfg = parsed.data;
    // default-env.ts: --env, the `env use` default, else the guess (sessions unknown here: the only environment).
    const envRef = ref ?? cfg.environments.find((e) => e.id === cfg.settings.cliDefaultEnvironment)?.id ?? guessedEnvironmentId(cfg.environments.map((e) => e.id));
    if (envRef === undefined) return undefined;
    try {
      const e = findEnvironment(cfg, envRef);
      const i = SessionManager.findIdentity(cfg, e, email);
      return { envId: e.id, identityId: i.id, marginSeconds: cfg.settings.marginSeconds };
    } catch {
      return undefined;
    }
  }

  const tampered: Array<[string, (c: Cfg) => void]> = [
    ['as written', () => undefined],
    ['future version', (c) => (c.version = 2)],
    ['no version', (c) => delete (c as Partial<Cfg>).version],
    ['margin a string', (c) => (c.settings.marginSeconds = '30')],
    ['margin negative', (c) => (c.settings.marginSeconds = -5)],
    ['margin fractional', (c) => (c.settings.marginSeconds = 1.5)],
    ['margin too large', (c) => (c.settings.marginSeconds = 999_999)],
    ['margin absent (default 120)', (c) => delete c.settings.marginSeconds],
    ['settings absent', (c) => delete (c as Partial<Cfg>).settings],
    ['settings null', (c) => (c.settings = null as never)],
    ['default env unknown', (c) => (c.settings.cliDefaultEnvironment = 'nope')],
    ['default env a number', (c) => (c.settings.cliDefaultEnvironment = 7)],
    ['duplicate environment name', (c) => c.environments.push(env('e3', 'staging'))],
    ['duplicate environment id', (c) => c.environments.push(env('e1', 'Other'))],
    ['environment name empty', (c) => (c.environments[0]!.name = '')],
    ['environment id too long', (c) => (c.environments[0]!.id = 'x'.repeat(101))],
    ['provider unknown', (c) => (c.environments[0]!.provider = 'ldap')],
    ['identity of a missing environment', (c) => c.identities.push(identity('i9', 'gone', 'z@x.test'))],
    ['identity email a number', (c) => ((c.identities[1] as Record<string, unknown>).email = 5)],
    ['identity email empty', (c) => (c.identities[1]!.email = '')],
    ['active identity elsewhere', (c) => (c.activeIdentity.e1 = 'i3')],
    ['active identity unknown', (c) => (c.activeIdentity.e1 = 'ghost')],
    ['active identity a number', (c) => (c.activeIdentity.e1 = 2)],
    ['activeIdentity an array', (c) => (c.activeIdentity = [] as never)],
    ['environments not an array', (c) => (c.environments = {} as never)],
    ['identities absent', (c) => delete (c as Partial<Cfg>).identities],
    ['environment null', (c) => c.environments.push(null as never)],
  ];
  const lookups: Array<[string | undefined, string | undefined]> = [
    ['Staging', undefined], ['staging', undefined], ['e1', undefined], ['STAGING', 'a@X.test'], ['Staging', 'nobody@x.test'],
    [undefined, undefined], [undefined, 'c@x.test'], ['Nope', undefined], ['e2', 'a@x.test'],
  ];
  it.each(tampered)('%s: a target only where the full path finds the same one', (_, change) => {
    const c = base() as Cfg;
    change(c);
    for (const [ref, email] of lookups) {
      const fast = tokenTarget(JSON.stringify(c), ref, email);
      if (fast !== undefined) expect(fast, `${ref} ${email}`).toEqual(fullTarget(c, ref, email));
    }
  });
  it('answers the plain lookups: name in any case, id, default, active identity, email', () => {
    const text = JSON.stringify(base());
    expect(tokenTarget(text, 'staging', undefined)).toEqual({ envId: 'e1', identityId: 'i2', marginSeconds: 30 });
    expect(tokenTarget(text, 'e1', 'a@X.TEST')).toEqual({ envId: 'e1', identityId: 'i1', marginSeconds: 30 });
    expect(tokenTarget(text, undefined, undefined)).toEqual({ envId: 'e2', identityId: 'i3', marginSeconds: 30 });
    expect(tokenTarget(`\uFEFF${text}`, 'Prod', undefined)?.identityId).toBe('i3');
    expect(tokenTarget(text, 'Nope', undefined)).toBeUndefined();
    expect(tokenTarget('{', 'Staging', undefined)).toBeUndefined();
  });
  it('without --env or a default: the only environment, else the only one with a stored session (once the vault is read)', () => {
    const noDefault = base() as Cfg;
    delete noDefault.settings.cliDefaultEnvironment;
    const text = JSON.stringify(noDefault);
    // Two environments with identities: who is signed in decides, so the vault must be read first.
    expect(tokenTarget(text, undefined, undefined)).toBeUndefined();
    expect(targetNeedsSessions(text, undefined, undefined)).toBe(true);
    expect(targetNeedsSessions(text, 'Staging', undefined)).toBe(false);
    expect(tokenTarget(text, undefined, undefined, (id) => id === 'i3')).toEqual({ envId: 'e2', identityId: 'i3', marginSeconds: 30 });
    expect(tokenTarget(text, undefined, undefined, (id) => id === 'i1' || id === 'i2')?.envId).toBe('e1');
    expect(tokenTarget(text, undefined, undefined, () => true)).toBeUndefined();
    expect(tokenTarget(text, undefined, undefined, () => false)).toBeUndefined();
    // One environment: it, without reading the vault.
    const single = { ...noDefault, environments: [noDefault.environments[0]!], identities: noDefault.identities.filter((i) => i.envId === 'e1') };
    expect(targetNeedsSessions(JSON.stringify(single), undefined, undefined)).toBe(false);
    expect(tokenTarget(JSON.stringify(single), undefined, undefined)).toEqual({ envId: 'e1', identityId: 'i2', marginSeconds: 30 });
    // Two environments, nobody ever signed in: nothing to guess from, nothing to read.
    expect(targetNeedsSessions(JSON.stringify({ ...noDefault, identities: [], activeIdentity: {} }), undefined, undefined)).toBe(false);
  });
});

describe('every catalogue kind (contract/providers.ts PROVIDER_KINDS)', () => {
  // One environment of each kind in one config: a kind the fast path did not know turned it off for
  // every environment of the config (issue 20), so each kind is looked up beside all the others.
  const config = {
    version: CONFIG_VERSION,
    environments: PROVIDER_KINDS.map((kind) => ({ id: `env-${kind}`, name: `Env ${kind}`, provider: kind, baseUrl: 'https://a.example.com', createdAt: 1 })),
    identities: PROVIDER_KINDS.map((kind) => ({ id: `id-${kind}`, envId: `env-${kind}`, subject: `user-${kind}`, email: `${kind}@x.test`, createdAt: 1 })),
  };
  it('the config is one the full path reads', () => {
    expect(ConfigSchema.safeParse(config).success).toBe(true);
  });
  it.each([...PROVIDER_KINDS])('%s: its environment is the target, and its fresh session (as the core stores it) gives the token', (kind) => {
    expect(tokenTarget(JSON.stringify(config), `Env ${kind}`, undefined)).toEqual({ envId: `env-${kind}`, identityId: `id-${kind}`, marginSeconds: 120 });
    const { tokens } = splitSession({ provider: kind, accessToken: JWT, obtainedAt: now - 60_000, expiresAt: now + 3600_000, profile: EMPTY_PROFILE });
    expect(decodeSession(tokens)?.accessToken).toBe(JWT);
    expect(freshAccessToken(tokens, 120, now)).toBe(JWT);
  });
  it('an identity without an email (a pasted token that names nobody) leaves the fast path on for every environment', () => {
    const withAnonymous = { ...config, identities: [...config.identities, { id: 'id-anon', envId: 'env-bearer', subject: '3fa2b1c0d9e8', createdAt: 2 }] };
    expect(ConfigSchema.safeParse(withAnonymous).success).toBe(true);
    expect(tokenTarget(JSON.stringify(withAnonymous), 'Env supabase', undefined)).toEqual({ envId: 'env-supabase', identityId: 'id-supabase', marginSeconds: 120 });
    expect(tokenTarget(JSON.stringify(withAnonymous), 'Env bearer', undefined)).toEqual({ envId: 'env-bearer', identityId: 'id-bearer', marginSeconds: 120 });
    // Version 2 needs a subject: without one the file is the full path's (which refuses it).
    const noSubject = { ...config, identities: [{ id: 'x', envId: 'env-session', email: 'a@b.c', createdAt: 1 }] };
    expect(tokenTarget(JSON.stringify(noSubject), 'Env session', undefined)).toBeUndefined();
  });
});

describe('plain arguments', () => {
  const argv = (...a: string[]) => ['node', 'tokendesk', ...a];
  it('takes only token with at most one --env/-e and one --email/-u', () => {
    expect(plainTokenArgs(argv('token'), {})).toEqual({});
    expect(plainTokenArgs(argv('token', '--env', 'X', '-u', 'a@b'), {})).toEqual({ envRef: 'X', email: 'a@b' });
    expect(plainTokenArgs(argv('token', '-e', 'X'), { TOKENDESK_ENV: 'Y' })).toEqual({ envRef: 'X' });
    expect(plainTokenArgs(argv('token'), { TOKENDESK_ENV: 'Y' })).toEqual({ envRef: 'Y' });
    expect(plainTokenArgs(argv('token'), { TOKENDESK_ENV: '  ' })).toEqual({});
    for (const other of [
      argv('header'), argv('--version'), argv('token', '--help'), argv('token', '--env=X'), argv('token', '--env'), argv('token', '--env', ''),
      argv('token', '--env', '-x'), argv('token', '--env', 'a', '--env', 'b'), argv('token', 'extra'), argv('token', '--json', 'x'), argv(),
    ]) {
      expect(plainTokenArgs(other, {}), other.join(' ')).toBeUndefined();
    }
  });
});

describe('vault peek', () => {
  const homes: ReturnType<typeof makeHome>[] = [];
  afterEach(() => {
    for (const h of homes.splice(0)) void h.cleanup();
  });

  it('reads the entries with one keychain read, and a store that takes over in the same process does not read again', async () => {
    const h = makeHome('tokendesk-fast-peek-');
    homes.push(h);
    const fake = new KeytarFake();
    await createVaultStore(h.dir, { keytar: fake.process() }).set(secretKeys.session('i1'), 'tokens');
    const proc = fake.process();
    const entries = await peekVault(h.dir, keychainService(h.dir), askDataKey(proc, keychainService(h.dir)));
    expect(entries?.get(secretKeys.session('i1'))).toBe('tokens');
    expect(proc.reads).toBe(1);
    // The fast path fell back (say the session was due): the full store in the same process.
    const store = createVaultStore(h.dir, { keytar: proc });
    expect(await store.get(secretKeys.session('i1'))).toBe('tokens');
    expect(proc.reads).toBe(1);
  });

  it('steps aside with no vault, no key or a damaged file', async () => {
    const h = makeHome('tokendesk-fast-peek-');
    homes.push(h);
    const fake = new KeytarFake();
    const service = keychainService(h.dir);
    expect(await peekVault(h.dir, service, askDataKey(fake.process(), service))).toBeUndefined(); // nothing yet
    await createVaultStore(h.dir, { keytar: fake.process() }).set(secretKeys.session('i1'), 'tokens');
    const vault = join(h.dir, 'secrets.vault');
    const key = fake.items.get(service)!.get('.tokendesk-vault-key')!;
    fake.items.get(service)!.delete('.tokendesk-vault-key');
    expect(await peekVault(h.dir, service, askDataKey(fake.process(), service))).toBeUndefined(); // key gone
    fake.items.get(service)!.set('.tokendesk-vault-key', key);
    writeFileSync(vault, 'TDVAULT\u0001 not really a vault at all, just some bytes');
    await expect(peekVault(h.dir, service, askDataKey(fake.process(), service))).rejects.toThrow(); // damaged: the full store reports it
    rmSync(vault);
    mkdirSync(vault);
    await expect(peekVault(h.dir, service, askDataKey(fake.process(), service))).rejects.toThrow(); // not a regular file
  });
});
