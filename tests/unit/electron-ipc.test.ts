import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import { IPC_CALL_CHANNEL, type ApiMethod } from '../../src-main/contract/api.js';
import type { AppEvent } from '../../src-main/contract/types.js';
import type { AppService } from '../../src-main/core/app/types.js';
import { TokenDeskError } from '../../src-main/core/errors.js';
import { createElectronDispatch, runCall, type ShellActions } from '../../src-main/electron/dispatch.js';
import { chosenFile, PROJECT_FILE_DIALOG } from '../../src-main/electron/project-dialog.js';
import { GENERIC_ERROR_MESSAGE } from '../../src-main/shell-common/envelope.js';
import { handleIpcCall, registerIpc, type IpcMainLike } from '../../src-main/electron/ipc.js';
import { isTrustedSender, type IpcSenderLike } from '../../src-main/electron/policies/navigation.js';

// The page's URL since it is served over app:// (app-protocol.ts).
const APP = 'app://tokendesk/index.html';
const trusted: IpcSenderLike = { senderFrame: { url: APP, parent: null } };

/** A fake core: records every call; answers from a table or throws what it is told to. */
function fakeService(answers: Partial<Record<ApiMethod, unknown>> = {}) {
  const calls: Array<{ method: string; input: unknown }> = [];
  const service: AppService = {
    async handle(method, input) {
      calls.push({ method, input });
      const a = answers[method];
      if (a instanceof Error) throw a;
      return a as never;
    },
    onEvent: (_l: (e: AppEvent) => void) => () => undefined,
    close: async () => undefined,
  };
  return { service, calls };
}

function fakeShell(): ShellActions & { clipboard: Array<[string, number | null]>; saved: Array<[string, string]> } {
  const clipboard: Array<[string, number | null]> = [];
  const saved: Array<[string, string]> = [];
  return {
    clipboard,
    saved,
    writeClipboard: (t, s) => void clipboard.push([t, s]),
    saveFile: async (name, content) => {
      saved.push([name, content]);
      return `/home/me/Downloads/${name}`;
    },
    openLinkSafely: vi.fn(async (url: string) => url.startsWith('https://github.com/')),
    chooseProjectFile: async () => '/home/me/src/shop/tokendesk.json',
  };
}

function setup(answers: Partial<Record<ApiMethod, unknown>> = {}) {
  const { service, calls } = fakeService(answers);
  const shell = fakeShell();
  const dispatch = createElectronDispatch(service, shell);
  const opts = { isTrustedSender: (e: IpcSenderLike) => isTrustedSender(e, APP), onRefused: vi.fn() };
  const call = (method: unknown, input: unknown, event: IpcSenderLike = trusted) => handleIpcCall(dispatch, opts, event, method, input);
  return { calls, shell, call, opts };
}

describe('registerIpc', () => {
  it('registers one handler on the call channel and removes it', async () => {
    const handlers = new Map<string, (e: IpcSenderLike, ...a: unknown[]) => Promise<unknown>>();
    const ipcMain: IpcMainLike = { handle: (c, fn) => void handlers.set(c, fn), removeHandler: (c) => void handlers.delete(c) };
    const { service } = fakeService({ getState: { environments: [] } });
    const off = registerIpc(ipcMain, service, { isTrustedSender: (e) => isTrustedSender(e, APP), shell: fakeShell() });
    expect([...handlers.keys()]).toEqual([IPC_CALL_CHANNEL]);
    expect(await handlers.get(IPC_CALL_CHANNEL)!(trusted, 'getState', {})).toEqual({ ok: true, value: { environments: [] } });
    off();
    expect(handlers.size).toBe(0);
  });
});

describe('handleIpcCall: senders', () => {
  it.each<[string, IpcSenderLike]>([
    ['a foreign page', { senderFrame: { url: 'https://evil.test/', parent: null } }],
    ['an iframe of the app', { senderFrame: { url: APP, parent: {} } }],
    ['a destroyed frame', { senderFrame: null }],
    ['a local file page', { senderFrame: { url: 'file:///app/out/renderer/index.html', parent: null } }],
    ['another app:// host', { senderFrame: { url: 'app://other/index.html', parent: null } }],
  ])('refuses %s without touching the core', async (_name, event) => {
    const { call, calls, opts } = setup({ getState: {} });
    const r = await call('getState', {}, event);
    expect(r).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    expect(calls).toEqual([]);
    expect(opts.onRefused).toHaveBeenCalled();
  });
});

