// @vitest-environment happy-dom
/** Notifications (issue 25): one region, newest on top, at most two at once, short text. */
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { performExport } from '../../src-renderer/copy/perform.js';
import { createDeskStore, StoreProvider } from '../../src-renderer/store.js';
import { ToastRegion } from '../../src-renderer/ui/Toast.js';
import { createFakeApi } from '../e2e/fixtures/fake-api.js';

afterEach(() => cleanup());

function mount(api = createFakeApi()) {
  const store = createDeskStore(api);
  render(
    <StoreProvider store={store}>
      <ToastRegion />
    </StoreProvider>,
  );
  const region = () => within(screen.getByRole('region', { name: 'Notifications' }));
  return { store, region, titles: () => [...screen.getByRole('region', { name: 'Notifications' }).querySelectorAll('.toast strong')].map((n) => n.textContent) };
}

describe('notifications', () => {
  it('after add, sign-in and copy: two shown, the newest on top', () => {
    const { store, titles } = mount();
    act(() => store.getState().toast('success', 'Added Staging'));
    act(() => store.getState().toast('success', 'Signed in as owner@connectgain.test', 'Staging'));
    act(() => store.getState().toast('success', 'Copied Authorization header', 'Clipboard clears in 60 s', { slot: 'copy' }));
    expect(titles()).toEqual(['Copied Authorization header', 'Signed in as owner@connectgain.test']);
    // A copy again updates the one on top in place; nothing older comes back.
    act(() => store.getState().toast('success', 'Copied token', 'Clipboard clears in 60 s', { slot: 'copy' }));
    expect(titles()).toEqual(['Copied token', 'Signed in as owner@connectgain.test']);
  });

  it('a saved Postman file is named by its file name, not its whole path', async () => {
    const api = createFakeApi({ shell: 'electron' });
    const path = '/home/developer/Documents/projects/connectgain/postman/environments/Demo Supabase.postman_environment.json';
    api.saveExport = () => Promise.resolve({ savedTo: path });
    const { store, region } = mount(api);
    await act(() => performExport(store, 'local', false));
    expect(region().getByText('Demo Supabase.postman_environment.json')).toBeTruthy();
    expect(region().queryByText(path)).toBeNull();
  });
});
