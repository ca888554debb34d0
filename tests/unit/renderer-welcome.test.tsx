// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src-renderer/app/App.js';
import { createDeskStore, StoreProvider } from '../../src-renderer/store.js';
import { createFakeApi } from '../e2e/fixtures/fake-api.js';
import { renderApp } from '../e2e/fixtures/render-app.js';

afterEach(cleanup);

describe('first run', () => {
  it('welcomes a new user with the demo server and "Add environment"', async () => {
    await renderApp({ scenario: 'empty' });
    expect(screen.getByRole('heading', { name: 'Welcome to TokenDesk' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try the demo server' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add environment' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Import Postman file' })).toBeTruthy();
  });

  it('"Try the demo server" starts it and lands on a demo environment with one-click demo accounts', async () => {
    const { api } = await renderApp({ scenario: 'empty' });
    fireEvent.click(screen.getByRole('button', { name: 'Try the demo server' }));
    await waitFor(() => expect(screen.getAllByTestId('env-row')).toHaveLength(2));
    expect(api.calls.some((c) => c.method === 'startDemo')).toBe(true);
    const form = screen.getByRole('form', { name: 'Sign in to demo-supabase' });
    fireEvent.click(within(form).getByRole('button', { name: /Fill in demo account owner@connectgain.test/ }));
    expect((within(form).getByLabelText('Email') as HTMLInputElement).value).toBe('owner@connectgain.test');
  });

  it('"Add environment" opens the form', async () => {
    await renderApp({ scenario: 'empty' });
    fireEvent.click(screen.getByRole('button', { name: 'Add environment' }));
    expect(screen.getByRole('dialog', { name: 'Add environment' })).toBeTruthy();
  });

  it('shows why the demo did not start, next to the button', async () => {
    const { api } = await renderApp({ scenario: 'empty' });
    api.failNext('startDemo', 'port_in_use', 'The demo server could not listen on 127.0.0.1: address in use');
    fireEvent.click(screen.getByRole('button', { name: 'Try the demo server' }));
    expect((await screen.findByRole('alert')).textContent).toContain('address in use');
  });

  it('never shows a blank screen when the state cannot be read', async () => {
    const api = createFakeApi({ scenario: 'empty' });
    api.failNext('getState', 'bridge_unreachable', 'The TokenDesk web bridge is not answering');
    render(
      <StoreProvider store={createDeskStore(api)}>
        <App />
      </StoreProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The TokenDesk web bridge is not answering');
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { name: 'Welcome to TokenDesk' })).toBeTruthy();
  });
});
