import type { AppState, EnvironmentView, IdentityView } from '../contract/types.js';
import { sanitizeForDisplay } from '../core/text/sanitize.js';

/** What a tray item does; the shell maps it onto a core call. */
export type TrayAction =
  | { kind: 'copy'; envId: string; item: 'authorization-header' | 'token' }
  | { kind: 'switch'; envId: string; identityId: string }
  | { kind: 'show' }
  | { kind: 'quit' };

export type TrayItem =
  | { type: 'separator' }
  | { type: 'normal'; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'radio'; label: string; checked: boolean; action: TrayAction }
  | { type: 'submenu'; label: string; submenu: TrayItem[] };

export const INLINE_ENVIRONMENTS = 5;

/** "42 min left", "2 h 5 min left", "expired"; rounded down so it never promises too much. */
export function formatTimeLeft(expiresAt: number, now: number): string {
  const ms = expiresAt - now;
  if (ms <= 0) return 'expired';
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'less than 1 min left';
  if (min < 60) return `${min} min left`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (h < 48) return m ? `${h} h ${m} min left` : `${h} h left`;
  return `${Math.floor(h / 24)} days left`;
}

function activeIdentity(env: EnvironmentView): IdentityView | undefined {
  return env.identities.find((i) => i.id === env.activeIdentityId) ?? env.identities.find((i) => i.active);
}

function identityStatus(identity: IdentityView | undefined, now: number): string {
  if (!identity) return 'not signed in';
  if (identity.status === 'signed_out') return `${identity.label} · signed out`;
  if (identity.status === 'ended') return `${identity.label} · ended by the server`;
  if (identity.status === 'error') return `${identity.label} · needs attention`;
  if (identity.expiresAt === undefined) return identity.label;
  return `${identity.label} · ${formatTimeLeft(identity.expiresAt, now)}`;
}

/** The items of one environment: a heading with who is signed in, the copy actions, switch identity. */
function environmentItems(env: EnvironmentView, now: number): TrayItem[] {
  const identity = activeIdentity(env);
  const name = env.production ? `${env.name} (production)` : env.name;
  const usable = identity !== undefined && identity.status !== 'signed_out' && identity.status !== 'ended';
  const items: TrayItem[] = [
    { type: 'normal', label: `${name} — ${identityStatus(identity, now)}`, enabled: false },
    { type: 'normal', label: 'Copy Authorization header', enabled: usable, action: { kind: 'copy', envId: env.id, item: 'authorization-header' } },
    { type: 'normal', label: 'Copy token', enabled: usable, action: { kind: 'copy', envId: env.id, item: 'token' } },
  ];
  if (env.identities.length > 1) {
    items.push({
      type: 'submenu',
      label: 'Switch identity',
      submenu: env.identities.map((i) => ({
        type: 'radio',
        label: i.displayName ? `${i.displayName} <${i.label}>` : i.label,
        checked: i.id === identity?.id,
        action: { kind: 'switch', envId: env.id, identityId: i.id },
      })),
    });
  }
  return items;
}

/**
 * The tray menu as data: the first INLINE_ENVIRONMENTS environments inline (separated), the rest as
 * one submenu each under "More environments". No secret ever appears in it.
 */
export function buildTrayMenuModel(state: Pick<AppState, 'environments'>, now: number): TrayItem[] {
  const menu: TrayItem[] = [];
  const envs = state.environments;
  if (envs.length === 0) menu.push({ type: 'normal', label: 'No environments yet', enabled: false });
  envs.slice(0, INLINE_ENVIRONMENTS).forEach((env, i) => {
    if (i > 0) menu.push({ type: 'separator' });
    menu.push(...environmentItems(env, now));
  });
  const more = envs.slice(INLINE_ENVIRONMENTS);
  if (more.length) {
    menu.push({ type: 'separator' });
    menu.push({
      type: 'submenu',
      label: 'More environments',
      submenu: more.map((env) => ({ type: 'submenu', label: env.production ? `${env.name} (production)` : env.name, submenu: environmentItems(env, now) })),
    });
  }
  menu.push({ type: 'separator' }, ...footerItems());
  return menu.map(cleanLabels);
}

/** The menu shown from the moment the tray appears until the first state read answers. */
export function buildLoadingTrayMenuModel(): TrayItem[] {
  return [
    { type: 'normal', label: 'Loading…', enabled: false },
    { type: 'separator' },
    ...footerItems(),
  ];
}

function footerItems(): TrayItem[] {
  return [
    { type: 'normal', label: 'Open TokenDesk', enabled: true, action: { kind: 'show' } },
    { type: 'normal', label: 'Quit TokenDesk', enabled: true, action: { kind: 'quit' } },
  ];
}

/**
 * The tray image's file name. macOS: a template image (black + alpha, the name ending in
 * "Template", with an @2x beside it) that the menu bar tints for light and dark mode.
 * https://www.electronjs.org/docs/latest/api/tray#platform-considerations
 */
export function trayIconFileName(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'trayTemplate.png' : 'tray.png';
}

/** Labels carry environment names and emails from the server or an imported file: one plain line each. */
function cleanLabels(item: TrayItem): TrayItem {
  if (item.type === 'separator') return item;
  if (item.type === 'submenu') return { ...item, label: sanitizeForDisplay(item.label), submenu: item.submenu.map(cleanLabels) };
  return { ...item, label: sanitizeForDisplay(item.label) };
}

/** The tooltip: the active identity of the first environment, or the app name. */
export function trayTooltip(state: Pick<AppState, 'environments'>, now: number): string {
  const env = state.environments[0];
  if (!env) return 'TokenDesk';
  return sanitizeForDisplay(`TokenDesk — ${env.name}: ${identityStatus(activeIdentity(env), now)}`);
}
