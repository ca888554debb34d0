import { BrowserWindow, screen } from 'electron';
import { secureWebPreferences } from './policies/web-preferences.js';
import { fitToDisplays, loadWindowState, saveWindowState } from './window-state.js';

export interface MainWindowOptions {
  home: string;
  preloadPath: string;
  /** file:// URL of out/renderer/index.html, or the dev server URL. */
  appUrl: string;
  iconPath: string;
  devTools: boolean;
}

/** The one app window: remembered bounds, secure webPreferences, shown once the page has painted. */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const saved = fitToDisplays(loadWindowState(opts.home), screen.getAllDisplays().map((d) => d.workArea));
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
  if (saved.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => saveWindowState(opts.home, win.getNormalBounds(), win.isMaximized()));
  void win.loadURL(opts.appUrl);
  return win;
}
