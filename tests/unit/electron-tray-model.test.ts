import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ Menu: { buildFromTemplate: vi.fn() }, Tray: vi.fn(), nativeImage: {} }));

import { capabilitiesOf } from '../../src-main/contract/providers.js';
import type { AppState, EnvironmentView, IdentityView } from '../../src-main/contract/types.js';
import { buildTrayMenuModel, formatTimeLeft, INLINE_ENVIRONMENTS, trayTooltip, type TrayAction, type TrayItem } from '../../src-main/electron/tray-model.js';
import { toMenuTemplate } from '../../src-main/electron/tray.js';

const NOW = Date.UTC(2025, 0, 17, 10, 0, 0);

function identity(id: string, envId: string, over: Partial<IdentityView> = {}): IdentityView {
  return { id, envId, email: `${id}@example.test`, label: `${id}@example.test`, subject: id, active: false, rememberPassword: false, status: 'valid', canRenew: true, renewal: 'refresh_token', canRememberPassword: false, expiresAt: NOW + 42 * 60_000, ...over };
}

function env(n: number, over: Partial<EnvironmentView> = {}): EnvironmentView {
  const id = `env${n}`;
  const ids = [identity(`owner${n}`, id, { active: true }), identity(`agent${n}`, id)];
  return {
    id, name: `Env ${n}`, provider: 'supabase', capabilities: capabilitiesOf('supabase'), baseUrl: 'https://api.test', color: '#000000', production: false,
    variables: {}, variableNames: {}, hasAnonKey: true, hasApiKey: false, settings: {}, secretSettings: ['anonKey'], accountTransport: { kind: 'none' }, activeIdentityId: ids[0]!.id, identities: ids, ...over,
  };
}

const state = (envs: EnvironmentView[]): Pick<AppState, 'environments'> => ({ environments: envs });
const labels = (items: TrayItem[]) => items.map((i) => (i.type === 'separator' ? '---' : i.label));

describe('formatTimeLeft', () => {
  it.each([
    [-1, 'expired'],
    [0, 'expired'],
    [30_000, 'less than 1 min left'],
    [42 * 60_000 + 59_000, '42 min left'],
    [60 * 60_000, '1 h left'],
    [125 * 60_000, '2 h 5 min left'],
    [72 * 3_600_000, '3 days left'],
  ])('%d ms → %s', (ms, text) => expect(formatTimeLeft(NOW + ms, NOW)).toBe(text));
});

