import { BrowserWindow, screen } from 'electron';
import { secureWebPreferences } from './policies/web-preferences.js';
import { fitToDisplays, loadWindowState, saveWindowState, type Rect, type WindowState } from './window-state.js';

export interface MainWindowOptions {
  home: string;
  preloadPath: string;
  /** app://tokendesk/index.html, or the dev server URL. */
  appUrl: string;
  iconPath: string;
  devTools: boolean;
  /** False on Wayland: no saved position is applied or remembered, only the size. */
  positionKnown?: boolean;
}

/** The slice of BrowserWindow the show/remember wiring uses (a fake in tests). */
export interface WindowLike {
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  maximize(): void;
  show(): void;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
}

/**
 * Shows the window once its first frame is painted, maximized then if it was maximized last time.
 * Maximizing earlier shows the window at once (Windows and Linux do), unpainted: a white flash.
 * https://www.electronjs.org/docs/latest/api/browser-window#using-the-ready-to-show-event
 */
export function showWhenPainted(win: WindowLike, saved: Pick<WindowState, 'maximized'>): void {
  win.once('ready-to-show', () => {
    if (saved.maximized) win.maximize();
    win.show();
  });
}

/** Remembers the normal (unmaximized) bounds on close; only the size where the position is unknown. */
export function rememberBoundsOnClose(win: WindowLike, home: string, positionKnown: boolean): void {
  win.on('close', () => saveWindowState(home, win.getNormalBounds(), win.isMaximized(), { positionKnown }));
}

/** The one app window: remembered bounds, secure webPreferences, shown once the page has painted. */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const positionKnown = opts.positionKnown ?? true;
  const fitted = fitToDisplays(loadWindowState(opts.home), screen.getAllDisplays().map((d) => d.workArea));
  // On Wayland a position passed in is ignored at best; left out, the compositor places the window.
  const saved = positionKnown ? fitted : { width: fitted.width, height: fitted.height, maximized: fitted.maximized };
  // The scanner cannot see through secureWebPreferences(); its values are unit-tested (electron-policies, electron-window).
  const win = new BrowserWindow({ // eng-disable NODE_INTEGRATION_JS_CHECK CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
    x: saved.x,
    y: saved.y,
    width: saved.width,
    height: saved.height,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'TokenDesk',
    icon: opts.iconPath,
    webPreferences: secureWebPreferences(opts.preloadPath, { devTools: opts.devTools }),
  });
  showWhenPainted(win, saved);
  rememberBoundsOnClose(win, opts.home, positionKnown);
  void win.loadURL(opts.appUrl);
  return win;
}
