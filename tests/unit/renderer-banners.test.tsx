// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../e2e/fixtures/render-app.js';

afterEach(cleanup);

describe('banners for problems the user must fix outside the app', () => {
  it('a locked keychain is named, and the app says it will not fall back to a file', async () => {
    await renderApp({ keychain: { ok: false, code: 'keychain_locked', message: 'The OS keychain is locked: unlock it and try again.' } });
    const alert = screen.getAllByRole('alert').find((a) => a.textContent?.includes('Keychain is locked'));
    expect(alert?.textContent).toMatch(/unlock it and try again.*never falls back to a plain file/);
  });

  it('an unreadable configuration says where the old file went', async () => {
    await renderApp({ configError: 'config.json is not valid JSON; it was moved to /home/u/.config/tokendesk/config.json.corrupt-2026' });
    const alert = screen.getAllByRole('alert').find((a) => a.textContent?.includes('could not be read'));
    expect(alert?.textContent).toContain('config.json.corrupt-2026');
  });

  it('no banner when all is well', async () => {
    await renderApp();
    expect(screen.queryAllByRole('alert').filter((a) => /Keychain|configuration/.test(a.textContent ?? ''))).toHaveLength(0);
  });
});
