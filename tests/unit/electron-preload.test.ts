import { describe, expect, it, vi } from 'vitest';

const exposed = vi.hoisted(() => ({}) as Record<string, unknown>);
const ipc = vi.hoisted(() => ({
  invoke: vi.fn(),
  on: vi.fn(),
  removeListener: vi.fn(),
  send: vi.fn(),
  sendSync: vi.fn(),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
  ipcRenderer: ipc,
}));

import { apiMethods, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../src-main/contract/api.js';
import { buildExposedApi, CALL_CHANNEL, EVENT_CHANNEL } from '../../src-preload/expose.js';
import { PRELOAD_METHODS } from '../../src-preload/methods.js';

describe('preload', () => {
  it('exposes window.tokendesk with exactly the contract methods and onEvent', async () => {
    await import('../../src-preload/index.js');
    const api = exposed.tokendesk as Record<string, unknown>;
    expect(Object.keys(exposed)).toEqual(['tokendesk']);
    expect(Object.keys(api).sort()).toEqual([...apiMethods, 'onEvent'].sort());
    for (const v of Object.values(api)) expect(typeof v).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    // Nothing that leads back to ipcRenderer.
    expect(Object.values(api)).not.toContain(ipc);
    // Each name on its own: arrayContaining would only fail if all three leaked at once.
    for (const leak of ['invoke', 'send', 'sendSync', 'on', 'ipcRenderer']) expect(Object.keys(api)).not.toContain(leak);
  });

  it('uses the contract channel names and method list', () => {
    expect(CALL_CHANNEL).toBe(IPC_CALL_CHANNEL);
    expect(EVENT_CHANNEL).toBe(IPC_EVENT_CHANNEL);
    expect([...PRELOAD_METHODS].sort()).toEqual([...apiMethods].sort());
  });

  it('invokes the call channel and unwraps a success', async () => {
    const fake = { invoke: vi.fn(async () => ({ ok: true, value: { environments: [] } })), on: vi.fn(), removeListener: vi.fn() };
    const api = buildExposedApi(fake);
    await expect(api.getState({})).resolves.toEqual({ environments: [] });
    expect(fake.invoke).toHaveBeenCalledWith(IPC_CALL_CHANNEL, 'getState', {});
    await api.startDemo(undefined as never);
    expect(fake.invoke).toHaveBeenLastCalledWith(IPC_CALL_CHANNEL, 'startDemo', {});
  });

  it('turns an error envelope into a rejection carrying code and message (a plain object: contextBridge drops Error properties)', async () => {
    const fake = { invoke: vi.fn(async () => ({ ok: false, error: { code: 'invalid_credentials', message: 'Wrong email or password' } })), on: vi.fn(), removeListener: vi.fn() };
    const api = buildExposedApi(fake);
    await expect(api.signIn({ envId: 'e', email: 'a@b.c', password: 'x' })).rejects.toEqual({
      name: 'TokenDeskError',
      code: 'invalid_credentials',
      message: 'Wrong email or password',
    });
    fake.invoke.mockResolvedValueOnce(undefined as never);
    await expect(api.getState({})).rejects.toMatchObject({ code: 'internal' });
  });

  it('onEvent passes only the payload, never the IPC event, and unsubscribes', () => {
    const listeners: Array<(e: unknown, p: unknown) => void> = [];
    const fake = {
      invoke: vi.fn(),
      on: vi.fn((_c: string, l: (e: unknown, p: unknown) => void) => void listeners.push(l)),
      removeListener: vi.fn(),
    };
    const api = buildExposedApi(fake);
    const got: unknown[][] = [];
    const off = api.onEvent((...args: unknown[]) => void got.push(args));
    expect(fake.on).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, expect.any(Function));
    listeners[0]!({ sender: { secret: 'ipc internals' }, ports: [] }, { type: 'clipboard-cleared' });
    expect(got).toEqual([[{ type: 'clipboard-cleared' }]]);
    off();
    expect(fake.removeListener).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, listeners[0]);
    expect(() => api.onEvent('nope' as never)).toThrow(TypeError);
  });
});
