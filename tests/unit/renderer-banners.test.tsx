// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../e2e/fixtures/render-app.js';

afterEach(cleanup);

describe('banners for problems the user must fix outside the app', () => {
  it('a locked keychain is named, and the app says it will not fall back to a file', async () => {
    await renderApp({ keychain: { ok: false, code: 'keychain_locked', message: 'The OS keychain is locked: unlock it and try again.' } });
    const alert = screen.getAllByRole('alert').find((a) => a.textContent?.includes('Keychain is locked'));
    expect(alert?.textContent).toMatch(/unlock it and try again.*never falls back to a plain file/);
  });

  it('the file secret store without its passphrase is named as such, not as the keychain', async () => {
    await renderApp({ keychain: { ok: false, code: 'passphrase_missing', message: 'The file secret store (TOKENDESK_SECRET_STORE=file) needs its passphrase: set TOKENDESK_PASSPHRASE_FILE.' } });
    const alert = screen.getAllByRole('alert').find((a) => a.textContent?.includes('TOKENDESK_PASSPHRASE_FILE'));
    expect(alert?.textContent).toMatch(/^Secrets key file locked: The file secret store/);
    expect(screen.queryByText(/Keychain unavailable/)).toBeNull();
  });

  it('the key kept in the other store: named as such, with no start-over (the vault is intact)', async () => {
    await renderApp({
      keychain: { ok: false, code: 'secret_store_mismatch', message: 'The key of the secrets vault /v is in the passphrase-protected file /k, not in the OS keychain: set TOKENDESK_SECRET_STORE=file to open it.' },
    });
    const alert = screen.getAllByRole('alert').find((a) => a.textContent?.includes('TOKENDESK_SECRET_STORE=file'));
    expect(alert?.textContent).toMatch(/^Secrets key kept elsewhere: The key of the secrets vault/);
    expect(screen.queryByText(/Keychain unavailable/)).toBeNull();
    expect(screen.queryByRole('button', { name: /Start over/ })).toBeNull();
  });

  it('an unreadable configuration says where the old file went', async () => {
    await renderApp({ configError: 'config.json is not valid JSON; it was moved to /home/u/.config/tokendesk/config.json.corrupt-2026' });
    const alert = screen.getAllByRole('alert').find((a) => a.textContent?.includes('could not be read'));
    expect(alert?.textContent).toContain('config.json.corrupt-2026');
  });

  it('the vault key gone: the banner offers to start over, asks first, then the app starts over and says where the old vault is kept', async () => {
    const { api } = await renderApp({
      scenario: 'demo',
      keychain: { ok: false, code: 'vault_key_missing', message: 'The key of the secrets vault /home/me/.config/tokendesk/secrets.vault is gone from the OS keychain' },
    });
    const alert = () => screen.queryAllByRole('alert').find((a) => a.textContent?.includes("key is gone from the OS keychain"));
    // The copy panel cannot list the variables either: it points at the banner instead of repeating it.
    const stale = () => screen.queryAllByText(/Postman variables are unavailable until the keychain problem above is fixed/);
    await waitFor(() => expect(stale().length).toBeGreaterThan(0));
    expect(screen.queryAllByText(/secrets\.vault is gone from the OS keychain/)).toEqual([]);
    expect(alert()?.textContent).toMatch(/cannot be read, and nothing was changed.*moves the old vault aside \(it is kept\)/);
    expect(screen.queryByText(/Keychain unavailable/)).toBeNull();

    fireEvent.click(within(alert()!).getByRole('button', { name: 'Start over…' }));
    const dialog = screen.getByRole('dialog', { name: 'Start over with an empty vault?' });
    // Cancel first: nothing is asked of the main process.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.calls.some((c) => c.method === 'startOverVault')).toBe(false);

    // A browser focuses a button it clicks; fireEvent does not.
    const opener = within(alert()!).getByRole('button', { name: 'Start over…' });
    opener.focus();
    fireEvent.click(opener);
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Move it aside and start over' }));
    await waitFor(() => expect(alert()).toBeUndefined());
    // ...and no stale "key is gone" stays behind once the vault is usable again: the variables are listed.
    await waitFor(() => expect(screen.getByText('Postman variables')).toBeTruthy());
    expect(stale()).toEqual([]);
    expect(screen.queryAllByText(/secrets\.vault is gone from the OS keychain/)).toEqual([]);
    // The button that opened the dialog went with the banner: focus lands on the environment, not the page.
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement?.hasAttribute('data-env-heading')).toBe(true);
    expect(api.calls.filter((c) => c.method === 'startOverVault')).toHaveLength(1);
    expect((await screen.findByText('Started over with an empty vault')).closest('[role="status"], .toast')?.textContent).toContain('secrets.vault.abandoned-');
  });

  it('a vault restored from an older copy: the banner says so (not "key gone") and offers the same start-over', async () => {
    const { api } = await renderApp({
      scenario: 'demo',
      keychain: { ok: false, code: 'vault_rolled_back', message: 'The secrets vault /home/me/.config/tokendesk/secrets.vault was restored from an older copy' },
    });
    const alert = () => screen.queryAllByRole('alert').find((a) => a.textContent?.includes('restored from an older copy'));
    await waitFor(() => expect(alert()?.textContent).toMatch(/nothing is sent\s+to a server from it.*moves the old vault aside \(it is kept\)/));
    expect(screen.queryByText(/Keychain unavailable/)).toBeNull();
    expect(alert()?.textContent).not.toContain('key is gone');
    fireEvent.click(within(alert()!).getByRole('button', { name: 'Start over…' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Move it aside and start over' }));
    await waitFor(() => expect(alert()).toBeUndefined());
    expect(api.calls.filter((c) => c.method === 'startOverVault')).toHaveLength(1);
  });

  it('a refused start-over (the key came back meanwhile) is shown in the dialog, which stays open', async () => {
    const { api } = await renderApp({ keychain: { ok: false, code: 'vault_key_missing', message: 'gone' } });
    api.failNext('startOverVault', 'invalid_input', 'The secrets vault opens with its key from the OS keychain: there is nothing to start over, and nothing was changed');
    fireEvent.click(screen.getByRole('button', { name: 'Start over…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Move it aside and start over' }));
    const dialog = screen.getByRole('dialog', { name: 'Start over with an empty vault?' });
    expect((await within(dialog).findByText(/there is nothing to start over/)).textContent).toContain('nothing was changed');
  });

  it('no banner when all is well', async () => {
    await renderApp();
    expect(screen.queryAllByRole('alert').filter((a) => /Keychain|configuration/.test(a.textContent ?? ''))).toHaveLength(0);
  });
});
