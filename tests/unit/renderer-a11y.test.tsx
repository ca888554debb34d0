// @vitest-environment happy-dom
/** Keyboard and screen-reader behaviour: focus never drops to the page, Escape closes, names read well. */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PermissionList } from '../../src-renderer/identities/PermissionList.js';
import { createDeskStore, StoreProvider } from '../../src-renderer/store.js';
import { Button } from '../../src-renderer/ui/Button.js';
import { ToastRegion } from '../../src-renderer/ui/Toast.js';
import { createFakeApi } from '../e2e/fixtures/fake-api.js';
import { renderApp, selectEnv } from '../e2e/fixtures/render-app.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const ctrl = (key: string, extra: Partial<KeyboardEventInit> = {}) => fireEvent.keyDown(window, { key, ctrlKey: true, ...extra });

describe('keyboard and screen reader', () => {
  it('a busy button stays focusable (aria-disabled) and ignores clicks and submits', () => {
    const onClick = vi.fn();
    const onSubmit = vi.fn((e: { preventDefault: () => void }) => e.preventDefault());
    render(
      <form onSubmit={onSubmit}>
        <Button type="submit" busy onClick={onClick}>
          Sign in
        </Button>
      </form>,
    );
    const button = screen.getByRole('button', { name: 'Sign in' });
    button.focus();
    expect(button).toHaveProperty('disabled', false);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.getAttribute('aria-busy')).toBe('true');
    fireEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(button);
  });

  it('keeps focus on the submit button while signing in, and on the form after a wrong password', async () => {
    await renderApp({ latency: 30 });
    selectEnv('qa-session');
    const form = screen.getByRole('form', { name: 'Sign in to qa-session' });
    fireEvent.change(within(form).getByLabelText('Email'), { target: { value: 'test@test.com' } });
    fireEvent.change(within(form).getByLabelText('Password'), { target: { value: 'wrong' } });
    const submit = within(form).getByRole('button', { name: 'Sign in' });
    submit.focus();
    fireEvent.click(submit);
    await waitFor(() => expect(submit.getAttribute('aria-busy')).toBe('true'));
    expect(document.activeElement).toBe(submit);
    await within(form).findByRole('alert');
    expect(document.activeElement).toBe(submit);
  });

  it('"Sign in as another user" moves focus to Email; Escape cancels and focus returns to the button', async () => {
    await renderApp();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in as another user' }));
    const form = screen.getByRole('form', { name: 'Sign in to local' });
    await waitFor(() => expect(document.activeElement).toBe(within(form).getByLabelText('Email')));
    fireEvent.keyDown(within(form).getByLabelText('Email'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Sign in to local' })).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Sign in as another user' })));
  });

  it('"Sign in again" for a known email focuses the password', async () => {
    await renderApp();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again as agent@connectgain.test' }));
    const form = screen.getByRole('form', { name: 'Sign in to local' });
    await waitFor(() => expect(document.activeElement).toBe(within(form).getByLabelText('Password')));
  });

  it('Escape on a half-filled sign-in form asks before discarding what was typed', async () => {
    await renderApp();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in as another user' }));
    const form = screen.getByRole('form', { name: 'Sign in to local' });
    const email = within(form).getByLabelText('Email');
    fireEvent.change(email, { target: { value: 'someone@connectgain.test' } });
    fireEvent.keyDown(email, { key: 'Escape' });
    const ask = within(form).getByRole('alertdialog', { name: 'Discard what you typed?' });
    expect(document.activeElement).toBe(within(ask).getByRole('button', { name: 'Keep editing' }));
    // Escape again is the safe answer: back to the field, nothing lost.
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(within(form).queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(email));
    expect(email).toHaveProperty('value', 'someone@connectgain.test');
    fireEvent.keyDown(email, { key: 'Escape' });
    fireEvent.click(within(form).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Sign in to local' })).toBeNull());
  });

  it('after a refused sign-in submit, focus goes to the field to fix', async () => {
    await renderApp();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in as another user' }));
    const form = screen.getByRole('form', { name: 'Sign in to local' });
    const submit = within(form).getByRole('button', { name: 'Sign in' });
    fireEvent.change(within(form).getByLabelText('Email'), { target: { value: 'not-an-email' } });
    submit.focus();
    fireEvent.click(submit);
    await waitFor(() => expect(document.activeElement).toBe(within(form).getByLabelText('Email')));
    fireEvent.change(within(form).getByLabelText('Email'), { target: { value: 'a@connectgain.test' } });
    submit.focus();
    fireEvent.click(submit);
    await waitFor(() => expect(document.activeElement).toBe(within(form).getByLabelText('Password')));
  });

  it('a dialog closes on Escape even when focus is outside it, and Ctrl+K does not open the palette over it', async () => {
    await renderApp();
    const edit = screen.getByRole('button', { name: /^Edit environment / });
    edit.focus();
    fireEvent.click(edit);
    const dialog = await screen.findByRole('dialog');
    expect(dialog.contains(document.activeElement)).toBe(true);
    ctrl('k');
    expect(screen.queryByRole('combobox', { name: 'Command palette' })).toBeNull();
    (document.activeElement as HTMLElement).blur();
    fireEvent.keyDown(document.body, { key: 'Tab' });
    expect(dialog.contains(document.activeElement)).toBe(true);
    (document.activeElement as HTMLElement).blur();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(edit);
  });

  it('the palette gives focus back on Escape, and "Go to" lands on the environment heading', async () => {
    await renderApp();
    const trigger = screen.getByRole('button', { name: 'Sign in as another user' });
    trigger.focus();
    ctrl('k');
    const input = await screen.findByRole('combobox');
    fireEvent.keyDown(input, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('combobox')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(trigger));

    ctrl('k');
    fireEvent.click(await screen.findByRole('option', { name: /^Go to qa-session/ }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: /qa-session/ })));
    expect(screen.getByRole('main').getAttribute('aria-label')).toBe('Environment qa-session');
  });

  it('an identity with no permissions gets a plain sentence, not a search box over zeros', () => {
    render(<PermissionList profile={{ accounts: [], roles: ['guest'], permissions: [], permissionsFromRoles: [] }} />);
    const region = screen.getByRole('region', { name: 'Permissions' });
    expect(within(region).getByText(/reports no permissions/)).toBeTruthy();
    expect(within(region).queryByRole('searchbox')).toBeNull();
    expect(within(region).queryByRole('button')).toBeNull();
  });

  it('toasts sit in a polite live region and wait while hovered or focused', () => {
    vi.useFakeTimers();
    const store = createDeskStore(createFakeApi({}));
    render(
      <StoreProvider store={store}>
        <ToastRegion />
      </StoreProvider>,
    );
    const region = screen.getByRole('region', { name: 'Notifications' });
    expect(region.getAttribute('aria-live')).toBe('polite');
    act(() => store.getState().toast('success', 'Copied Authorization header', 'Clipboard clears in 30 s'));
    const toast = within(region).getByRole('status');
    fireEvent.mouseEnter(toast);
    act(() => vi.advanceTimersByTime(20_000));
    expect(within(region).queryByText('Copied Authorization header')).not.toBeNull();
    fireEvent.mouseLeave(toast);
    act(() => vi.advanceTimersByTime(5_100));
    expect(within(region).queryByText('Copied Authorization header')).toBeNull();
  });
});
