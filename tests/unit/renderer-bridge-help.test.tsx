// @vitest-environment happy-dom
/** The web UI opened without this run's secret: it says where the address is and takes it pasted. */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src-renderer/app/App.js';
import { BridgeTokenHelp, bridgeTarget } from '../../src-renderer/app/BridgeTokenHelp.js';
import { createDeskStore, StoreProvider } from '../../src-renderer/store.js';
import { createFakeApi } from '../e2e/fixtures/fake-api.js';

afterEach(cleanup);

describe('web UI without its secret', () => {
  it('explains where the address is instead of "Missing token — Retry"', async () => {
    const api = createFakeApi();
    api.failNext('getState', 'unauthorized', 'Missing token');
    render(
      <StoreProvider store={createDeskStore(api)}>
        <App />
      </StoreProvider>,
    );
    const help = await screen.findByRole('alert');
    expect(within(help).getByRole('heading').textContent).toBe('This page needs the address with this run’s secret');
    expect(help.textContent).toContain('The terminal that started it (npm run web, or npm start when it opened the browser) printed the address');
    // This page's own address, not a port the bridge never uses (issue 25: the page said 5174).
    expect(help.textContent).toContain(`${window.location.origin}/?token=…`);
    expect(within(help).queryByRole('button', { name: 'Retry' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(within(help).getByLabelText('Address from the terminal')));
  });

  it('names the address the terminal printed: this page\'s host and port (the bridge\'s 5179 by default), never a fixed 5174', () => {
    render(<BridgeTokenHelp reason="Missing token" navigate={() => undefined} here="http://127.0.0.1:5179/?x=1#y" />);
    const help = screen.getByRole('alert');
    expect(help.textContent).toContain('a line like http://127.0.0.1:5179/?token=…');
    expect(help.textContent).not.toContain('5174');
    expect(screen.getByLabelText('Address from the terminal').getAttribute('placeholder')).toBe('http://127.0.0.1:5179/?token=…');
  });

  it('says when the tab holds the secret of an earlier run', () => {
    render(<BridgeTokenHelp reason="Wrong token" navigate={() => undefined} />);
    expect(screen.getByRole('heading').textContent).toBe('This page has the secret of an earlier run');
  });

  it('opens a pasted address, and refuses what would not work with a reason', () => {
    const navigate = vi.fn();
    render(<BridgeTokenHelp reason="Missing token" navigate={navigate} />);
    const field = screen.getByLabelText('Address from the terminal');
    const open = screen.getByRole('button', { name: 'Open' });
    fireEvent.change(field, { target: { value: 'http://127.0.0.1:5174/' } });
    fireEvent.click(open);
    expect(screen.getByText('That address has no ?token=… part: copy the whole line, up to its end')).toBeTruthy();
    fireEvent.change(field, { target: { value: 'https://evil.example/?token=abc' } });
    fireEvent.click(open);
    expect(screen.getByText(/only runs on this computer/)).toBeTruthy();
    expect(navigate).not.toHaveBeenCalled();
    fireEvent.change(field, { target: { value: '  http://127.0.0.1:5174/?token=Zx9_abcDEF0123456789  ' } });
    fireEvent.click(open);
    expect(navigate).toHaveBeenCalledWith('http://127.0.0.1:5174/?token=Zx9_abcDEF0123456789');
  });

  it('takes a bare secret too, on this page’s address', () => {
    expect(bridgeTarget('Zx9_abcDEF0123456789', 'http://127.0.0.1:6000/#x')).toEqual({ url: 'http://127.0.0.1:6000/?token=Zx9_abcDEF0123456789' });
    expect(bridgeTarget('hello world', 'http://127.0.0.1:6000/')).toHaveProperty('error');
  });
});
