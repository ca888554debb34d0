// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { renderApp, selectEnv } from '../e2e/fixtures/render-app.js';

afterEach(cleanup);

function fill(form: HTMLElement, email: string, password: string): void {
  fireEvent.change(within(form).getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(within(form).getByLabelText('Password'), { target: { value: password } });
}

describe('sign in', () => {
  it('shows the provider’s error under the form, then signs in with the right password', async () => {
    // Only Date is stopped (timers stay real for waitFor): the fake API's sign-in and the window's
    // one-second ticker then read the same instant, so the countdown is exactly one hour.
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => void vi.useRealTimers());
    const { api } = await renderApp();
    selectEnv('qa-session');
    const form = screen.getByRole('form', { name: 'Sign in to qa-session' });
    expect(within(form).getByText(/signs in again with the password, kept in the OS keychain, to renew the session/)).toBeTruthy();

    fill(form, 'test@test.com', 'wrong');
    fireEvent.submit(form);
    const err = await within(form).findByRole('alert');
    expect(err.textContent).toContain('The email or password is incorrect');

    fill(form, 'test@test.com', 'stringstring');
    fireEvent.click(within(form).getByLabelText('Remember password'));
    fireEvent.submit(form);
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Sign in to qa-session' })).toBeNull());
    expect(api.calls.filter((c) => c.method === 'beginSignIn').at(-1)?.input).toEqual({ envId: 'empty', method: 'password', answers: { email: 'test@test.com', password: 'stringstring', remember: 'true' } });
    const list = screen.getByRole('list', { name: 'Identities in qa-session' });
    expect(within(list).getByText('test@test.com')).toBeTruthy();
    expect(within(list).getByText('valid · 1:00:00 left')).toBeTruthy();
  });

  it('validates the email before calling the provider', async () => {
    const { api } = await renderApp();
    selectEnv('qa-session');
    const form = screen.getByRole('form', { name: 'Sign in to qa-session' });
    fill(form, 'not-an-email', 'x');
    fireEvent.submit(form);
    expect(within(form).getByRole('alert').textContent).toBe('Enter an email address');
    expect(api.calls.some((c) => c.method === 'signIn' || c.method === 'beginSignIn')).toBe(false);
  });

  it('Supabase sign up ends with "check your email" when confirmation is required', async () => {
    await renderApp();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in as another user' }));
    const signInTab = screen.getByRole('tab', { name: 'Sign in' });
    const toggle = screen.getByRole('tab', { name: 'Create account' });
    expect(toggle.getAttribute('aria-selected')).toBe('false');
    // Arrow keys move between the two tabs; the panel is labelled by the selected one.
    fireEvent.keyDown(signInTab, { key: 'ArrowRight' });
    expect(toggle.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(toggle.id);
    fireEvent.keyDown(toggle, { key: 'ArrowLeft' });
    expect(signInTab.getAttribute('aria-selected')).toBe('true');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-selected')).toBe('true');
    const form = screen.getByRole('form', { name: 'Create account to local' });
    expect(within(form).queryByLabelText('Remember password')).toBeNull();
    fill(form, 'new@connectgain.test', 'a-long-password');
    fireEvent.submit(form);
    expect((await screen.findByText('Check your email')).closest('[role="status"]')?.textContent).toContain('sent a confirmation link to new@connectgain.test');
  });

  it('shows an identity’s own problem on its row, and signs out this session only', async () => {
    const { api } = await renderApp();
    selectEnv('staging');
    const list = screen.getByRole('list', { name: 'Identities in staging' });
    const agentRow = within(list).getByText('agent@connectgain.test').closest('li')!;
    expect(within(agentRow).getByRole('alert').textContent).toContain('Refresh failed: Invalid Refresh Token: Already Used');
    expect(within(agentRow).getByRole('button', { name: 'Sign in again as agent@connectgain.test' })).toBeTruthy();

    fireEvent.click(within(list).getByRole('button', { name: 'Sign out owner@connectgain.test (this session only)' }));
    await waitFor(() => expect(api.calls.some((c) => c.method === 'signOut')).toBe(true));
    await waitFor(() => expect(within(list).getAllByText('signed out').length).toBeGreaterThan(0));
  });

  it('switches the active identity and account in one click', async () => {
    const { api } = await renderApp();
    selectEnv('session-api');
    fireEvent.click(screen.getByRole('radio', { name: 'Use restricted@test.com as the active identity' }));
    await waitFor(() => expect(screen.getByRole('radio', { name: 'Use restricted@test.com as the active identity' })).toHaveProperty('checked', true));
    const accounts = screen.getByRole('group', { name: 'Account' });
    expect(within(accounts).getByText('primary').closest('label')?.textContent).toContain('Acme Corp');
    // The star is decoration: the radio reads "… primary", not "… black star primary".
    expect(within(accounts).getByRole('radio', { name: 'Acme Corp 4100 primary' })).toBeTruthy();
    fireEvent.click(within(accounts).getByRole('radio', { name: /Globex/ }));
    await waitFor(() => expect(api.calls.find((c) => c.method === 'setActiveAccount')?.input).toEqual({ identityId: 'session-api-id1', accountId: '4200' }));
    await waitFor(() => expect(within(accounts).getByRole('radio', { name: /Globex/ })).toHaveProperty('checked', true));
  });
});