describe('handleIpcCall: hostile or malformed payloads', () => {
  it.each<[string, unknown, unknown, RegExp]>([
    ['unknown method', 'deleteEverything', {}, /Unknown request "deleteEverything"/],
    ['prototype key as method', '__proto__', {}, /Unknown request/],
    ['constructor as method', 'constructor', {}, /Unknown request/],
    ['hasOwnProperty as method', 'hasOwnProperty', {}, /Unknown request/],
    ['non-string method', 42, {}, /Unknown request/],
    ['object as method', { toString: () => 'getState' }, {}, /Unknown request/],
    ['extra key', 'removeEnvironment', { id: 'e1', force: true }, /Invalid request to removeEnvironment/],
    ['missing key', 'removeEnvironment', {}, /Invalid request to removeEnvironment: id/],
    ['wrong type', 'signIn', { envId: 'e1', email: 'a@b.c', password: 7 }, /signIn: password/],
    ['bad email', 'signIn', { envId: 'e1', email: 'nope', password: 'x' }, /Enter an email address/],
    ['array instead of object', 'getState', [], /Invalid request to getState/],
    ['string instead of object', 'removeEnvironment', 'e1', /Invalid request to removeEnvironment/],
    ['overlong id', 'removeEnvironment', { id: 'x'.repeat(101) }, /removeEnvironment: id/],
    ['javascript: base URL', 'addEnvironment', { name: 'x', provider: 'supabase', baseUrl: 'javascript:alert(1)' }, /baseUrl/],
    ['unknown provider', 'addEnvironment', { name: 'x', provider: 'ldap', baseUrl: 'https://a.test' }, /provider/],
    ['unknown copy kind', 'copy', { envId: 'e1', item: { kind: 'refresh-token' } }, /Invalid request to copy: item/],
    ['oversized import', 'importPostman', { fileName: 'a.json', text: 'x'.repeat(5 * 1024 * 1024 + 1) }, /larger than 5 MB/],
    ['negative clear delay', 'updateSettings', { clipboardClearSeconds: -1 }, /clipboardClearSeconds/],
    ['prototype pollution', 'updateSettings', JSON.parse('{"__proto__":{"polluted":true}}'), /Invalid request to updateSettings/],
  ])('%s is rejected with a clear error and no effect', async (_name, method, input, message) => {
    const { call, calls, shell } = setup({ getState: {}, removeEnvironment: { removed: 'e1' }, signIn: {}, updateSettings: {} });
    const r = await call(method, input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_input');
    expect(r.error.message).toMatch(message);
    expect(calls).toEqual([]);
    expect(shell.clipboard).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never echoes a password from a rejected payload', async () => {
    const { call } = setup();
    const r = await call('signIn', { envId: 'e1', email: 'bad', password: 'hunter2-secret' });
    expect(JSON.stringify(r)).not.toContain('hunter2-secret');
  });

  it('passes validated input (with defaults) to the core', async () => {
    const { call, calls } = setup({ signIn: { id: 'i1' } });
    expect(await call('signIn', { envId: 'e1', email: 'a@b.c', password: 'pw' })).toEqual({ ok: true, value: { id: 'i1' } });
    expect(calls).toEqual([{ method: 'signIn', input: { envId: 'e1', email: 'a@b.c', password: 'pw', remember: false } }]);
  });

  it('treats a missing input as {}', async () => {
    const { call } = setup({ getState: { environments: [] } });
    expect(await call('getState', undefined)).toEqual({ ok: true, value: { environments: [] } });
  });
});

describe('handleIpcCall: errors become envelopes', () => {
  it('keeps a TokenDeskError code and message', async () => {
    const { call } = setup({ signIn: new TokenDeskError('invalid_credentials', 'Wrong email or password') });
    expect(await call('signIn', { envId: 'e1', email: 'a@b.c', password: 'pw' })).toEqual({
      ok: false,
      error: { code: 'invalid_credentials', message: 'Wrong email or password' },
    });
  });
  it('replaces any other error text (it may hold a secret) with a generic message', async () => {
    const { call } = setup({ getState: new Error('request failed: Authorization: Bearer eyJhbGciOi.secret') });
    const r = await call('getState', {});
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: GENERIC_ERROR_MESSAGE } });
    expect(JSON.stringify(r)).not.toContain('eyJ');
  });
  it('handles thrown non-errors', async () => {
    const { service } = fakeService();
    service.handle = () => Promise.reject('Bearer abc');
    const r = await runCall(createElectronDispatch(service, fakeShell()), 'getState', {});
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: GENERIC_ERROR_MESSAGE } });
  });
});

