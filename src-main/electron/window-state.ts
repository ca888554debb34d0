import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** Window bounds remembered between runs, in window-state.json beside the config (no secret in it). */
export const WINDOW_STATE_FILE = 'window-state.json';

const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1100, height: 720, maximized: false };

/** Parses the saved file; anything odd gives the defaults (a bad file must not stop the app). */
export function parseWindowState(raw: unknown): WindowState {
  const r = WindowStateSchema.safeParse(raw);
  return r.success ? r.data : { ...DEFAULT_WINDOW_STATE };
}

/**
 * Keeps a remembered position only if a good part of the window lands on a display that exists now
 * (a monitor may have been unplugged); otherwise the OS centres it. Size is capped to the work area.
 */
export function fitToDisplays(state: WindowState, workAreas: Rect[]): WindowState {
  const biggest = workAreas.reduce<Rect | undefined>((a, b) => (!a || b.width * b.height > a.width * a.height ? b : a), undefined);
  const width = biggest ? Math.min(state.width, biggest.width) : state.width;
  const height = biggest ? Math.min(state.height, biggest.height) : state.height;
  const out: WindowState = { width, height, maximized: state.maximized };
  if (state.x === undefined || state.y === undefined) return out;
  const win: Rect = { x: state.x, y: state.y, width, height };
  const visible = workAreas.some((a) => {
    const w = Math.min(win.x + win.width, a.x + a.width) - Math.max(win.x, a.x);
    const h = Math.min(win.y + win.height, a.y + a.height) - Math.max(win.y, a.y);
    return w >= 100 && h >= 50 && win.y >= a.y - 10;
  });
  return visible ? { ...out, x: state.x, y: state.y } : out;
}

export function loadWindowState(home: string): WindowState {
  try {
    return parseWindowState(JSON.parse(readFileSync(join(home, WINDOW_STATE_FILE), 'utf8')));
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
}

/**
 * Written via a temp file and rename, so a crash never leaves half a file. Errors are ignored.
 * `positionKnown: false` (Wayland) keeps the size only: there getNormalBounds() reports x = y = 0.
 */
export function saveWindowState(home: string, bounds: Rect, maximized: boolean, opts: { positionKnown?: boolean } = {}): void {
  const r = roundRect(bounds);
  const state = parseWindowState(opts.positionKnown === false ? { width: r.width, height: r.height, maximized } : { ...r, maximized });
  try {
    mkdirSync(home, { recursive: true });
    const file = join(home, WINDOW_STATE_FILE);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {
    // Remembering the window is a nicety: never fail a quit over it.
  }
}

/**
 * Whether the app can read and set its window's position. Not on Wayland: the compositor places
 * windows and Electron reports { x: 0, y: 0 } ("On Wayland, this method will return { x: 0, y: 0, ... }
 * as introspecting or programmatically changing the global window coordinates is prohibited",
 * https://www.electronjs.org/docs/latest/api/browser-window#wingetbounds). Since Electron 38 a
 * Linux app runs natively on Wayland when the session is Wayland, unless --ozone-platform=x11
 * (Xwayland) is given.
 */
export function windowPositionIsKnown(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  switches: { ozonePlatform?: string; ozonePlatformHint?: string } = {},
): boolean {
  if (platform !== 'linux') return true;
  const forced = (switches.ozonePlatform ?? '').toLowerCase();
  if (forced) return forced !== 'wayland';
  const hint = (switches.ozonePlatformHint ?? env.ELECTRON_OZONE_PLATFORM_HINT ?? '').toLowerCase();
  if (hint === 'x11') return true;
  const wayland = Boolean(env.WAYLAND_DISPLAY) || env.XDG_SESSION_TYPE?.toLowerCase() === 'wayland';
  return !wayland;
}

function roundRect(r: Rect): Rect {
  return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
}
