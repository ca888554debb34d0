// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../e2e/fixtures/render-app.js';

afterEach(cleanup);

const pick = (file: File) => fireEvent.change(screen.getByTestId('import-input'), { target: { files: [file] } });

describe('import a Postman file', () => {
  it('reads the file as text, imports it and selects the new environment', async () => {
    const { api } = await renderApp();
    const text = JSON.stringify({ name: 'from-postman', values: [{ key: 'url', value: 'https://x.supabase.co' }] });
    pick(new File([text], 'team.postman_environment.json', { type: 'application/json' }));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('from-postman'));
    expect(api.calls.find((c) => c.method === 'importPostman')?.input).toEqual({ fileName: 'team.postman_environment.json', text });
    expect(within(screen.getByRole('region', { name: 'Notifications' })).getByText('Imported from-postman')).toBeTruthy();
  });

  it('shows the importer’s warnings', async () => {
    await renderApp();
    pick(new File([JSON.stringify({ name: 'bare' })], 'bare.json'));
    const dialog = await screen.findByRole('dialog', { name: 'Imported bare' });
    expect(within(dialog).getByText(/No variables found/)).toBeTruthy();
  });

  it('says why a file was refused, and changes nothing', async () => {
    await renderApp();
    pick(new File(['{not json'], 'broken.json'));
    await waitFor(() => expect(within(screen.getByRole('region', { name: 'Notifications' })).getByText('broken.json was not imported')).toBeTruthy());
    expect(screen.getByText('broken.json is not JSON')).toBeTruthy();
    expect(screen.getAllByTestId('env-row')).toHaveLength(6);
  });

  it('a file that would move an existing environment to another URL is shown in a dialog and imported only on confirm', async () => {
    const { api } = await renderApp();
    const text = JSON.stringify({ name: 'staging', values: [{ key: 'url', value: 'https://attacker.example' }] });
    pick(new File([text], 'staging.json'));
    const dialog = await screen.findByRole('dialog', { name: 'Import staging.json?' });
    expect(dialog.textContent).toContain('The file would update the existing environment "staging"');
    expect(dialog.textContent).toContain('to https://attacker.example moves it to another server');
    expect(api.calls.filter((c) => c.method === 'importPostman')).toHaveLength(1);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Change the URL and import' }));
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'importPostman')[1]?.input).toEqual({ fileName: 'staging.json', text, confirmUrlChange: true }));
    await waitFor(() => expect(within(screen.getByRole('region', { name: 'Notifications' })).getByText('Updated staging')).toBeTruthy());
    expect(screen.getByText(/signed out: owner@connectgain\.test/)).toBeTruthy();
  });

  it('cancelling that dialog imports nothing', async () => {
    const { api } = await renderApp();
    pick(new File([JSON.stringify({ name: 'staging', values: [{ key: 'url', value: 'https://attacker.example' }] })], 'staging.json'));
    const dialog = await screen.findByRole('dialog', { name: 'Import staging.json?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.calls.filter((c) => c.method === 'importPostman')).toHaveLength(1);
    expect(api.envs.find((e) => e.id === 'staging')?.baseUrl).toBe('https://xyzcompany-staging.supabase.co');
  });

  it('accepts a file dropped anywhere on the window', async () => {
    const { api } = await renderApp();
    const file = new File([JSON.stringify({ name: 'dropped', values: [] })], 'dropped.json');
    const dataTransfer = { types: ['Files'], files: [file], dropEffect: 'none' };
    fireEvent.dragEnter(window, { dataTransfer });
    expect(document.querySelector('.dropzone')?.textContent).toContain('Drop a Postman environment or collection');
    fireEvent.drop(window, { dataTransfer });
    await waitFor(() => expect(api.calls.some((c) => c.method === 'importPostman')).toBe(true));
    expect(document.querySelector('.dropzone')).toBeNull();
  });
});
