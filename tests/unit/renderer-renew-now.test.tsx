// @vitest-environment happy-dom
/** "Renew now" (issue 23): a renewable identity's row renews at once; the row's error says why when it cannot. */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../e2e/fixtures/render-app.js';

afterEach(() => cleanup());

const row = (email: string) => within(screen.getByRole('list', { name: 'Identities in local' })).getByText(email).closest('li')!;
const toasts = () => within(screen.getByRole('region', { name: 'Notifications' }));

describe('Renew now', () => {
  it('renews the identity through the contract and says until when the new token lives', async () => {
    const { api } = await renderApp();
    fireEvent.click(within(row('owner@connectgain.test')).getByRole('button', { name: 'Renew now the session of owner@connectgain.test' }));
    await waitFor(() => expect(api.calls.find((c) => c.method === 'renewSession')?.input).toEqual({ identityId: 'local-id0' }));
    await waitFor(() => expect(toasts().getByText('Renewed owner@connectgain.test')).toBeTruthy());
    expect(toasts().getByText(/^New token valid until \d{2}:\d{2}:\d{2}$/)).toBeTruthy();
  });

  it('shows the reason on the row when the renewal fails, and the session stays', async () => {
    const { api } = await renderApp();
    api.failNext('renewSession', 'network_refused', 'Could not renew the session of owner@connectgain.test in "local": the server refused the connection');
    fireEvent.click(within(row('owner@connectgain.test')).getByRole('button', { name: /^Renew now/ }));
    await waitFor(() => expect(within(row('owner@connectgain.test')).getByText(/the server refused the connection/)).toBeTruthy());
    expect(within(row('owner@connectgain.test')).getByText(/^valid · /)).toBeTruthy();
  });
});
