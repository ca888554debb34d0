// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { copiedText } from '../../src-renderer/copy/perform.js';
import { cancelClipboardTimers } from '../../src-renderer/copy/web-clipboard.js';
import { renderApp, selectEnv } from '../e2e/fixtures/render-app.js';

afterEach(() => {
  cleanup();
  cancelClipboardTimers();
  vi.useRealTimers();
});

const toasts = () => within(screen.getByRole('region', { name: 'Notifications' }));

describe('copy', () => {
  it('says what was copied, for which identity and environment, and when the clipboard clears', async () => {
    const { api } = await renderApp();
    fireEvent.click(screen.getByRole('button', { name: 'Copy Authorization header' }));
    await waitFor(() => expect(toasts().getByText('Copied Authorization header for owner@connectgain.test (local)')).toBeTruthy());
    expect(toasts().getByText('Clipboard clears in 30 s')).toBeTruthy();
    expect(api.calls.find((c) => c.method === 'copy')?.input).toEqual({ envId: 'local', item: { kind: 'authorization-header' } });
    // Web shell: the page writes the text itself.
    expect(await navigator.clipboard.readText()).toMatch(/^Authorization: Bearer eyJ/);
  });

  it('copying the same thing twice shows one toast, not a stack of twins', async () => {
    const { api } = await renderApp();
    const text = 'Copied Authorization header for owner@connectgain.test (local)';
    fireEvent.click(screen.getByRole('button', { name: 'Copy Authorization header' }));
    await waitFor(() => expect(toasts().getAllByText(text)).toHaveLength(1));
    fireEvent.click(screen.getByRole('button', { name: 'Copy Authorization header' }));
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'copy')).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 50));
    expect(toasts().getAllByText(text)).toHaveLength(1);
  });

  it('copies of different things are one toast that updates, not a stack over the token panel', async () => {
    await renderApp();
    fireEvent.click(screen.getByRole('button', { name: 'Copy Authorization header' }));
    const first = await waitFor(() => toasts().getByText('Copied Authorization header for owner@connectgain.test (local)').closest('.toast')!);
    fireEvent.click(screen.getByRole('button', { name: 'Copy raw token' }));
    await waitFor(() => expect(toasts().getByText('Copied token for owner@connectgain.test (local)')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Copy as curl' }));
    await waitFor(() => expect(toasts().getByText('Copied curl command for owner@connectgain.test (local)')).toBeTruthy());
    const region = screen.getByRole('region', { name: 'Notifications' });
    expect(region.querySelectorAll('.toast')).toHaveLength(1);
    // The same element, updated in place (a screen reader hears the new words; nothing jumps).
    expect(region.querySelector('.toast')).toBe(first);
    expect(toasts().queryByText(/Copied Authorization header/)).toBeNull();
  });

  it('offers only the copy buttons that apply, and one per Postman variable', async () => {
    await renderApp();
    expect(screen.getByRole('button', { name: 'Copy apikey header' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Copy X-API-Key header' })).toBeNull();
    for (const name of ['Copy raw token', 'Copy as curl', 'Copy all Postman variables']) expect(screen.getByRole('button', { name })).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Copy Postman variable user_jwt_token' })).toBeTruthy());

    selectEnv('staging');
    expect(screen.getByRole('button', { name: 'Copy X-API-Key header' })).toBeTruthy();
    selectEnv('session-api');
    expect(screen.queryByRole('button', { name: 'Copy apikey header' })).toBeNull();
  });

  it('copies a single Postman variable and the active header with Ctrl+Shift+C', async () => {
    await renderApp();
    fireEvent.click(await screen.findByRole('button', { name: 'Copy Postman variable url' }));
    await waitFor(() => expect(toasts().getByText('Copied Postman variable url (local)')).toBeTruthy());
    expect(toasts().getByText('The clipboard is not cleared automatically')).toBeTruthy();
    expect(await navigator.clipboard.readText()).toBe('http://127.0.0.1:54321');

    selectEnv('staging');
    fireEvent.keyDown(window, { key: 'C', ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(toasts().getByText('Copied Authorization header for owner@connectgain.test (staging)')).toBeTruthy());
  });

  it('shows why nothing was copied next to the buttons', async () => {
    const { api } = await renderApp();
    api.failNext('copy', 'keychain_locked', 'Keychain is locked: unlock it and try again');
    fireEvent.click(screen.getByRole('button', { name: 'Copy raw token' }));
    const copy = screen.getByRole('region', { name: 'Copy' });
    await waitFor(() => expect(within(copy).getByRole('alert').textContent).toContain('Keychain is locked'));
  });

  it('words the toast', () => {
    expect(copiedText('token for a@b.c (local)', 45)).toEqual({ text: 'Copied token for a@b.c (local)', detail: 'Clipboard clears in 45 s' });
  });
});
