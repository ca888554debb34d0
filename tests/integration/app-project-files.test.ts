import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppService } from '../../src-main/core/app/service.js';
import { readProjectFile } from '../../src-main/core/projects/read.js';
import { syncProjectFile } from '../../src-main/core/projects/sync.js';
import type { AppEvent, AppState } from '../../src-main/contract/types.js';
import { makeHome } from '../helpers/home.js';
import { fileModesMissing, skipping, thisMachine } from '../helpers/platform-guards.js';

const modes = skipping('the project file mode check', fileModesMissing(thisMachine())) === undefined;

/** Waits for the service's state to satisfy `ok` after events (the file watch is debounced), at most `ms`. */
async function stateWhen(service: ReturnType<typeof createAppService>, ok: (s: AppState) => boolean, ms = 5000): Promise<AppState> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await service.handle('getState', {});
    if (ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`state never matched: ${JSON.stringify(s.environments.map((e) => [e.name, e.baseUrl]))} ${JSON.stringify(s.projectFiles)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('app service: linked project files (tokendesk.json)', () => {
  let home: Awaited<ReturnType<typeof makeHome>>;
  let repo: string;
  let service: ReturnType<typeof createAppService>;
  beforeEach(() => {
    home = makeHome();
    repo = mkdtempSync(join(tmpdir(), 'tokendesk-repo-'));
    mkdirSync(join(repo, '.git'));
    service = createAppService({ home: home.dir, shell: 'web', scheduler: false, demoPort: 0 });
  });
  afterEach(async () => {
    await service.close();
    await home.cleanup();
    rmSync(repo, { recursive: true, force: true });
  });

  const write = (envs: unknown[]) => writeFileSync(join(repo, 'tokendesk.json'), `${JSON.stringify({ version: 1, default: 'staging', environments: envs }, null, 2)}\n`);

  it('a linked file\'s environments appear marked with it, beside an own one of the same name; an edit on disk is seen by the running service', async () => {
    await service.handle('addEnvironment', { name: 'staging', provider: 'session', baseUrl: 'http://127.0.0.1:4000' });
    write([{ name: 'staging', provider: 'session', url: 'http://127.0.0.1:5000', color: '#16a34a' }]);
    const events: AppEvent[] = [];
    service.onEvent((e) => events.push(e));
    const linked = await service.handle('linkProjectFile', { path: join(repo, 'tokendesk.json') });
    const state = await service.handle('getState', {});
    expect(state.projectFiles).toEqual([{ file: linked.file }]);
    const named = state.environments.filter((e) => e.name === 'staging');
    expect(named.map((e) => [e.baseUrl, e.project?.file ?? null])).toEqual([
      ['http://127.0.0.1:4000', null],
      ['http://127.0.0.1:5000', linked.file],
    ]);
    expect(named[0]!.id).not.toBe(named[1]!.id);

    // A `git pull` changes the file: the running service's state follows, without a restart.
    events.length = 0;
    write([{ name: 'staging', provider: 'session', url: 'http://127.0.0.1:5000', color: '#d92d20', production: true }, { name: 'review', provider: 'bearer', url: 'http://127.0.0.1:6000' }]);
    const after = await stateWhen(service, (s) => s.environments.some((e) => e.name === 'review' && e.project?.file === linked.file));
    expect(after.environments.find((e) => e.project && e.name === 'staging')!.production).toBe(true);
    expect(events.some((e) => e.type === 'state-changed')).toBe(true);

    // A secret added to the file: it is not used, the window says which field, and nothing of it is stored.
    write([{ name: 'staging', provider: 'session', url: 'http://127.0.0.1:5000', variables: { api_token: 'abc123' } }]);
    const refused = await stateWhen(service, (s) => s.projectFiles?.[0]?.error !== undefined);
    expect(refused.projectFiles![0]!.error).toContain('environments[0].variables.api_token');
    expect(readFileSync(service.core.config.path, 'utf8')).not.toContain('abc123');

    // Linked files are remembered: a new service (the next start) reads and watches them again.
    await service.close();
    write([{ name: 'staging', provider: 'session', url: 'http://127.0.0.1:5000' }, { name: 'later', provider: 'session', url: 'http://127.0.0.1:7000' }]);
    service = createAppService({ home: home.dir, shell: 'web', scheduler: false, demoPort: 0 });
    await stateWhen(service, (s) => s.environments.some((e) => e.name === 'later' && e.project?.file === linked.file));
  });

  it('an environment of the file is edited in the file (its unknown fields kept, a secret refused) or copied to the user\'s own', async () => {
    writeFileSync(join(repo, 'tokendesk.json'), `{\n    "version": 1,\n    "environments": [\n        { "name": "staging", "provider": "session", "url": "http://127.0.0.1:5000", "teamNote": "ask #platform" }\n    ]\n}\n`);
    const { file } = await service.handle('linkProjectFile', { path: join(repo, 'tokendesk.json') });
    const env = (await service.handle('getState', {})).environments.find((e) => e.project)!;
    await service.handle('editProjectEnvironment', { envId: env.id, patch: { color: '#16a34a', variables: { organization_id: '42' } }, revision: env.project!.revision! });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('    "version": 1,');
    expect(text).toContain('"teamNote": "ask #platform"');
    expect(JSON.parse(text)).toMatchObject({ environments: [{ color: '#16a34a', variables: { organization_id: '42' } }] });
    expect((await service.handle('getState', {})).environments.find((e) => e.id === env.id)!.variables).toEqual({ organization_id: '42' });
    const current = (await service.handle('getState', {})).environments.find((e) => e.id === env.id)!.project!.revision!;
    await expect(service.handle('editProjectEnvironment', { envId: env.id, patch: { variables: { db_password: 'hunter2hunter2' } }, revision: current })).rejects.toThrow(/variables\.db_password/);
    expect(readFileSync(file, 'utf8')).toBe(text);

    const copy = await service.handle('copyProjectEnvironment', { envId: env.id, name: 'my staging' });
    const own = (await service.handle('getState', {})).environments.find((e) => e.id === copy.id)!;
    expect(own.project).toBeUndefined();
    expect([own.name, own.baseUrl, own.variables]).toEqual(['my staging', 'http://127.0.0.1:5000', { organization_id: '42' }]);
  });

  it('an edit in the file made on an older revision is refused (the file changed on disk meanwhile); the window\'s own edit of a project environment keeps to its keys', async () => {
    write([{ name: 'staging', provider: 'session', url: 'http://127.0.0.1:5000' }]);
    const { file } = await service.handle('linkProjectFile', { path: join(repo, 'tokendesk.json') });
    const before = await service.handle('getState', {});
    const env = before.environments.find((e) => e.project)!;
    const revision = env.project!.revision!;
    // A `git pull` lands while the form is open.
    write([{ name: 'staging', provider: 'session', url: 'http://127.0.0.1:5001' }]);
    const pulled = readFileSync(file, 'utf8');
    await expect(service.handle('editProjectEnvironment', { envId: env.id, patch: { url: 'http://127.0.0.1:6000' }, revision })).rejects.toMatchObject({ code: 'file_changed' });
    expect(readFileSync(file, 'utf8')).toBe(pulled);
    // On the file's current revision the edit goes through, settings and account transport included.
    const now = (await service.handle('getState', {})).environments.find((e) => e.id === env.id)!.project!.revision!;
    expect(now).not.toBe(revision);
    await service.handle('editProjectEnvironment', { envId: env.id, patch: { url: 'http://127.0.0.1:6000', settings: { loginPath: '/login' }, accountTransport: { kind: 'header', name: 'X-Account-Id' } }, revision: now });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ environments: [{ url: 'http://127.0.0.1:6000', settings: { loginPath: '/login' }, accountTransport: { kind: 'header', name: 'X-Account-Id' } }] });
    const edited = (await service.handle('getState', {})).environments.find((e) => e.id === env.id)!;
    expect([edited.baseUrl, edited.settings.loginPath]).toEqual(['http://127.0.0.1:6000', '/login']);

    // updateEnvironment (the own environments' save) changes no field of the file's, naming the file.
    await expect(service.handle('updateEnvironment', { id: env.id, patch: { baseUrl: 'http://127.0.0.1:7000' } })).rejects.toThrow(`comes from the project file ${file}`);
    expect((await service.handle('getState', {})).environments.find((e) => e.id === env.id)!.baseUrl).toBe('http://127.0.0.1:6000');
  });

  it('a project file only the CLI synced (not linked here) is edited on the revision the window shows: a change on disk is not overwritten, and the file does not become linked', async () => {
    const path = join(repo, 'tokendesk.json');
    write([{ name: 'staging', provider: 'session', url: 'http://127.0.0.1:5000', color: '#4f7cff' }]);
    // What a `tokendesk` command run in the repository does: the file's environments synced into config.json, nothing linked.
    await syncProjectFile(service.core, await readProjectFile(path));
    const before = await service.handle('getState', {});
    expect(before.projectFiles).toBeUndefined();
    const env = before.environments.find((e) => e.project)!;
    expect(env.project!.revision).toMatch(/^[0-9a-f]{32}$/);

    // A `git pull` changes the URL while the form is open on the old text: the colour edit is refused, the pulled file kept.
    write([{ name: 'staging', provider: 'session', url: 'http://127.0.0.1:5001', color: '#4f7cff' }]);
    const pulled = readFileSync(path, 'utf8');
    await expect(service.handle('editProjectEnvironment', { envId: env.id, patch: { color: '#16a34a' }, revision: env.project!.revision! })).rejects.toMatchObject({ code: 'file_changed' });
    expect(readFileSync(path, 'utf8')).toBe(pulled);
    // Without a revision nothing is written either.
    await expect(service.handle('editProjectEnvironment', { envId: env.id, patch: { color: '#16a34a' }, revision: null })).rejects.toMatchObject({ code: 'revision_missing' });
    expect(readFileSync(path, 'utf8')).toBe(pulled);

    // The refusal read the file again: on the revision the window now shows, the edit goes through and keeps the pulled URL.
    const reread = (await service.handle('getState', {})).environments.find((e) => e.id === env.id)!;
    expect(reread.baseUrl).toBe('http://127.0.0.1:5001');
    await service.handle('editProjectEnvironment', { envId: env.id, patch: { color: '#16a34a' }, revision: reread.project!.revision! });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ environments: [{ url: 'http://127.0.0.1:5001', color: '#16a34a' }] });
    const after = await service.handle('getState', {});
    expect(after.environments.find((e) => e.id === env.id)!.project!.revision).not.toBe(reread.project!.revision);

    // Still not linked, now or at the next start (a link made by the edit would be remembered unwatched).
    expect(after.projectFiles).toBeUndefined();
    mkdirSync(join(repo, 'api'));
    writeFileSync(join(repo, 'api', 'tokendesk.json'), JSON.stringify({ version: 1, environments: [{ name: 'api', provider: 'bearer', url: 'http://127.0.0.1:6000' }] }));
    const linked = await service.handle('linkProjectFile', { path: join(repo, 'api', 'tokendesk.json') });
    await service.close();
    service = createAppService({ home: home.dir, shell: 'web', scheduler: false, demoPort: 0 });
    const restarted = await stateWhen(service, (s) => s.projectFiles !== undefined);
    expect(restarted.projectFiles).toEqual([{ file: linked.file }]);
  });

  it.skipIf(!modes)('an edit in the file keeps the file\'s mode (not reset to 0644)', async () => {
    write([{ name: 'staging', provider: 'session', url: 'http://127.0.0.1:5000' }]);
    chmodSync(join(repo, 'tokendesk.json'), 0o600);
    const { file } = await service.handle('linkProjectFile', { path: join(repo, 'tokendesk.json') });
    const env = (await service.handle('getState', {})).environments.find((e) => e.project)!;
    await service.handle('editProjectEnvironment', { envId: env.id, patch: { color: '#16a34a' }, revision: env.project!.revision! });
    expect(readFileSync(file, 'utf8')).toContain('#16a34a');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a file with a secret in it is refused when linked, naming the field; nothing is linked', async () => {
    write([{ name: 'staging', provider: 'supabase', url: 'https://abc.supabase.co', settings: { anonKey: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJlc2ln' } }]);
    await expect(service.handle('linkProjectFile', { path: join(repo, 'tokendesk.json') })).rejects.toThrow(/environments\[0\]\.settings\.anonKey/);
    const state = await service.handle('getState', {});
    expect(state.projectFiles).toBeUndefined();
    expect(state.environments).toEqual([]);
  });
});
