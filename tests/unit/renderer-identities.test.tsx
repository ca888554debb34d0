// @vitest-environment happy-dom
/** Identity rows: one-click switching from anywhere on the row, focus kept, renewal said, an end warned of. */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, selectEnv } from '../e2e/fixtures/render-app.js';

afterEach(() => cleanup());

const list = (env: string) => within(screen.getByRole('list', { name: `Identities in ${env}` }));
const row = (env: string, email: string) => list(env).getByText(email).closest('li')!;
const radio = (email: string) => screen.getByRole('radio', { name: `Use ${email} as the active identity` });

describe('identity rows', () => {
  it('a click on the email or the name switches the active identity', async () => {
    const { api } = await renderApp();
    selectEnv('session-api');
    fireEvent.click(list('session-api').getByText('restricted@test.com'));
    await waitFor(() => expect(radio('restricted@test.com')).toHaveProperty('checked', true));
    expect(api.calls.find((c) => c.method === 'switchIdentity')?.input).toEqual({ envId: 'session-api', identityId: 'session-api-id1' });

    selectEnv('local');
    fireEvent.click(list('local').getByText('Andy Agent'));
    await waitFor(() => expect(radio('agent@connectgain.test')).toHaveProperty('checked', true));
  });

  it('after switching with the keyboard, focus stays on the identity (not the page)', async () => {
    const { api } = await renderApp({ latency: 20 });
    selectEnv('session-api');
    const r = radio('restricted@test.com');
    r.focus();
    // Space / an arrow key on a radio is a click that checks it.
    fireEvent.click(r);
    // While it switches the radio says so but stays enabled: a browser drops focus off a disabled control
    // (happy-dom does not, so this is checked here and the focus itself in the Playwright spec).
    await waitFor(() => expect(r.getAttribute('aria-disabled')).toBe('true'));
    expect(r).toHaveProperty('disabled', false);
    await waitFor(() => expect(api.calls.some((c) => c.method === 'switchIdentity')).toBe(true));
    await waitFor(() => expect(screen.getByRole('region', { name: 'Signed in as' }).textContent).toContain('restricted@test.com'));
    expect(document.activeElement).toBe(radio('restricted@test.com'));
    expect(document.activeElement).not.toBe(document.body);
  });

  it('removes a signed-out identity from the list after a confirmation; a signed-in one has no Remove (issue 25)', async () => {
    const { api } = await renderApp();
    selectEnv('local');
    expect(screen.queryByRole('button', { name: 'Remove owner@connectgain.test from the list' })).toBeNull();
    const remove = screen.getByRole('button', { name: 'Remove agent@connectgain.test from the list' });
    // A button: in the tab order, Enter and Space press it.
    expect(remove.tagName).toBe('BUTTON');
    fireEvent.click(remove);
    // Cancel changes nothing.
    fireEvent.click(within(await screen.findByRole('dialog', { name: 'Remove agent@connectgain.test?' })).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.calls.some((c) => c.method === 'forgetIdentity')).toBe(false);
    expect(list('local').getByText('agent@connectgain.test')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Remove agent@connectgain.test from the list' }));
    fireEvent.click(within(await screen.findByRole('dialog', { name: 'Remove agent@connectgain.test?' })).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(list('local').queryByText('agent@connectgain.test')).toBeNull());
    expect(api.calls.find((c) => c.method === 'forgetIdentity')?.input).toEqual({ identityId: 'local-id1' });
    expect(list('local').getByText('owner@connectgain.test')).toBeTruthy();
  });

  it('says on each signed-in identity whether it renews itself', async () => {
    await renderApp({ endingSession: true });
    expect(within(row('local', 'owner@connectgain.test')).getByText('renews itself (refresh token)')).toBeTruthy();
    // Signed out: nothing to renew, nothing said.
    expect(within(row('local', 'agent@connectgain.test')).queryByText(/renew/)).toBeNull();
    selectEnv('session-api');
    expect(within(row('session-api', 'test@test.com')).getByText('renews itself (remembered password)')).toBeTruthy();
    expect(within(row('session-api', 'restricted@test.com')).getByText('does not renew itself: password not remembered')).toBeTruthy();
  });

  it('warns ahead of the end of a session that cannot renew itself, with sign in again / remember password', async () => {
    await renderApp({ endingSession: true });
    // Wherever the user is: a toast names the identity and the environment.
    const toasts = within(screen.getByRole('region', { name: 'Notifications' }));
    await waitFor(() => expect(toasts.getByText('restricted@test.com (session-api) ends in 4 min')).toBeTruthy());
    expect(toasts.getByText(/tick Remember password/)).toBeTruthy();

    selectEnv('session-api');
    const restricted = row('session-api', 'restricted@test.com');
    const warning = within(restricted).getByRole('status');
    expect(warning.textContent).toBe('Ends in 4 min — it cannot renew itself.Sign in againRemember password');
    // The identity that renews itself is not warned about.
    expect(within(row('session-api', 'test@test.com')).queryByText(/Ends in/)).toBeNull();

    fireEvent.click(within(warning).getByRole('button', { name: 'Sign in again as restricted@test.com and remember the password' }));
    const form = screen.getByRole('form', { name: 'Sign in to session-api' });
    expect(within(form).getByLabelText('Email')).toHaveProperty('value', 'restricted@test.com');
    expect(within(form).getByLabelText('Remember password')).toHaveProperty('checked', true);
    await waitFor(() => expect(document.activeElement).toBe(within(form).getByLabelText('Password')));
  });
});
