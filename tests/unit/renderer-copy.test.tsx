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
    // A click on a button still busy with the first copy is ignored (on a loaded machine the toast can
    // come before the button is free again): the second copy is clicked once it is.
    const button = screen.getByRole('button', { name: 'Copy Authorization header' });
    await waitFor(() => expect(button.getAttribute('aria-busy')).toBeNull());
    fireEvent.click(button);
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'copy')).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 50)); // kept: a second toast is given real time to (wrongly) render
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
    for (const name of ['Copy raw token', 'Copy as curl', 'Copy all Postman variables (bulk edit)']) expect(screen.getByRole('button', { name })).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Copy Postman variable user_jwt_token' })).toBeTruthy());

    selectEnv('staging');
    expect(screen.getByRole('button', { name: 'Copy X-API-Key header' })).toBeTruthy();
    selectEnv('session-api');
    expect(screen.queryByRole('button', { name: 'Copy apikey header' })).toBeNull();
    // No refresh token in a session API: no checkbox about it.
    expect(screen.queryByLabelText('Include the refresh token')).toBeNull();
  });

  it('copies all Postman variables as key:value lines for Bulk Edit, leaving the single-use refresh token out unless ticked', async () => {
    const { api } = await renderApp();
    fireEvent.click(screen.getByRole('button', { name: 'Copy all Postman variables (bulk edit)' }));
    await waitFor(() => expect(toasts().getByText('Copied Postman variables (bulk edit) (local)')).toBeTruthy());
    const text = await navigator.clipboard.readText();
    const lines = text.split('\n');
    expect(lines[0]).toBe('url:http://127.0.0.1:54321');
    expect(lines.every((l) => /^[A-Za-z_][\w.-]*:\S/.test(l))).toBe(true);
    expect(text).not.toContain('{');
    expect(text).not.toContain('refresh_token');
    expect(toasts().getByText('Clipboard clears in 30 s. The refresh token was left out: Supabase refresh tokens are single-use, so a tool that spends a copy ends TokenDesk’s own session at its next renewal.')).toBeTruthy();
    expect(api.calls.filter((c) => c.method === 'copy').at(-1)?.input).toEqual({ envId: 'local', item: { kind: 'postman-bulk-edit', includeRefreshToken: false } });

    const box = screen.getByLabelText('Include the refresh token');
    expect(screen.getByText(/It is single-use: once Postman or a script spends a copy, TokenDesk’s own session ends/)).toBeTruthy();
    fireEvent.click(box);
    fireEvent.click(screen.getByRole('button', { name: 'Copy all Postman variables (bulk edit)' }));
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'copy').at(-1)?.input).toEqual({ envId: 'local', item: { kind: 'postman-bulk-edit', includeRefreshToken: true } }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toContain('refresh_token:rt-local-id0'));

    // Save with secrets follows the same choice; the plain save never carries it.
    fireEvent.click(screen.getByRole('button', { name: 'Save with secrets' }));
    await waitFor(() => expect(api.calls.find((c) => c.method === 'saveExport')?.input).toEqual({ envId: 'local', format: 'postman', includeSecrets: true, includeRefreshToken: true }));
  });

  it('offers the account header of a session API environment, with the active account', async () => {
    await renderApp();
    selectEnv('session-api');
    fireEvent.click(screen.getByRole('button', { name: 'Copy X-Account-Id header' }));
    await waitFor(() => expect(toasts().getByText(/Copied account header/)).toBeTruthy());
    expect(await navigator.clipboard.readText()).toBe('X-Account-Id: 2311');
    fireEvent.click(screen.getByRole('button', { name: 'Copy all headers' }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toMatch(/^Authorization: Bearer \S+\nX-Account-Id: 2311$/));
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

  it('in a browser, where Ctrl+Shift+C is “inspect element”, offers and takes Alt+Shift+C', async () => {
    await renderApp({ shell: 'web' });
    const copy = screen.getByRole('region', { name: 'Copy' });
    expect(within(copy).getByText(/^(Alt|⌥)\+Shift\+C copies the Authorization header$/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy Authorization header' }).getAttribute('aria-keyshortcuts')).toBe('Alt+Shift+C');
    await navigator.clipboard.writeText('');
    // On a Mac ⌥ turns the key into Ç: the physical key counts.
    fireEvent.keyDown(window, { key: 'Ç', code: 'KeyC', altKey: true, shiftKey: true });
    await waitFor(() => expect(toasts().getByText('Copied Authorization header for owner@connectgain.test (local)')).toBeTruthy());
    expect(await navigator.clipboard.readText()).toMatch(/^Authorization: Bearer /);
  });

  it('in the desktop app says Ctrl+Shift+C', async () => {
    await renderApp({ shell: 'electron' });
    expect(within(screen.getByRole('region', { name: 'Copy' })).getByText(/^(Ctrl|⌘)\+Shift\+C copies the Authorization header$/)).toBeTruthy();
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
