// @vitest-environment happy-dom
/** "Check now" (issue 27): an identity's row asks its server, and a session the server refused shows ended with its reason. */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../e2e/fixtures/render-app.js';

afterEach(() => cleanup());

const REASON = 'The server ended this session: Session from session_id claim in JWT does not exist (session_not_found)';
const row = (email: string) => within(screen.getByRole('list', { name: 'Identities in local' })).getByText(email).closest('li')!;
const toasts = () => within(screen.getByRole('region', { name: 'Notifications' }));

describe('checking sessions with their servers', () => {
  it('Check now beside a valid identity: the server refused it, so the row shows it ended with the reason', async () => {
    const { api } = await renderApp();
    const owner = within(row('owner@connectgain.test'));
    expect(owner.getByText(/^valid · /)).toBeTruthy();
    api.forgetSession('local-id0', REASON);

    fireEvent.click(owner.getByRole('button', { name: 'Check now whether the server still accepts the session of owner@connectgain.test' }));
    await waitFor(() => expect(api.calls.find((c) => c.method === 'checkSessions')?.input).toEqual({ identityId: 'local-id0' }));
    await waitFor(() => expect(within(row('owner@connectgain.test')).getByText('ended by the server')).toBeTruthy());
    const ended = within(row('owner@connectgain.test'));
    expect(ended.getByText(REASON)).toBeTruthy();
    // Nothing left to hand out or check: sign in again is offered instead.
    expect(ended.queryByRole('button', { name: /^Check now/ })).toBeNull();
    expect(ended.getByRole('button', { name: 'Sign in again as owner@connectgain.test' })).toBeTruthy();
    expect(toasts().getByText('Ended by the server: owner@connectgain.test')).toBeTruthy();
    // The token panel no longer offers a token of that session.
    expect(screen.queryByRole('region', { name: 'Token' })).toBeNull();
  });

  it('an accepted session stays valid and says so', async () => {
    const { api } = await renderApp();
    fireEvent.click(within(row('owner@connectgain.test')).getByRole('button', { name: /^Check now/ }));
    await waitFor(() => expect(toasts().getByText('owner@connectgain.test: accepted by the server')).toBeTruthy());
    expect(within(row('owner@connectgain.test')).getByText(/^valid · /)).toBeTruthy();
    expect(api.calls.filter((c) => c.method === 'checkSessions')).toHaveLength(1);
  });

  it('the command palette checks every session', async () => {
    const { api } = await renderApp();
    api.forgetSession('local-id0', REASON);
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    fireEvent.click(await screen.findByRole('option', { name: /^Check sessions with their servers now/ }));
    await waitFor(() => expect(api.calls.find((c) => c.method === 'checkSessions')?.input).toEqual({}));
    await waitFor(() => expect(within(row('owner@connectgain.test')).getByText(REASON)).toBeTruthy());
  });
});
