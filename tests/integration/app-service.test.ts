import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppService } from '../../src-main/core/app/service.js';
import { DEMO_CREDENTIALS } from '../../src-main/core/demo-server/index.js';
import { openCore } from '../../src-main/core/open.js';
import { TokenDeskError } from '../../src-main/core/errors.js';
import type { AppEvent } from '../../src-main/contract/types.js';
import { closeAppService, openAppService, type AppService, type TestHome } from '../helpers/app-service.js';
import { makeHome } from '../helpers/home.js';
import { startHostileAuthServer } from '../helpers/hostile-auth-server.js';

const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
const restricted = DEMO_CREDENTIALS.session.find((c) => c.email.startsWith('restricted'))!;

describe('app service (the contract the renderer talks to)', () => {
  let home: TestHome;
  let service: AppService;
  beforeEach(() => {
    ({ home, service } = openAppService());
  });
  afterEach(() => closeAppService({ home, service }));

  async function demo() {
    const state = await service.handle('startDemo', {});
    const supa = state.environments.find((e) => e.provider === 'supabase')!;
    const sess = state.environments.find((e) => e.provider === 'session')!;
    return { state, supa, sess };
  }

  it('first run offers nothing; the demo adds one environment per API with its keys in the keychain', async () => {
    expect((await service.handle('getState', {})).environments).toEqual([]);
    const { state, supa, sess } = await demo();
    expect(state.demo.running).toBe(true);
    expect(supa.hasAnonKey && supa.hasApiKey).toBe(true);
    expect(sess.identities).toEqual([]);
    expect(readFileSync(service.core.config.path, 'utf8')).not.toContain(DEMO_CREDENTIALS.anonKey);
  });

  it('a copied Authorization + apikey header is accepted by the protected endpoint', async () => {
    const { supa, state } = await demo();
    const identity = await service.handle('signIn', { envId: supa.id, email: owner.email, password: owner.password, remember: false });
    expect(identity.status).toBe('valid');
    const auth = await service.handle('copy', { envId: supa.id, item: { kind: 'authorization-header' } });
    const apikey = await service.handle('copy', { envId: supa.id, item: { kind: 'apikey-header' } });
    expect(auth.label).toContain(owner.email);
    expect(auth.clearsInSeconds).toBe(60);
    const [an, av] = auth.text!.split(': ');
    const [kn, kv] = apikey.text!.split(': ');
    const res = await fetch(`${state.demo.url}/rest/v1/profiles`, { headers: { [an!]: av!, [kn!]: kv! } });
    expect(res.status).toBe(200);
  });

  it('token details are masked unless revealed, and list the decoded claims', async () => {
    const { supa } = await demo();
    const identity = await service.handle('signIn', { envId: supa.id, email: owner.email, password: owner.password, remember: false });
    const masked = await service.handle('getTokenDetails', { identityId: identity.id, reveal: false });
    expect(masked.token).toBeUndefined();
    expect(masked.masked).toContain('•');
    expect(masked.claims?.email).toBe(owner.email);
    // Opening a link is a shell's job: the core refuses it out loud instead of answering "not opened".
    await expect(service.handle('openExternal', { url: 'https://supabase.com/docs' })).rejects.toMatchObject({ code: 'unsupported' });
    // Names this OS's keychain (the tests run on Linux: the Secret Service).
    expect(masked.storage).toEqual(process.platform === 'linux' ? 'Encrypted vault (its key in the Secret Service keyring)' : expect.any(String));
    const revealed = await service.handle('getTokenDetails', { identityId: identity.id, reveal: true });
    expect(revealed.token?.split('.').length).toBe(3);
    const vars = await service.handle('listVariables', { envId: supa.id });
    const jwtVar = vars.find((v) => v.key === 'user_jwt_token')!;
    expect(jwtVar.secret).toBe(true);
    expect(jwtVar.preview).not.toBe(revealed.token);
  });

  it('shows accounts, roles and permissions of a session-API identity and switches account', async () => {
    const { sess } = await demo();
    const identity = await service.handle('signIn', { envId: sess.id, email: restricted.email, password: restricted.password, remember: true });
    expect(identity.canRenew).toBe(true);
    const accounts = identity.profile!.accounts;
    expect(accounts.filter((a) => a.primary)).toHaveLength(1);
    const other = accounts.find((a) => !a.primary)!;
    const switched = await service.handle('setActiveAccount', { identityId: identity.id, accountId: other.id });
    expect(switched.activeAccountId).toBe(other.id);
    const postman = await service.handle('saveExport', { envId: sess.id, format: 'postman', includeSecrets: false });
    const file = JSON.parse(postman.content!) as { values: { key: string; value: string; type: string }[] };
    expect(file.values.find((v) => v.key === 'account_id')?.value).toBe(other.id);
    expect(file.values.find((v) => v.key === 'token')).toMatchObject({ value: '', type: 'secret' });
  });

  it('after picking Globex, the copied header lines and curl line get Globex from the protected endpoint, not Acme', async () => {
    const { sess, state } = await demo();
    expect(sess.accountTransport).toEqual({ kind: 'header', name: 'X-Account-Id' });
    const identity = await service.handle('signIn', { envId: sess.id, email: restricted.email, password: restricted.password, remember: false });
    const globex = identity.profile!.accounts.find((a) => a.name === 'Globex')!;
    await service.handle('setActiveAccount', { identityId: identity.id, accountId: globex.id });
    const names = async (lines: string) => {
      const headers = Object.fromEntries(lines.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
      const r = await fetch(`${state.demo.url}/api/applications`, { headers });
      expect(r.status).toBe(200);
      return ((await r.json()) as { name: string }[]).map((a) => a.name);
    };
    const auth = await service.handle('copy', { envId: sess.id, item: { kind: 'authorization-header' } });
    expect(auth.label).toBe(`Authorization and X-Account-Id headers for ${restricted.email} · Globex (${sess.name})`);
    expect(await names(auth.text!)).toEqual(['Globex Payroll', 'Globex Intranet']);
    const all = await service.handle('copy', { envId: sess.id, item: { kind: 'headers' } });
    expect(await names(all.text!)).toEqual(['Globex Payroll', 'Globex Intranet']);
    expect((await service.handle('copy', { envId: sess.id, item: { kind: 'account-header' } })).text).toBe(`X-Account-Id: ${globex.id}`);
    const curl = await service.handle('copy', { envId: sess.id, item: { kind: 'curl' } });
    expect(curl.text).toContain(`-H 'X-Account-Id: ${globex.id}'`);
    // A session that cannot renew itself says so, and when to warn.
    const view = (await service.handle('getState', {})).environments.find((e) => e.id === sess.id)!.identities[0]!;
    expect(view).toMatchObject({ canRenew: false, renewal: 'none', canRememberPassword: true });
    expect(view.endWarningAt).toBe(view.expiresAt! - 10 * 60_000);
  });

  it('Postman variables: bulk-edit key:value lines; the refresh token only when asked, with the reason', async () => {
    const { supa } = await demo();
    await service.handle('signIn', { envId: supa.id, email: owner.email, password: owner.password, remember: false });
    const bulk = await service.handle('copy', { envId: supa.id, item: { kind: 'postman-bulk-edit' } });
    const lines = bulk.text!.split('\n');
    expect(lines[0]).toMatch(/^url:http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines).toContain('refresh_token:');
    expect(bulk.omitted).toEqual([expect.stringMatching(/single-use/)]);
    const withRefresh = await service.handle('copy', { envId: supa.id, item: { kind: 'postman-bulk-edit', includeRefreshToken: true } });
    expect(withRefresh.text!.split('\n').find((l) => l.startsWith('refresh_token:'))!.length).toBeGreaterThan('refresh_token:'.length + 5);
    expect(withRefresh.omitted).toBeUndefined();
    const json = await service.handle('copy', { envId: supa.id, item: { kind: 'postman-variables' } });
    expect((JSON.parse(json.text!) as Record<string, string>).refresh_token).toBe('');
    const file = await service.handle('saveExport', { envId: supa.id, format: 'dotenv', includeSecrets: true });
    // Left out: no line at all (issue 25), and the note in the file says why.
    expect(file.content).not.toMatch(/^REFRESH_TOKEN=/m);
    expect(file.content).toMatch(/^# The refresh token was left out/m);
    const ident = (await service.handle('getState', {})).environments.find((e) => e.id === supa.id)!.identities[0]!;
    expect(ident).toMatchObject({ renewal: 'refresh_token', canRenew: true, canRememberPassword: false });
    expect(ident.endWarningAt).toBeUndefined();
  });

  it('the form and the CLI share one URL rule: a password in the URL or a provider path is refused, naming the field', async () => {
    await expect(service.handle('addEnvironment', { name: 'x', provider: 'session', baseUrl: 'https://me:hunter2@api.example.com' })).rejects.toThrow(
      /^Invalid environment: URL: the URL contains a user name or password \(user:password@…\)\. That is a secret/,
    );
    await expect(service.handle('addEnvironment', { name: 'y', provider: 'session', baseUrl: 'http://127.0.0.1:3000/api/auth' })).rejects.toThrow(/URL: the URL ends in \/api\/auth: give the API root/);
    expect((await service.handle('getState', {})).environments).toEqual([]);
  });

  it('a malformed import says what is wrong and changes nothing', async () => {
    await demo();
    const before = readFileSync(service.core.config.path, 'utf8');
    await expect(service.handle('importPostman', { fileName: 'x.json', text: '{"name": "x"}' })).rejects.toBeInstanceOf(TokenDeskError);
    await expect(service.handle('importPostman', { fileName: 'x.json', text: 'not json' })).rejects.toThrow(/JSON/);
    expect(readFileSync(service.core.config.path, 'utf8')).toBe(before);
  });

  it('moving an environment to another server from the window: production needs the confirm, the sessions end, an import asks first', async () => {
    const { supa, sess } = await demo();
    await service.handle('signIn', { envId: supa.id, email: owner.email, password: owner.password, remember: false });
    await service.handle('signIn', { envId: sess.id, email: restricted.email, password: restricted.password, remember: true });
    await service.handle('updateEnvironment', { id: supa.id, patch: { production: true } });
    // Nothing listens there: a session sent to it would fail loudly, and none may be.
    const elsewhere = 'http://127.0.0.1:9';
    const view = async (envId: string) => (await service.handle('getState', {})).environments.find((e) => e.id === envId)!;

    const refused = await service.handle('updateEnvironment', { id: supa.id, patch: { baseUrl: elsewhere } }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'confirmation_required', message: expect.stringContaining('is a production environment') });
    expect(await view(supa.id)).toMatchObject({ baseUrl: supa.baseUrl, identities: [{ status: 'valid' }] });

    const moved = await service.handle('updateEnvironment', { id: supa.id, patch: { baseUrl: elsewhere, confirmOriginChange: true } });
    expect(moved.baseUrl).toBe(elsewhere);
    expect(moved.identities[0]).toMatchObject({ status: 'error', lastError: expect.stringContaining(`changed from ${supa.baseUrl} to ${elsewhere}`) });
    expect(moved.identities[0]!.expiresAt).toBeUndefined();
    // The window hears who was signed out (the old server was told: no warning), and the keys given for the old server are gone.
    expect(moved).toMatchObject({ signedOut: [owner.email], hasAnonKey: false, hasApiKey: false });
    expect(moved.warnings).toBeUndefined();

    const file = JSON.stringify({ name: sess.name, values: [{ key: 'url', value: elsewhere, enabled: true }] });
    const asked = await service.handle('importPostman', { fileName: 'moved.json', text: file }).catch((e: unknown) => e);
    expect(asked).toMatchObject({ code: 'confirmation_required', message: expect.stringContaining(`The file would update the existing environment "${sess.name}"`) });
    expect(await view(sess.id)).toMatchObject({ baseUrl: sess.baseUrl, identities: [{ status: 'valid', rememberPassword: true }] });

    const imported = await service.handle('importPostman', { fileName: 'moved.json', text: file, confirmUrlChange: true });
    expect(imported).toMatchObject({ created: false, signedOut: [restricted.email], environment: { baseUrl: elsewhere } });
    expect(imported.environment.identities[0]).toMatchObject({ status: 'error', rememberPassword: false });
  });

  it('a move whose old server cannot be reached still signs out, and the answer says the session could not be ended there', async () => {
    const old = await startHostileAuthServer();
    const env = await service.handle('addEnvironment', { name: 'gone', provider: 'session', baseUrl: old.url });
    await service.handle('signIn', { envId: env.id, email: 'dev@example.test', password: 'pw', remember: false });
    await old.close();
    const moved = await service.handle('updateEnvironment', { id: env.id, patch: { baseUrl: 'http://127.0.0.1:9' } });
    expect(moved.signedOut).toEqual(['dev@example.test']);
    expect(moved.warnings).toEqual([expect.stringContaining(`The session of dev@example.test could not be ended at ${old.url}`)]);
    // An edit that moves nothing says nothing more.
    const renamed = await service.handle('updateEnvironment', { id: env.id, patch: { label: 'old' } });
    expect(renamed.signedOut).toBeUndefined();
    expect(renamed.warnings).toBeUndefined();
  });

  it('a signed-out identity can be removed from the list; a signed-in one is refused and kept (issue 25)', async () => {
    const { sess } = await demo();
    const identity = await service.handle('signIn', { envId: sess.id, email: restricted.email, password: restricted.password, remember: false });
    const refused = await service.handle('forgetIdentity', { identityId: identity.id }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TokenDeskError);
    expect((refused as TokenDeskError).message).toBe(`${restricted.email} is signed in: sign out first, then remove it from the list`);
    const listed = async () => (await service.handle('getState', {})).environments.find((e) => e.id === sess.id)!.identities.map((i) => i.email);
    expect(await listed()).toEqual([restricted.email]);

    await service.handle('signOut', { identityId: identity.id });
    expect(await service.handle('forgetIdentity', { identityId: identity.id })).toEqual({ forgotten: restricted.email });
    expect(await listed()).toEqual([]);
    expect((await service.handle('getState', {})).environments.find((e) => e.id === sess.id)!.activeIdentityId).toBeUndefined();
  });

  it('a change made by the CLI (another core on the same folder) reaches the app as an event', async () => {
    await service.handle('getState', {});
    const events: AppEvent[] = [];
    service.onEvent((e) => events.push(e));
    const cli = openCore({ home: home.dir });
    await cli.envs.add({ name: 'from-cli', provider: 'session', baseUrl: 'http://127.0.0.1:9' });
    await expect.poll(() => events.some((e) => e.type === 'state-changed' && e.reason === 'config'), { timeout: 3000 }).toBe(true);
    expect((await service.handle('getState', {})).environments.map((e) => e.name)).toContain('from-cli');
  });
});

describe('app start-up maintenance', () => {
  it('deletes keychain entries nothing refers to and moves plaintext secrets an older version wrote into the keychain', async () => {
    const home = makeHome();
    try {
      const core = openCore({ home: home.dir });
      await core.envs.add({ name: 'Local', provider: 'session', baseUrl: 'http://127.0.0.1:1' });
      // What a killed `env remove` leaves: secrets of an environment and an identity config.json no longer lists.
      await core.secrets.set('env/gone-env/api_key', 'orphan-api-key');
      await core.secrets.set('identity/gone-identity/session', '{"orphan":true}');
      // What an older TokenDesk let into config.json as a plain variable.
      const text = readFileSync(core.config.path, 'utf8').replace('"variables": {}', '"variables": { "db_pass": "hunter2-older", "region": "eu-west-1" }');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(core.config.path, text);

      const service = createAppService({ home: home.dir, shell: 'web', scheduler: false, maintenance: true, demoPort: 0 });
      const removed = await service.maintenance;
      await service.close();
      expect(removed.sort()).toEqual(['env/gone-env/api_key', 'identity/gone-identity/session']);
      const all = await core.secrets.loadAll();
      expect([...all.values()]).not.toContain('orphan-api-key');
      expect([...all.values()]).toContain('hunter2-older');
      const config = readFileSync(core.config.path, 'utf8');
      expect(config).not.toContain('hunter2-older');
      expect(config).toContain('eu-west-1');
    } finally {
      home.cleanup();
    }
  });
});
