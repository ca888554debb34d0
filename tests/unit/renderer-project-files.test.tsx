// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../e2e/fixtures/render-app.js';
import { copyName, projectFilePatch } from '../../src-renderer/environments/project-edit.js';
import type { EnvironmentView } from '../../src-main/contract/types.js';

afterEach(cleanup);

const SHOP = '/home/dana/src/shop/tokendesk.json';
const callsOf = (api: { calls: Array<{ method: string; input: unknown }> }, method: string) => api.calls.filter((c) => c.method === method).map((c) => c.input);

async function linkShopByPath(): Promise<void> {
  fireEvent.click(screen.getByRole('button', { name: 'Open project file…' }));
  fireEvent.change(screen.getByLabelText('Path of a tokendesk.json on this machine'), { target: { value: SHOP } });
  fireEvent.click(screen.getByRole('button', { name: 'Link' }));
  const list = await screen.findByRole('list', { name: 'Environments of the project shop' });
  fireEvent.click(within(list).getByRole('button', { name: /^staging/ }));
}

describe('Open project file…', () => {
  it('in Electron it is the native dialog, done by the main process: no path to type', async () => {
    const { api } = await renderApp({ shell: 'electron' });
    fireEvent.click(screen.getByRole('button', { name: 'Open project file…' }));
    await screen.findByRole('list', { name: 'Environments of the project shop' });
    expect(callsOf(api, 'openProjectFile')).toEqual([{}]);
    expect(screen.queryByLabelText('Path of a tokendesk.json on this machine')).toBeNull();
  });

  it('in the browser shell (no native dialog) the path is typed', async () => {
    const { api } = await renderApp({ shell: 'web' });
    await linkShopByPath();
    expect(callsOf(api, 'linkProjectFile')).toEqual([{ path: SHOP }]);
    expect(callsOf(api, 'openProjectFile')).toEqual([]);
  });
});

describe('a project environment in the window', () => {
  it('Edit in file sends only what changed, with the revision it opened on (a project environment named like an own one saves)', async () => {
    const { api } = await renderApp();
    await linkShopByPath();
    fireEvent.click(screen.getByRole('button', { name: `Edit in file: staging in ${SHOP}` }));
    const form = screen.getByRole('form', { name: 'Edit staging' });
    expect((within(form).getByLabelText('Name') as HTMLInputElement).readOnly).toBe(true);
    fireEvent.change(within(form).getByLabelText('Base URL'), { target: { value: 'https://staging2.example.test' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save to file' }));
    await waitFor(() => expect(callsOf(api, 'editProjectEnvironment')).toHaveLength(1));
    const [call] = callsOf(api, 'editProjectEnvironment') as Array<{ envId: string; patch: unknown; revision: string }>;
    expect(call!.patch).toEqual({ url: 'https://staging2.example.test' });
    expect(call!.revision).toBe('rev-1');
    expect(callsOf(api, 'updateEnvironment')).toEqual([]);
    expect(await screen.findByText(`Saved to ${SHOP}`)).toBeTruthy();
  });

  it('its anon key still goes to the keychain (updateEnvironment, secrets only); the file is not written when nothing of it changed', async () => {
    const { api } = await renderApp();
    await linkShopByPath();
    fireEvent.click(screen.getByRole('button', { name: `Edit in file: staging in ${SHOP}` }));
    const form = screen.getByRole('form', { name: 'Edit staging' });
    fireEvent.change(within(form).getByLabelText('Anon key'), { target: { value: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save to file' }));
    await waitFor(() => expect(callsOf(api, 'updateEnvironment')).toHaveLength(1));
    expect((callsOf(api, 'updateEnvironment')[0] as { patch: unknown }).patch).toEqual({ secrets: { anonKey: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl' } });
    expect(callsOf(api, 'editProjectEnvironment')).toEqual([]);
  });

  it('a cleared label, settings back to their defaults and no account transport leave the file instead of being written empty', () => {
    const env = { baseUrl: 'https://a.test', color: '#16a34a', production: false, label: 'team EU', settings: { loginPath: '/login' }, accountTransport: { kind: 'header', name: 'X-Account-Id' } } as unknown as EnvironmentView;
    expect(projectFilePatch(env, { baseUrl: 'https://a.test', color: '#16a34a', production: false, label: '', settings: { loginPath: '' }, accountTransport: { kind: 'none' } })).toEqual({ label: null, settings: null, accountTransport: null });
    expect(projectFilePatch(env, { baseUrl: 'https://a.test', color: '#16a34a', production: false, label: 'team EU', settings: { loginPath: '/login', sessionPath: '' }, accountTransport: { kind: 'header', name: 'X-Account-Id' } })).toEqual({});
  });

  it('a copy is offered a free name first', () => {
    expect(copyName('staging', ['local'])).toBe('staging (copy)');
    expect(copyName('staging', ['Staging (Copy)', 'staging (copy 2)'])).toBe('staging (copy 3)');
  });
});
