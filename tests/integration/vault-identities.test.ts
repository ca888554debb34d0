import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core/open.js';
import { DEMO_CREDENTIALS, startDemoServer, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { createKeychainStore } from '../../src-main/core/secrets/keychain.js';
import { keychainService } from '../../src-main/core/secrets/keytar.js';
import { vaultFile } from '../../src-main/core/secrets/vault.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { CRED_MAX_CREDENTIAL_BLOB_SIZE, KeytarFake } from '../helpers/keytar-fake.js';
import { makeHome } from '../helpers/home.js';

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
const many = DEMO_CREDENTIALS.session.find((c) => c.email === 'many@test.com')!;

/** Every file of the config folder except the sealed vault, with its path. */
function plainFiles(dir: string, root = dir): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...plainFiles(p, root));
    else if (p !== vaultFile(root)) out.push([relative(root, p), readFileSync(p, 'latin1')]);
  }
  return out;
}

describe('50 identities, one of them with 5,000 permissions (keytar fake with Windows\' blob limit and per-item read counts)', { timeout: 120_000 }, () => {
  let server: DemoServer;
  const home = makeHome('tokendesk-vault-50-');
  const fake = new KeytarFake();
  let core: Core;
  const passwords: string[] = [];

  beforeAll(async () => {
    server = await startDemoServer({ port: 0 });
    core = openCore({ home: home.dir, secrets: createKeychainStore(home.dir, { keytar: fake.process() }) });
    await core.envs.add({ name: 'supa', provider: 'supabase', baseUrl: server.url, anonKey: server.anonKey, apiKey: server.apiKey });
    await core.envs.add({ name: 'sess', provider: 'session', baseUrl: server.url });
    await core.envs.update('supa', { variables: { db_pass: 'hunter2-db-pass-value' } });
    await core.sessions.signIn('sess', { email: many.email, password: many.password, remember: true });
    passwords.push(many.password);
    await core.sessions.signIn('supa', { email: owner.email, password: owner.password, remember: true });
    passwords.push(owner.password);
    for (let i = 0; i < 48; i++) {
      const password = `pw-${i}-${'x'.repeat(12)}`;
      passwords.push(password);
      const r = await core.sessions.signUp('supa', { email: `user${i}@vault.test`, password });
      expect(r.kind).toBe('session');
    }
  });
  afterAll(async () => {
    await server?.close();
    await home.cleanup();
  });

  it('signs everyone in although the permission-rich session is ~165 KB: no keychain item over 100 bytes', async () => {
    const cfg = await core.config.read();
    expect(cfg.identities).toHaveLength(50);
    const sizes = fake.sizes(keychainService(home.dir));
    expect(sizes.size).toBe(1);
    for (const size of sizes.values()) expect(size).toBeLessThanOrEqual(100);
    expect(100).toBeLessThan(CRED_MAX_CREDENTIAL_BLOB_SIZE);
    const manyId = cfg.identities.find((i) => i.email === many.email)!.id;
    const session = await core.sessions.readSession(manyId);
    expect(session?.profile.permissions.length).toBeGreaterThanOrEqual(5000);
  });

  it('a new process reads the keychain once to load every secret and every session, whatever the number of identities', async () => {
    const p = fake.process();
    const other = openCore({ home: home.dir, secrets: createKeychainStore(home.dir, { keytar: p }) });
    const all = await other.secrets.loadAll();
    expect([...all.keys()].filter((k) => k.endsWith('/session'))).toHaveLength(50);
    const cfg = await other.config.read();
    for (const identity of cfg.identities) {
      const s = await other.sessions.readSession(identity.id);
      expect(s?.profile.email).toBe(identity.email);
    }
    await other.sessions.getFreshToken('sess', many.email);
    expect(p.reads).toBe(1);
  });

  it('no token, password or key in any file of the config folder outside the sealed vault (the vault holds none in clear either)', async () => {
    const all = await core.secrets.loadAll();
    const secrets = new Set<string>([server.anonKey, server.apiKey, 'hunter2-db-pass-value', ...passwords]);
    const cfg = await core.config.read();
    for (const identity of cfg.identities) {
      const s = await core.sessions.readSession(identity.id);
      secrets.add(s!.accessToken);
      if (s!.refreshToken) secrets.add(s!.refreshToken);
    }
    const dataKey = [...fake.items.get(keychainService(home.dir))!.values()][0]!;
    secrets.add(JSON.parse(dataKey).k as string);
    expect(secrets.size).toBeGreaterThan(100);
    expect(all.get(secretKeys.password(cfg.identities[0]!.id))).toBeDefined();
    const files = plainFiles(home.dir);
    expect(files.map(([f]) => f)).toEqual(expect.arrayContaining(['config.json', expect.stringMatching(/^profiles\/.+\.json$/)]));
    for (const [file, text] of files) {
      for (const s of secrets) expect(text.includes(s), `${s.slice(0, 12)}… in ${file}`).toBe(false);
    }
    const sealed = readFileSync(vaultFile(home.dir), 'latin1');
    for (const s of secrets) expect(sealed.includes(s)).toBe(false);
  });
});