describe('Electron shell methods', () => {
  it('copy: main writes the clipboard, the renderer never gets the text', async () => {
    const { call, shell } = setup({ copy: { label: 'Authorization header for a@b.c', clearsInSeconds: 60, text: 'Authorization: Bearer SECRET' } });
    const r = await call('copy', { envId: 'e1', item: { kind: 'authorization-header' } });
    expect(r).toEqual({ ok: true, value: { label: 'Authorization header for a@b.c', clearsInSeconds: 60 } });
    expect(JSON.stringify(r)).not.toContain('SECRET');
    expect(shell.clipboard).toEqual([['Authorization: Bearer SECRET', 60]]);
  });
  it('saveExport: the file is written by main, the content is not returned', async () => {
    const { call, shell } = setup({ saveExport: { fileName: 'staging.postman_environment.json', content: '{"token":"SECRET"}' } });
    const r = await call('saveExport', { envId: 'e1', format: 'postman', includeSecrets: true });
    expect(r).toEqual({ ok: true, value: { fileName: 'staging.postman_environment.json', savedTo: '/home/me/Downloads/staging.postman_environment.json' } });
    expect(shell.saved).toEqual([['staging.postman_environment.json', '{"token":"SECRET"}']]);
  });
  it('saveExport: a cancelled dialog saves nothing', async () => {
    const { service } = fakeService({ saveExport: { fileName: 'a.env', content: 'X=1' } });
    const shell = { ...fakeShell(), saveFile: async () => undefined };
    const r = await runCall(createElectronDispatch(service, shell), 'saveExport', { envId: 'e1', format: 'dotenv', includeSecrets: false });
    expect(r).toEqual({ ok: true, value: { fileName: 'a.env' } });
  });
  it('openProjectFile: the file chosen in the native dialog is linked by the core; a cancelled dialog links nothing', async () => {
    const { call, calls } = setup({ linkProjectFile: { file: '/home/me/src/shop/tokendesk.json' } });
    expect(await call('openProjectFile', {})).toEqual({ ok: true, value: { file: '/home/me/src/shop/tokendesk.json' } });
    expect(calls).toEqual([{ method: 'linkProjectFile', input: { path: '/home/me/src/shop/tokendesk.json' } }]);

    const { service, calls: none } = fakeService({ linkProjectFile: { file: 'x' } });
    const cancelled = { ...fakeShell(), chooseProjectFile: async () => undefined };
    expect(await runCall(createElectronDispatch(service, cancelled), 'openProjectFile', {})).toEqual({ ok: true, value: {} });
    expect(none).toEqual([]);
  });
  it('openProjectFile: a file the core refuses (a secret in it) comes back as its error', async () => {
    const { call } = setup({ linkProjectFile: new TokenDeskError('invalid_input', 'The project file /x/tokendesk.json is not used: environments[0].settings.anonKey: a secret') });
    expect(await call('openProjectFile', {})).toEqual({ ok: false, error: { code: 'invalid_input', message: 'The project file /x/tokendesk.json is not used: environments[0].settings.anonKey: a secret' } });
  });
  it('the project file dialog: one file, tokendesk.json\'s extension first; cancel means none', () => {
    expect(PROJECT_FILE_DIALOG.properties).toEqual(['openFile']);
    expect(PROJECT_FILE_DIALOG.filters[0]).toEqual({ name: 'TokenDesk project file (tokendesk.json)', extensions: ['json'] });
    expect(chosenFile({ canceled: true, filePaths: ['/a/tokendesk.json'] })).toBeUndefined();
    expect(chosenFile({ canceled: false, filePaths: [] })).toBeUndefined();
    expect(chosenFile({ canceled: false, filePaths: ['/a/tokendesk.json'] })).toBe('/a/tokendesk.json');
  });
  it('openExternal goes through the guarded opener, not the core', async () => {
    const { call, calls, shell } = setup();
    expect(await call('openExternal', { url: 'https://github.com/x' })).toEqual({ ok: true, value: { opened: true } });
    expect(await call('openExternal', { url: 'file:///etc/passwd' })).toEqual({ ok: true, value: { opened: false } });
    expect(shell.openLinkSafely).toHaveBeenCalledTimes(2);
    expect(calls).toEqual([]);
  });
});
