// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBaseUrl, describeProblem } from '../../src-main/contract/validators.js';
import { anonKeyError } from '../../src-renderer/environments/validate.js';
import { renderApp } from '../e2e/fixtures/render-app.js';

afterEach(cleanup);

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJvbGUiOiJhbm9uIn0.c2ln';

async function openForm() {
  const r = await renderApp();
  fireEvent.click(screen.getAllByRole('button', { name: 'Add environment' })[0]!);
  const dialog = screen.getByRole('dialog', { name: 'Add environment' });
  const type = (label: string, value: string) => fireEvent.change(within(dialog).getByLabelText(label), { target: { value } });
  const errorOf = (label: string) => {
    const input = within(dialog).getByLabelText(label);
    const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
    return ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('field-error'))?.textContent;
  };
  return { ...r, dialog, type, errorOf };
}

describe('environment form', () => {
  it('validates as you type, next to each field', async () => {
    const { type, errorOf } = await openForm();
    expect(errorOf('Base URL')).toBeUndefined();
    type('Base URL', 'ftp://example.com');
    expect(errorOf('Base URL')).toBe('Enter an http(s) URL such as https://api.example.com');
    type('Base URL', 'https://<project-ref>.supabase.co');
    expect(errorOf('Base URL')).toBe('Replace the <placeholder> with your own value');
    type('Base URL', 'https://abcd.supabase.co');
    expect(errorOf('Base URL')).toBeUndefined();

    type('Anon key', 'abc');
    expect(errorOf('Anon key')).toBe('An anon key is a JWT (three base64url parts separated by dots) or an sb_publishable_… key');
    type('Anon key', 'sb_secret_abc123');
    expect(errorOf('Anon key')).toMatch(/secret key/);
    type('Anon key', JWT);
    expect(errorOf('Anon key')).toBeUndefined();
    type('Anon key', 'sb_publishable_abc_123');
    expect(errorOf('Anon key')).toBeUndefined();

    type('Name', 'staging');
    expect(errorOf('Name')).toBe('An environment named “staging” already exists');
    type('Name', '   ');
    expect(errorOf('Name')).toBe('Name is required');
  });

  it('shows every missing field on submit and calls nothing', async () => {
    const { api, dialog, errorOf } = await openForm();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add environment' }));
    expect(errorOf('Name')).toBe('Name is required');
    expect(errorOf('Base URL')).toMatch(/^Enter the base URL, e\.g\. https:\/\/abcd\.supabase\.co/);
    expect(errorOf('Anon key')).toMatch(/needs its anon key/);
    expect(api.calls.some((c) => c.method === 'addEnvironment')).toBe(false);
  });

  it('presets fill the form; production is detected and shown in red', async () => {
    const { dialog, type } = await openForm();
    fireEvent.click(within(dialog).getByRole('radio', { name: /Session API/ }));
    expect(within(dialog).queryByLabelText('Anon key')).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Local API' }));
    expect((within(dialog).getByLabelText('Base URL') as HTMLInputElement).value).toBe('http://localhost:3000');
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('local-2');

    fireEvent.click(within(dialog).getByRole('radio', { name: /Supabase/ }));
    // A preset decided the production flag: typing a prod-like name afterwards does not override it.
    type('Name', 'prod-eu');
    type('Base URL', 'https://abcd.supabase.co');
    expect((within(dialog).getByLabelText('Production-like') as HTMLInputElement).checked).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Hosted production' }));
    expect((within(dialog).getByLabelText('Production-like') as HTMLInputElement).checked).toBe(true);
    expect(within(dialog).getByRole('radio', { name: 'Red (production)' })).toHaveProperty('checked', true);
  });

  it('an OpenID Connect preset fills the issuer and its known needs; the next preset takes them away', async () => {
    const { dialog } = await openForm();
    fireEvent.click(within(dialog).getByRole('radio', { name: /OpenID Connect/ }));
    const value = (label: string) => (within(dialog).getByLabelText(label) as HTMLInputElement).value;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Google' }));
    expect(value('Base URL')).toBe('https://accounts.google.com');
    expect(value('Extra authorization parameters')).toBe('access_type=offline&prompt=consent');
    expect(value('Scope')).toBe('openid profile email');
    expect(within(dialog).getByText(/apps in "Testing" lose it after 7 days/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Microsoft Entra ID' }));
    expect(value('Base URL')).toBe('https://login.microsoftonline.com/<tenant-id>/v2.0');
    expect(value('Extra authorization parameters')).toBe('');
    expect(value('Scope')).toBe('openid profile email offline_access');
  });

  it('adds the environment, selects it and offers the sign-in form', async () => {
    const { api, dialog, type } = await openForm();
    type('Name', 'production eu');
    expect((within(dialog).getByLabelText('Production-like') as HTMLInputElement).checked).toBe(true);
    type('Base URL', 'https://abcd.supabase.co');
    type('Anon key', JWT);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add environment' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.calls.find((c) => c.method === 'addEnvironment')?.input).toMatchObject({ name: 'production eu', provider: 'supabase', baseUrl: 'https://abcd.supabase.co', secrets: { anonKey: JWT }, production: true, color: '#d92d20' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('production eu');
    expect(screen.getByRole('form', { name: 'Sign in to production eu' })).toBeTruthy();
  });

  it('shows a server-side rejection under the form', async () => {
    const { api, dialog, type } = await openForm();
    api.failNext('addEnvironment', 'keychain_locked', 'Keychain is locked: unlock your login keyring and try again');
    type('Name', 'dev');
    type('Base URL', 'http://localhost:54321');
    type('Anon key', JWT);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add environment' }));
    expect((await within(dialog).findByText(/Keychain is locked/)).getAttribute('role')).toBe('alert');
  });

  it('refuses a URL with a space, a password or a path the provider adds itself, in the CLI’s words', async () => {
    const { dialog, type, errorOf } = await openForm();
    const sameAsCli = (url: string) => {
      const c = checkBaseUrl(url, 'supabase');
      if (c.ok) throw new Error(`${url} passed the shared validator`);
      // The CLI prints "URL: <message>"; the form shows the same message under the field, as a sentence.
      const cli = describeProblem(c).replace(/^URL: /, '');
      return cli.charAt(0).toUpperCase() + cli.slice(1);
    };
    type('Base URL', 'https://abcd.supabase .co');
    expect(errorOf('Base URL')).toBe(sameAsCli('https://abcd.supabase .co'));
    expect(errorOf('Base URL')).toMatch(/contains a space/);

    type('Base URL', 'https://user:hunter2@abcd.supabase.co');
    expect(errorOf('Base URL')).toMatch(/user name or password .* That is a secret/);
    expect(errorOf('Base URL')).not.toContain('hunter2');

    type('Base URL', 'https://abcd.supabase.co/rest/v1');
    expect(errorOf('Base URL')).toBe(sameAsCli('https://abcd.supabase.co/rest/v1'));
    // The fix is one click away.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Use https://abcd.supabase.co' }));
    expect(within(dialog).getByLabelText('Base URL')).toHaveProperty('value', 'https://abcd.supabase.co');
    expect(errorOf('Base URL')).toBeUndefined();
  });

  it('after a refused submit, focus goes to the first field to fix', async () => {
    const { dialog, type } = await openForm();
    type('Name', 'dev');
    type('Base URL', 'https://abcd.supabase.co/auth/v1');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add environment' }));
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByLabelText('Base URL')));
    type('Base URL', 'https://abcd.supabase.co');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add environment' }));
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByLabelText('Anon key')));
  });

  it('a session API environment says how the account travels: a header, a query parameter or not at all', async () => {
    const { api, dialog, type, errorOf } = await openForm();
    fireEvent.click(within(dialog).getByRole('radio', { name: /Session API/ }));
    const transport = within(within(dialog).getByRole('group', { name: 'Account travels as' }));
    expect(transport.getByRole('radio', { name: 'Not sent' })).toHaveProperty('checked', true);
    fireEvent.click(transport.getByRole('radio', { name: 'Header' }));
    expect(within(dialog).getByLabelText('Header name')).toHaveProperty('value', 'X-Account-Id');
    type('Header name', 'Authorization');
    expect(errorOf('Header name')).toBe('The account header cannot be Authorization: TokenDesk or HTTP already sets it');
    type('Header name', 'X-Tenant');
    expect(errorOf('Header name')).toBeUndefined();
    expect(transport.getByText(/Every copy, curl line and request carries X-Tenant:/)).toBeTruthy();
    type('Name', 'tenants');
    type('Base URL', 'http://localhost:8080');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add environment' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.calls.find((c) => c.method === 'addEnvironment')?.input).toMatchObject({ name: 'tenants', provider: 'session', accountTransport: { kind: 'header', name: 'X-Tenant' } });
  });

  it('editing keeps the account setting and can change it to a query parameter', async () => {
    const { api } = await renderApp();
    fireEvent.click(screen.getByRole('button', { name: /^session-api/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Edit environment session-api' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit session-api' });
    const transport = within(within(dialog).getByRole('group', { name: 'Account travels as' }));
    expect(transport.getByRole('radio', { name: 'Header' })).toHaveProperty('checked', true);
    expect(within(dialog).getByLabelText('Header name')).toHaveProperty('value', 'X-Account-Id');
    fireEvent.click(transport.getByRole('radio', { name: 'Query parameter' }));
    fireEvent.change(within(dialog).getByLabelText('Query parameter name'), { target: { value: 'accountId' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save environment' }));
    await waitFor(() => expect(api.calls.find((c) => c.method === 'updateEnvironment')?.input).toMatchObject({ id: 'session-api', patch: { accountTransport: { kind: 'query', name: 'accountId' } } }));
  });

  it('a URL on another server says who gets signed out before saving; a new path on the same server says nothing', async () => {
    const { api } = await renderApp();
    fireEvent.click(screen.getByRole('button', { name: /^session-api/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Edit environment session-api' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit session-api' });
    const url = within(dialog).getByLabelText('Base URL');
    fireEvent.change(url, { target: { value: 'http://localhost:8080/v2' } });
    expect(within(dialog).queryByTestId('origin-change')).toBeNull();
    fireEvent.change(url, { target: { value: 'https://api.elsewhere.example' } });
    const notice = within(dialog).getByTestId('origin-change');
    expect(notice.textContent).toContain('Another server: http://localhost:8080 → https://api.elsewhere.example.');
    expect(notice.textContent).toMatch(/signed out: their sessions are ended at http:\/\/localhost:8080, and no token or password is sent to the new URL/);
    expect(notice.textContent).toContain('test@test.com');
    // Not production: said, and saved without a further question.
    expect(within(dialog).queryByRole('checkbox', { name: 'Move this production environment to the new server' })).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save environment' }));
    await waitFor(() => expect(api.calls.find((c) => c.method === 'updateEnvironment')?.input).toMatchObject({ id: 'session-api', patch: { baseUrl: 'https://api.elsewhere.example' } }));
  });

  it('a production environment moves to another server only once the box is ticked', async () => {
    const { api } = await renderApp();
    fireEvent.click(screen.getByRole('button', { name: /^production/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Edit environment production' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit production' });
    fireEvent.change(within(dialog).getByLabelText('Base URL'), { target: { value: 'https://evil.example.com' } });
    expect(within(dialog).getByTestId('origin-change').textContent).toContain('admin@connectgain.com will be signed out');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save environment' }));
    expect(within(dialog).getByRole('alert').textContent).toMatch(/production environment: tick the box/);
    expect(api.calls.some((c) => c.method === 'updateEnvironment')).toBe(false);
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Move this production environment to the new server' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save environment' }));
    await waitFor(() => expect(api.calls.find((c) => c.method === 'updateEnvironment')?.input).toMatchObject({ id: 'production', patch: { baseUrl: 'https://evil.example.com', confirmOriginChange: true } }));
  });

  it('saving a move says who was signed out, and that the old server could not be told', async () => {
    await renderApp({ oldServerDown: true });
    fireEvent.click(screen.getByRole('button', { name: /^production/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Edit environment production' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit production' });
    fireEvent.change(within(dialog).getByLabelText('Base URL'), { target: { value: 'https://evil.example.com' } });
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Move this production environment to the new server' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save environment' }));
    const toasts = () => within(screen.getByRole('region', { name: 'Notifications' }));
    await waitFor(() => expect(toasts().getByText('Saved production')).toBeTruthy());
    expect(toasts().getByText('Moved to another server: signed out admin@connectgain.com. Sign in again.')).toBeTruthy();
    expect(toasts().getByText('The old server could not be told')).toBeTruthy();
    expect(toasts().getByText(/The session of admin@connectgain\.com could not be ended at https:\/\/xyzcompany\.supabase\.co/)).toBeTruthy();
  });

  it('a production OpenID environment whose issuer alone changes: the move warning and its box show, and ticked, it saves', async () => {
    const { api } = await renderApp();
    await api.addEnvironment({ name: 'idp-prod', provider: 'oidc', baseUrl: 'https://api.example.com', production: true, settings: { issuer: 'https://login.example.com/realms/main', clientId: 'desk' } });
    fireEvent.click(await screen.findByRole('button', { name: /^idp-prod/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Edit environment idp-prod' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit idp-prod' });
    const issuer = within(dialog).getByLabelText('Issuer');
    // Another realm on the same server is no move.
    fireEvent.change(issuer, { target: { value: 'https://login.example.com/realms/other' } });
    expect(within(dialog).queryByTestId('origin-change')).toBeNull();
    fireEvent.change(issuer, { target: { value: 'https://idp.elsewhere.example/realms/main' } });
    expect(within(dialog).getByTestId('origin-change').textContent).toContain('Another server: https://login.example.com → https://idp.elsewhere.example.');
    const box = within(dialog).getByRole('checkbox', { name: 'Move this production environment to the new server' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save environment' }));
    expect(within(dialog).getByRole('alert').textContent).toMatch(/production environment: tick the box/);
    expect(api.calls.some((c) => c.method === 'updateEnvironment')).toBe(false);
    fireEvent.click(box);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save environment' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Edit idp-prod' })).toBeNull());
    expect(api.calls.find((c) => c.method === 'updateEnvironment')?.input).toMatchObject({ patch: { settings: { issuer: 'https://idp.elsewhere.example/realms/main' }, confirmOriginChange: true } });
    expect(api.envs.find((e) => e.name === 'idp-prod')?.settings.issuer).toBe('https://idp.elsewhere.example/realms/main');
  });

  it('the move warning names the stored keys it removes, and not the ones typed in the same edit', async () => {
    await renderApp();
    fireEvent.click(screen.getByRole('button', { name: /^staging/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Edit environment staging' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit staging' });
    fireEvent.change(within(dialog).getByLabelText('Base URL'), { target: { value: 'https://new-project.supabase.co' } });
    const notice = () => within(dialog).getByTestId('origin-change').textContent;
    expect(notice()).toContain('Its stored anon key and API key will be removed: enter them again for the new server.');
    expect(dialog.textContent).toContain('Stored for the old server: removed with the move unless you enter the new one here.');
    fireEvent.change(within(dialog).getByLabelText('Anon key'), { target: { value: JWT } });
    expect(notice()).toContain('Its stored API key will be removed: enter it again for the new server.');
  });

  it('Escape on a half-filled form asks before discarding; on an untouched one it just closes', async () => {
    const { dialog, type } = await openForm();
    type('Name', 'half');
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });
    const ask = within(dialog).getByRole('alertdialog', { name: 'Discard what you typed?' });
    expect(document.activeElement).toBe(within(ask).getByRole('button', { name: 'Keep editing' }));
    fireEvent.click(within(ask).getByRole('button', { name: 'Keep editing' }));
    expect(within(dialog).queryByRole('alertdialog')).toBeNull();
    expect(within(dialog).getByLabelText('Name')).toHaveProperty('value', 'half');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close dialog' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    fireEvent.click(screen.getAllByRole('button', { name: 'Add environment' })[0]!);
    expect(screen.getByRole('dialog', { name: 'Add environment' })).toBeTruthy();
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('knows a service_role key when it sees one', () => {
    const serviceRole = `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify({ role: 'service_role' })).replace(/=+$/, '')}.sig`;
    expect(anonKeyError(serviceRole)).toMatch(/service_role/);
    expect(anonKeyError('a.b.c')).toBeUndefined();
    expect(anonKeyError('a.b')).toBeDefined();
  });
});

describe('the remove dialog', () => {
  it('counts identities in words a person would use', async () => {
    const { removeDialogText } = await import('../../src-renderer/environments/EnvironmentForm.js');
    expect(removeDialogText(0)).toBe("This signs nobody out on the server, but deletes the environment and its keys from this computer's keychain.");
    expect(removeDialogText(1)).toContain('the environment, its identity and its secrets');
    expect(removeDialogText(3)).toContain('its 3 identities and their secrets');
  });
});
