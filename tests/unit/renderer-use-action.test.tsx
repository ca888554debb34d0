// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-renderer/api/types.js';
import { useAction } from '../../src-renderer/lib/use-action.js';
import { createDeskStore, StoreProvider } from '../../src-renderer/store.js';
import { createFakeApi } from '../e2e/fixtures/fake-api.js';

afterEach(cleanup);

function setup() {
  const api = createFakeApi({});
  const store = createDeskStore(api);
  const wrapper = ({ children }: { children: ReactNode }) => <StoreProvider store={store}>{children}</StoreProvider>;
  const hook = renderHook(() => useAction<'a' | 'b'>(), { wrapper });
  return { api, store, hook };
}

describe('useAction: busy, error, refresh and toast in one place', () => {
  it('is busy with the running action, then refreshes the state and toasts', async () => {
    const { api, store, hook } = setup();
    let finish!: () => void;
    let run!: Promise<boolean>;
    act(() => {
      run = hook.result.current.run('b', () => new Promise<void>((r) => (finish = r)), { refresh: true, toast: ['Done', 'detail'] });
    });
    expect(hook.result.current.busy).toBe('b');
    await act(async () => {
      finish();
      expect(await run).toBe(true);
    });
    expect(hook.result.current.busy).toBeUndefined();
    expect(hook.result.current.error).toBeUndefined();
    expect(api.calls.some((c) => c.method === 'getState')).toBe(true);
    expect(store.getState().toasts.map((t) => [t.kind, t.text, t.detail])).toEqual([['success', 'Done', 'detail']]);
  });

  it('keeps the failure in the user’s words, does not refresh or toast, and clears it on the next run', async () => {
    const { api, store, hook } = setup();
    await act(async () => {
      expect(await hook.result.current.run('a', () => Promise.reject(new ApiError('network_refused', 'The server refused the connection')), { refresh: true, toast: ['Done'] })).toBe(false);
    });
    expect(hook.result.current.error).toBe('The server refused the connection');
    expect(hook.result.current.busy).toBeUndefined();
    expect(api.calls.some((c) => c.method === 'getState')).toBe(false);
    expect(store.getState().toasts).toEqual([]);
    await act(async () => {
      await hook.result.current.run('a', async () => undefined);
    });
    expect(hook.result.current.error).toBeUndefined();
  });
});