describe('buildTrayMenuModel', () => {
  it('shows each environment with its active identity, time left, copy and switch items', () => {
    const m = buildTrayMenuModel(state([env(1)]), NOW);
    expect(labels(m)).toEqual([
      'Env 1 — owner1@example.test · 42 min left',
      'Copy Authorization header',
      'Copy token',
      'Switch identity',
      '---',
      'Open TokenDesk',
      'Quit TokenDesk',
    ]);
    expect(m[1]).toMatchObject({ enabled: true, action: { kind: 'copy', envId: 'env1', item: 'authorization-header' } });
    expect(m[2]).toMatchObject({ enabled: true, action: { kind: 'copy', envId: 'env1', item: 'token' } });
    const sw = m[3] as Extract<TrayItem, { type: 'submenu' }>;
    expect(sw.submenu).toEqual([
      { type: 'radio', label: 'owner1@example.test', checked: true, action: { kind: 'switch', envId: 'env1', identityId: 'owner1' } },
      { type: 'radio', label: 'agent1@example.test', checked: false, action: { kind: 'switch', envId: 'env1', identityId: 'agent1' } },
    ]);
  });

  it(`puts the first ${INLINE_ENVIRONMENTS} inline and the rest under "More environments"`, () => {
    const m = buildTrayMenuModel(state(Array.from({ length: 8 }, (_, i) => env(i + 1))), NOW);
    const headings = m.filter((i) => i.type === 'normal' && i.enabled === false).map((i) => (i as { label: string }).label);
    expect(headings.map((h) => h.split(' — ')[0])).toEqual(['Env 1', 'Env 2', 'Env 3', 'Env 4', 'Env 5']);
    const more = m.find((i) => i.type === 'submenu' && i.label === 'More environments') as Extract<TrayItem, { type: 'submenu' }>;
    expect(labels(more.submenu)).toEqual(['Env 6', 'Env 7', 'Env 8']);
    const env8 = more.submenu[2] as Extract<TrayItem, { type: 'submenu' }>;
    expect(labels(env8.submenu)).toEqual(['Env 8 — owner8@example.test · 42 min left', 'Copy Authorization header', 'Copy token', 'Switch identity']);
  });

  it('has no "More environments" with 5 or fewer', () => {
    expect(labels(buildTrayMenuModel(state([1, 2, 3, 4, 5].map((n) => env(n))), NOW))).not.toContain('More environments');
  });

  it('disables copying without a usable identity and says why', () => {
    const signedOut = env(1, { identities: [identity('o', 'env1', { active: true, status: 'signed_out', expiresAt: undefined })], activeIdentityId: 'o' });
    const none = env(2, { identities: [], activeIdentityId: undefined });
    const expired = env(3, { identities: [identity('x', 'env3', { active: true, expiresAt: NOW - 1 })], activeIdentityId: 'x' });
    const m = buildTrayMenuModel(state([signedOut, none, expired]), NOW);
    expect(labels(m)).toContain('Env 1 — o@example.test · signed out');
    expect(labels(m)).toContain('Env 2 — not signed in');
    expect(labels(m)).toContain('Env 3 — x@example.test · expired');
    const copies = m.filter((i) => i.type === 'normal' && i.label.startsWith('Copy')) as Array<{ enabled: boolean }>;
    expect(copies.map((c) => c.enabled)).toEqual([false, false, false, false, true, true]);
    // One identity only: no switch submenu.
    expect(labels(m)).not.toContain('Switch identity');
  });

  it('marks production environments and copes with none at all', () => {
    expect(labels(buildTrayMenuModel(state([env(1, { production: true })]), NOW))[0]).toMatch(/^Env 1 \(production\) — /);
    expect(labels(buildTrayMenuModel(state([]), NOW))).toEqual(['No environments yet', '---', 'Open TokenDesk', 'Quit TokenDesk']);
  });

  it('never contains a token', () => {
    const s = JSON.stringify(buildTrayMenuModel(state([env(1)]), NOW));
    expect(s).not.toMatch(/eyJ|Bearer/);
  });

  it('labels and tooltip show a hostile imported name or email as plain text: no escape, control or bidi character', () => {
    const hostileName = 'Prod\u001b]0;pwned\u0007\u202e\u001b[8mhidden\u001b[0m\nline';
    const hostileEmail = 'a\u0000b\u009b2J@evil.test\u2066';
    const ids = [identity('x', 'env1', { active: true, email: hostileEmail, label: hostileEmail, displayName: 'Eve\u001b[2J' }), identity('y', 'env1')];
    const envs = [env(1, { name: hostileName, identities: ids, activeIdentityId: 'x' }), ...Array.from({ length: INLINE_ENVIRONMENTS }, (_, i) => env(i + 2))];
    envs.push(env(99, { name: `More\u009d0;t\u009c${hostileName}` }));
    const m = buildTrayMenuModel(state(envs), NOW);
    const all: string[] = [];
    const walk = (items: TrayItem[]): void => items.forEach((i) => i.type !== 'separator' && (all.push(i.label), i.type === 'submenu' && walk(i.submenu)));
    walk(m);
    all.push(trayTooltip(state(envs), NOW));
    // eslint-disable-next-line no-control-regex -- control characters are what is looked for
    for (const label of all) expect(label).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(all[0]).toBe('Prodhidden line — ab@evil.test · 42 min left');
    expect(all).toContain('Eve <ab@evil.test>');
    expect(all).toContain('MoreProdhidden line');
  });

  it('tooltip names the first environment', () => {
    expect(trayTooltip(state([env(1)]), NOW)).toBe('TokenDesk — Env 1: owner1@example.test · 42 min left');
    expect(trayTooltip(state([]), NOW)).toBe('TokenDesk');
  });
});

describe('toMenuTemplate', () => {
  it('maps the model onto Electron menu items, escaping & and wiring actions', () => {
    const actions: TrayAction[] = [];
    const model = buildTrayMenuModel(state([env(1, { name: 'R&D' })]), NOW);
    const t = toMenuTemplate(model, (a) => actions.push(a));
    expect(t[0]).toMatchObject({ label: 'R&&D — owner1@example.test · 42 min left', enabled: false });
    expect(t[0]!.click).toBeUndefined();
    (t[1]!.click as () => void)();
    const sub = t[3]!.submenu as Array<{ type: string; checked: boolean; click: () => void }>;
    expect(sub[1]).toMatchObject({ type: 'radio', checked: false });
    sub[1]!.click();
    expect(actions).toEqual([
      { kind: 'copy', envId: 'env1', item: 'authorization-header' },
      { kind: 'switch', envId: 'env1', identityId: 'agent1' },
    ]);
    expect(t[4]).toEqual({ type: 'separator' });
  });
});
