// @vitest-environment happy-dom
/** The command palette's identity actions (switch account, reveal, sign out) and the theme choice. */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeskStore } from '../../src-renderer/store.js';
import { createFakeApi } from '../e2e/fixtures/fake-api.js';
import { renderApp, selectEnv } from '../e2e/fixtures/render-app.js';

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset.theme;
});

async function choose(option: RegExp): Promise<void> {
  fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
  fireEvent.click(await screen.findByRole('option', { name: option }));
  await waitFor(() => expect(screen.queryByRole('combobox', { name: 'Command palette' })).toBeNull());
}

describe('command palette', () => {
  it('switches the account of the active identity', async () => {
    const { api } = await renderApp();
    selectEnv('session-api');
    fireEvent.click(screen.getByRole('radio', { name: 'Use restricted@test.com as the active identity' }));
    await waitFor(() => expect(screen.getByRole('region', { name: 'Signed in as' }).textContent).toContain('restricted@test.com'));
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    // The account it is in already is not offered.
    await screen.findByRole('option', { name: /^Switch account to Globex/ });
    expect(screen.queryByRole('option', { name: /^Switch account to Acme Corp/ })).toBeNull();
    fireEvent.click(screen.getByRole('option', { name: /^Switch account to Globex/ }));
    await waitFor(() => expect(api.calls.find((c) => c.method === 'setActiveAccount')?.input).toEqual({ identityId: 'session-api-id1', accountId: '4200' }));
    await waitFor(() => expect(within(screen.getByRole('group', { name: 'Account' })).getByRole('radio', { name: /Globex/ })).toHaveProperty('checked', true));
  });

  it('finds a tenant account by name from another environment, and switches identity and account (issue 25)', async () => {
    const { api } = await renderApp();
    // The first environment is selected; the account belongs to restricted@test.com in another one.
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    fireEvent.change(await screen.findByRole('combobox', { name: 'Command palette' }), { target: { value: 'globex' } });
    const option = await screen.findByRole('option', { name: /^Switch account to Globex 4200 · restricted@test\.com/ });
    expect(screen.queryByText('Nothing matches.')).toBeNull();
    fireEvent.click(option);
    await waitFor(() => expect(api.calls.find((c) => c.method === 'setActiveAccount')?.input).toEqual({ identityId: 'session-api-id1', accountId: '4200' }));
    expect(api.calls.find((c) => c.method === 'switchIdentity')?.input).toEqual({ envId: 'session-api', identityId: 'session-api-id1' });
    await waitFor(() => expect(screen.getByRole('region', { name: 'Signed in as' }).textContent).toContain('restricted@test.com'));
    await waitFor(() => expect(within(screen.getByRole('group', { name: 'Account' })).getByRole('radio', { name: /Globex/ })).toHaveProperty('checked', true));
  });

  it('reveals the active token, with focus on Hide', async () => {
    await renderApp();
    const token = screen.getByRole('region', { name: 'Token' });
    await within(token).findByLabelText('Masked token');
    await choose(/^Reveal token of owner@connectgain\.test/);
    await waitFor(() => expect(within(token).getByLabelText('Token').textContent).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/));
    await waitFor(() => expect(document.activeElement).toBe(within(token).getByRole('button', { name: 'Hide token' })));
  });

  it('signs out the active identity, this session only', async () => {
    const { api } = await renderApp();
    await choose(/^Sign out owner@connectgain\.test/);
    await waitFor(() => expect(api.calls.find((c) => c.method === 'signOut')?.input).toEqual({ identityId: 'local-id0' }));
    await waitFor(() => expect(within(screen.getByRole('region', { name: 'Notifications' })).getByText('Signed out owner@connectgain.test')).toBeTruthy());
  });

  it('picks the theme: dark and light stick across a reload, system follows the OS again', async () => {
    await renderApp();
    expect(document.documentElement.dataset.theme).toBeUndefined();
    await choose(/^Theme: Dark/);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('tokendesk.theme')).toBe('dark');
    // What the next start (a reload) reads.
    expect(createDeskStore(createFakeApi()).getState().theme).toBe('dark');
    // The top bar's toggle says so and moves on: Dark → System.
    const toggle = screen.getByRole('button', { name: 'Theme: Dark. Switch to System' });
    fireEvent.click(toggle);
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(localStorage.getItem('tokendesk.theme')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Theme: System. Switch to Light' }));
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(localStorage.getItem('tokendesk.theme')).toBe('light');
  });
});
