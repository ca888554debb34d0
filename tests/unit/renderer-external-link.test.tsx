// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../e2e/fixtures/render-app.js';

afterEach(cleanup);

async function anonKeyHelpLink(shell: 'electron' | 'web') {
  const r = await renderApp({ shell });
  fireEvent.click(screen.getAllByRole('button', { name: 'Add environment' })[0]!);
  const link = within(screen.getByRole('dialog', { name: 'Add environment' })).getByRole('link', { name: 'where to find it' });
  return { ...r, link };
}

describe('external links', () => {
  it('in Electron, the anon key help asks the main process to open the page (openExternal) and does not navigate', async () => {
    const { api, link } = await anonKeyHelpLink('electron');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    link.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(api.calls.filter((c) => c.method === 'openExternal')).toEqual([{ method: 'openExternal', input: { url: 'https://supabase.com/docs/guides/api/api-keys' } }]);
  });

  it('in a browser, it is a plain link to a new tab, without opener', async () => {
    const { api, link } = await anonKeyHelpLink('web');
    expect(link.getAttribute('href')).toBe('https://supabase.com/docs/guides/api/api-keys');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    // The app leaves the click to the browser (not prevented); the test then stops the navigation itself.
    let leftToBrowser: boolean | undefined;
    const stop = (e: Event) => {
      leftToBrowser = !e.defaultPrevented;
      e.preventDefault();
    };
    document.addEventListener('click', stop);
    link.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    document.removeEventListener('click', stop);
    expect(leftToBrowser).toBe(true);
    expect(api.calls.some((c) => c.method === 'openExternal')).toBe(false);
  });
});
