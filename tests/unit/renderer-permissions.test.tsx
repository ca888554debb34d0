// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileView } from '../../src-main/contract/types.js';
import { PermissionList } from '../../src-renderer/identities/PermissionList.js';
import { filterPermissions, permissionRows } from '../../src-renderer/identities/permissions.js';

// happy-dom does no layout: give the virtualised list a viewport so it renders rows.
const saved = Object.getOwnPropertyDescriptors(HTMLElement.prototype);
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 280 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 400 });
});
afterAll(() => {
  for (const k of ['clientHeight', 'clientWidth'] as const) {
    const d = saved[k];
    if (d) Object.defineProperty(HTMLElement.prototype, k, d);
    else Reflect.deleteProperty(HTMLElement.prototype, k);
  }
});
afterEach(cleanup);

const seed: ProfileView = {
  accounts: [],
  roles: ['superAdmin'],
  permissions: ['readApplications', 'writeApplications', 'miscPermission', 'anotherPermission'],
  permissionsFromRoles: ['readApplications', 'writeApplications'],
};

const shown = () => screen.queryAllByTestId('permission').map((li) => [li.querySelector('.perm-name')?.textContent, li.querySelector('.perm-source')?.textContent]);

describe('permissions', () => {
  it('labels each permission "role" or "direct"', () => {
    render(<PermissionList profile={seed} />);
    expect(shown()).toEqual([
      ['readApplications', 'role'],
      ['writeApplications', 'role'],
      ['miscPermission', 'direct'],
      ['anotherPermission', 'direct'],
    ]);
    expect(screen.getByText('4 permissions')).toBeTruthy();
  });

  it('searches case-insensitively and by source', () => {
    render(<PermissionList profile={seed} />);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search permissions' }), { target: { value: 'PERMISSION' } });
    expect(shown()).toEqual([
      ['miscPermission', 'direct'],
      ['anotherPermission', 'direct'],
    ]);
    expect(screen.getByText('2 of 4 permissions')).toBeTruthy();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search permissions' }), { target: { value: 'app' } });
    fireEvent.click(within(screen.getByRole('group', { name: 'Show permissions' })).getByRole('button', { name: /Direct/ }));
    expect(screen.getByText(/No permission matches/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /From roles/ }));
    expect(shown().map((r) => r[0])).toEqual(['readApplications', 'writeApplications']);
  });

  it('keeps 5,000 permissions virtualised and filters them quickly', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `benchPermission${String(i + 1).padStart(4, '0')}`);
    render(<PermissionList profile={{ accounts: [], roles: ['benchmark'], permissions: many, permissionsFromRoles: many.slice(0, 2500) }} />);
    expect(screen.getByText('5000 permissions')).toBeTruthy();
    expect(screen.getAllByTestId('permission').length).toBeLessThan(60);
    const box = screen.getByRole('searchbox', { name: 'Search permissions' });
    const t0 = performance.now();
    fireEvent.change(box, { target: { value: 'benchPermission49' } });
    const ms = performance.now() - t0;
    expect(screen.getByText('100 of 5000 permissions')).toBeTruthy();
    expect(shown()[0]).toEqual(['benchPermission4900', 'direct']);
    // happy-dom is far slower than a browser; the real per-keystroke figure comes from scripts/bench-renderer.mjs.
    expect(ms).toBeLessThan(250);
  });

  it('lists each permission once even when a role permission is missing from the flat list', () => {
    const rows = permissionRows(['a', 'b'], ['b', 'c']);
    expect(rows.map((r) => `${r.name}:${r.source}`)).toEqual(['a:direct', 'b:role', 'c:role']);
    expect(filterPermissions(rows, '', 'direct').map((r) => r.name)).toEqual(['a']);
  });
});
