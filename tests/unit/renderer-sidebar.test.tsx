// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { liveStatus } from '../../src-renderer/lib/status.js';
import { renderApp } from '../e2e/fixtures/render-app.js';

afterEach(cleanup);

const rows = () => screen.getAllByTestId('env-row');
const row = (name: string) => rows().find((r) => within(r).queryByText(name, { selector: '.env-name' }))!;

describe('sidebar', () => {
  it('lists every environment with provider, active identity and a live status', async () => {
    await renderApp();
    expect(rows().map((r) => within(r).getByText(/./, { selector: '.env-name' }).textContent)).toEqual(['local', 'staging', 'production', 'session-api', 'qa-session', 'sandbox']);

    const local = row('local');
    expect(local.textContent).toContain('owner@connectgain.test');
    expect(local.textContent).toContain('Supabase');
    expect(local.querySelector('[data-status]')?.getAttribute('data-status')).toBe('valid');
    expect(local.textContent).toMatch(/valid, 5[78]m/);

    expect(row('production').querySelector('[data-status]')?.getAttribute('data-status')).toBe('expiring');
    expect(within(row('production')).getByText('PROD')).toBeTruthy();
    expect(row('qa-session').querySelector('[data-status]')).toBeNull();
    expect(row('qa-session').textContent).toContain('nobody signed in');
    expect(row('sandbox').querySelector('[data-status]')?.textContent).toBe('✕expired');
    expect(row('session-api').textContent).toContain('Session API');
  });

  it('filters by name, provider and identity email; says when nothing matches', async () => {
    await renderApp();
    const box = screen.getByRole('searchbox', { name: 'Filter environments' });
    fireEvent.change(box, { target: { value: 'session' } });
    expect(rows().map((r) => r.querySelector('.env-name')?.textContent)).toEqual(['session-api', 'qa-session']);
    fireEvent.change(box, { target: { value: 'admin@' } });
    expect(rows().map((r) => r.querySelector('.env-name')?.textContent)).toEqual(['production']);
    fireEvent.change(box, { target: { value: 'supabase owner' } });
    expect(rows().map((r) => r.querySelector('.env-name')?.textContent)).toEqual(['local', 'staging']);
    fireEvent.change(box, { target: { value: 'nothing-like-this' } });
    expect(screen.queryAllByTestId('env-row')).toHaveLength(0);
    expect(screen.getByText(/No environment matches/)).toBeTruthy();
  });

  it('marks a selected production environment with a red band across the window', async () => {
    await renderApp();
    fireEvent.click(row('production'));
    expect(row('production').getAttribute('aria-current')).toBe('true');
    expect(document.querySelector('.app')?.classList.contains('app-prod')).toBe(true);
    expect(screen.getByText(/PRODUCTION · production/)).toBeTruthy();
    fireEvent.click(row('local'));
    expect(document.querySelector('.app')?.classList.contains('app-prod')).toBe(false);
  });

  it('shows an expired status as soon as the expiry passes, before the next state arrives', () => {
    const base = { id: 'i', envId: 'e', email: 'a@b.c', label: 'a@b.c', subject: 'u', active: true, rememberPassword: false, canRenew: true, renewal: 'refresh_token', canRememberPassword: false } as const;
    expect(liveStatus({ ...base, status: 'valid', expiresAt: 1000 }, 999)).toBe('valid');
    expect(liveStatus({ ...base, status: 'valid', expiresAt: 1000 }, 1000)).toBe('expired');
    expect(liveStatus({ ...base, status: 'signed_out' }, 5000)).toBe('signed_out');
  });
});
