// @vitest-environment happy-dom
/**
 * Issue 20: the window renders any sign-in flow from the contract alone — the environment's methods,
 * each method's fields, and every later step (a second question, a device code, a browser to continue
 * in, progress) — over the in-memory API's multi-step methods (fake-api.ts, `flows`).
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_EMAIL_CODE } from '../e2e/fixtures/fake-api.js';
import { renderApp, selectEnv } from '../e2e/fixtures/render-app.js';

afterEach(cleanup);

const FORM = 'Sign in to qa-session';
const form = () => screen.getByRole('form', { name: FORM });
const toasts = () => screen.getByRole('region', { name: 'Notifications' });

async function openFlows(opts: { flowDeadlineMs?: number } = {}) {
  const r = await renderApp({ flows: true, ...opts });
  selectEnv('qa-session');
  return r;
}

function pick(method: string): void {
  fireEvent.click(within(form()).getByRole('radio', { name: new RegExp(`^${method}`) }));
}

describe('the sign-in form offers the environment’s methods', () => {
  it('shows no method picker for a single method, and one radio per method otherwise', async () => {
    await renderApp();
    selectEnv('qa-session');
    expect(within(form()).queryByRole('group', { name: 'Sign in with' })).toBeNull();
    cleanup();

    await openFlows();
    const group = within(form()).getByRole('group', { name: 'Sign in with' });
    expect(within(group).getAllByRole('radio').map((r) => r.getAttribute('value'))).toEqual(['password', 'email-code', 'device', 'browser']);
    expect(within(group).getByRole('radio', { name: /^Email and password/ })).toHaveProperty('checked', true);
    // Each method's own fields: the emailed code asks only for the email, the device code for nothing.
    pick('Emailed code');
    expect(within(form()).getByLabelText('Email')).toBeTruthy();
    expect(within(form()).queryByLabelText('Password')).toBeNull();
    expect(within(form()).queryByLabelText('Remember password')).toBeNull();
    pick('Device code');
    expect(within(form()).queryByLabelText('Email')).toBeNull();
  });
});

describe('a flow of several steps', () => {
  it('asks for the emailed code, shows why a wrong one was refused with the field emptied, then signs in', async () => {
    const { api } = await openFlows();
    pick('Emailed code');
    fireEvent.change(within(form()).getByLabelText('Email'), { target: { value: ' code@test.com ' } });
    fireEvent.submit(form());

    const question = await within(form()).findByRole('group', { name: 'Enter the code' });
    expect(api.calls.find((c) => c.method === 'beginSignIn')?.input).toEqual({ envId: 'empty', method: 'email-code', answers: { email: 'code@test.com' } });
    expect(question.textContent).toContain('We sent a code to code@test.com.');
    const code = within(question).getByLabelText('Code') as HTMLInputElement;
    // A secret field: masked, and the browser is told it is a one-time code.
    expect(code.type).toBe('password');
    expect(code.autocomplete).toBe('one-time-code');

    fireEvent.change(code, { target: { value: '000000' } });
    fireEvent.click(within(question).getByRole('button', { name: 'Verify' }));
    const refused = await within(form()).findByText('That code is not right: check the email and try again');
    const again = refused.closest('[role="group"]') as HTMLElement;
    expect((within(again).getByLabelText('Code') as HTMLInputElement).value).toBe('');

    fireEvent.change(within(again).getByLabelText('Code'), { target: { value: FAKE_EMAIL_CODE } });
    fireEvent.keyDown(within(again).getByLabelText('Code'), { key: 'Enter' });
    await waitFor(() => expect(screen.queryByRole('form', { name: FORM })).toBeNull());
    expect(api.calls.filter((c) => c.method === 'continueSignIn').map((c) => c.input)).toEqual([
      { flowId: expect.any(String), answers: { code: '000000' } },
      { flowId: expect.any(String), answers: { code: FAKE_EMAIL_CODE } },
    ]);
    expect(within(toasts()).getByText('Signed in as code@test.com')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Identities in qa-session' })).getByText('code@test.com')).toBeTruthy();
  });

  it('shows the device code with its countdown, then the progress, until the flow is done', async () => {
    const { api } = await openFlows();
    pick('Device code');
    fireEvent.submit(form());
    const code = (await within(form()).findByRole('textbox', { name: 'Device code' })) as HTMLInputElement;
    expect(code.value).toBe('WDJB-MJHT');
    expect(code.readOnly).toBe(true);
    expect(within(form()).getByText(/^The code expires in/).textContent).toMatch(/^The code expires in (10:00|9:\d\d)$/);
    // The flow is followed at once: the window waits for its next step.
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'continueSignIn')).toHaveLength(1));

    fireEvent.click(within(form()).getByRole('button', { name: 'Open the verification page' }));
    await waitFor(() => expect(api.calls.find((c) => c.method === 'openExternal')?.input).toEqual({ url: 'https://auth.example.test/device' }));

    act(() => api.flowProgress('Approved: fetching the session…'));
    const progress = await within(form()).findByRole('region', { name: 'Signing in' });
    expect(progress.getAttribute('aria-busy')).toBe('true');
    expect(progress.textContent).toContain('Approved: fetching the session…');
    expect(within(form()).queryByRole('textbox', { name: 'Device code' })).toBeNull();

    act(() => api.approveFlow('device@test.com'));
    await waitFor(() => expect(screen.queryByRole('form', { name: FORM })).toBeNull());
    expect(within(toasts()).getByText('Signed in as device@test.com')).toBeTruthy();
    expect(api.liveFlows()).toBe(0);
  });

  it('opens the browser once for an open-url step, again on request, and shows the address to copy', async () => {
    const { api } = await openFlows();
    pick('Browser');
    fireEvent.submit(form());
    await within(form()).findByRole('heading', { name: 'Continue in your browser' });
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'openExternal')).toHaveLength(1));
    const { url } = api.calls.find((c) => c.method === 'openExternal')!.input as { url: string };
    expect(url).toMatch(/^https:\/\/auth\.example\.test\/authorize\?client_id=tokendesk&state=flow-\d+$/);
    expect((within(form()).getByRole('textbox', { name: 'Sign-in address' }) as HTMLInputElement).value).toBe(url);
    fireEvent.click(within(form()).getByRole('button', { name: 'Open again' }));
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'openExternal').map((c) => c.input)).toEqual([{ url }, { url }]));
  });

  it('follows a notice’s sign-in-progress events while it waits', async () => {
    const { api } = await openFlows();
    pick('Device code');
    fireEvent.submit(form());
    await within(form()).findByRole('textbox', { name: 'Device code' });
    await waitFor(() => expect(api.calls.some((c) => c.method === 'continueSignIn')).toBe(true));
    const id = (api.calls.find((c) => c.method === 'continueSignIn')!.input as { flowId: string }).flowId;
    // Only the event: the pending continueSignIn has not answered.
    act(() => api.emit({ type: 'sign-in-progress', flowId: id, step: { kind: 'progress', flowId: id, title: 'Polling', message: 'Still waiting for the approval', expiresAt: Date.now() + 60_000 } }));
    expect((await within(form()).findByRole('region', { name: 'Polling' })).textContent).toContain('Still waiting for the approval');
    // Another flow's event changes nothing.
    act(() => api.emit({ type: 'sign-in-progress', flowId: 'someone-else', step: { kind: 'progress', flowId: 'someone-else', title: 'Other', message: 'not ours', expiresAt: Date.now() + 60_000 } }));
    expect(within(form()).queryByText('not ours')).toBeNull();
  });
});

describe('cancel, errors and the deadline', () => {
  it('Cancel ends the flow in the core and returns to the form', async () => {
    const { api } = await openFlows();
    pick('Device code');
    fireEvent.submit(form());
    await within(form()).findByRole('textbox', { name: 'Device code' });
    expect(api.liveFlows()).toBe(1);
    fireEvent.click(within(form()).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(api.liveFlows()).toBe(0));
    expect(api.calls.some((c) => c.method === 'cancelSignIn')).toBe(true);
    expect(within(form()).getByRole('group', { name: 'Sign in with' })).toBeTruthy();
    expect(within(form()).queryByRole('alert')).toBeNull();
  });

  it('switching to another environment cancels the flow in progress', async () => {
    const { api } = await openFlows();
    pick('Device code');
    fireEvent.submit(form());
    await within(form()).findByRole('textbox', { name: 'Device code' });
    selectEnv('local');
    await waitFor(() => expect(api.liveFlows()).toBe(0));
    expect(api.calls.filter((c) => c.method === 'cancelSignIn')).toHaveLength(1);
  });

  it('a flow that fails later shows its error in the form, with the email kept and no secret', async () => {
    const { api } = await openFlows();
    pick('Emailed code');
    fireEvent.change(within(form()).getByLabelText('Email'), { target: { value: 'code@test.com' } });
    fireEvent.submit(form());
    const question = await within(form()).findByRole('group', { name: 'Enter the code' });
    api.failNext('continueSignIn', 'flow_timed_out', 'The sign-in timed out after 10 min: nothing was stored; start again');
    fireEvent.change(within(question).getByLabelText('Code'), { target: { value: FAKE_EMAIL_CODE } });
    fireEvent.click(within(question).getByRole('button', { name: 'Verify' }));
    expect((await within(form()).findByRole('alert')).textContent).toBe('The sign-in timed out after 10 min: nothing was stored; start again');
    expect((within(form()).getByLabelText('Email') as HTMLInputElement).value).toBe('code@test.com');
    expect(within(form()).getByRole('radio', { name: /^Emailed code/ })).toHaveProperty('checked', true);
  });

  it('the password is gone from the form after a refused sign-in; the email stays', async () => {
    await renderApp();
    selectEnv('qa-session');
    fireEvent.change(within(form()).getByLabelText('Email'), { target: { value: 'test@test.com' } });
    fireEvent.change(within(form()).getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.submit(form());
    expect((await within(form()).findByRole('alert')).textContent).toContain('The email or password is incorrect');
    expect((within(form()).getByLabelText('Password') as HTMLInputElement).value).toBe('');
    expect((within(form()).getByLabelText('Email') as HTMLInputElement).value).toBe('test@test.com');
  });

  it('asks a user name, not an email address, when the session API signs in with another identifier field', async () => {
    const { api, store } = await renderApp();
    await api.updateEnvironment({ id: 'empty', patch: { settings: { identifierField: 'username' } } });
    await act(() => store.getState().refresh());
    selectEnv('qa-session');
    expect(within(form()).queryByLabelText('Email')).toBeNull();
    const name = within(form()).getByLabelText('User name') as HTMLInputElement;
    expect(name.type).toBe('text');
    fireEvent.change(name, { target: { value: 'alice' } });
    fireEvent.change(within(form()).getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.submit(form());
    // Not refused as "Enter an email address": sent as the `email` answer, which the provider posts as username.
    await waitFor(() => expect(api.calls.find((c) => c.method === 'beginSignIn')?.input).toMatchObject({ envId: 'empty', answers: { email: 'alice', password: 'pw' } }));
  });

  it('shows the flow’s deadline on a question only when under 2 minutes are left', async () => {
    await openFlows({ flowDeadlineMs: 90_000 });
    pick('Emailed code');
    fireEvent.change(within(form()).getByLabelText('Email'), { target: { value: 'code@test.com' } });
    fireEvent.submit(form());
    const question = await within(form()).findByRole('group', { name: 'Enter the code' });
    expect(within(question).getByText(/^This sign-in ends in/).textContent).toMatch(/^This sign-in ends in 1:(30|2\d)$/);
    cleanup();

    await openFlows();
    pick('Emailed code');
    fireEvent.change(within(form()).getByLabelText('Email'), { target: { value: 'code@test.com' } });
    fireEvent.submit(form());
    const roomy = await within(form()).findByRole('group', { name: 'Enter the code' });
    expect(within(roomy).queryByText(/This sign-in ends in/)).toBeNull();
  });
});
