/** Anything with on(event, listener): Electron's powerMonitor and BrowserWindow, or fakes. */
export interface EventSourceLike {
  on(event: string, listener: () => void): unknown;
}

/**
 * Runs `onEnd` (clear a copied secret) when the OS session ends. On Windows, a shutdown, restart or
 * log-off closes the app without before-quit, will-quit or quit ("On Windows, this event will not be
 * emitted if the app is closed due to a shutdown/restart of the system or a user logout",
 * https://www.electronjs.org/docs/latest/api/app#event-before-quit); Windows says so to each
 * top-level window instead: BrowserWindow 'query-session-end', then 'session-end' (win32 only,
 * https://www.electronjs.org/docs/latest/api/browser-window#event-session-end-windows).
 * On Linux and macOS, powerMonitor 'shutdown' (linux, darwin) comes before the system ends the app.
 * Returns the hook to call for each window the app creates.
 */
export function clearOnSessionEnd(platform: NodeJS.Platform, powerMonitor: EventSourceLike, onEnd: () => void): (win: EventSourceLike) => void {
  if (platform === 'linux' || platform === 'darwin') powerMonitor.on('shutdown', onEnd);
  return (win) => {
    if (platform !== 'win32') return;
    // query-session-end may still be vetoed by another app; clearing early costs nothing.
    win.on('query-session-end', onEnd);
    win.on('session-end', onEnd);
  };
}

/** The slice of BrowserWindow that closing to the tray uses (a fake in tests). */
export interface HideableWindow {
  on(event: 'close', listener: (e: { preventDefault(): void }) => void): unknown;
  hide(): void;
}

/**
 * Windows: closing the window while the tray keeps the app running hides it instead. Only top-level
 * windows receive WM_QUERYENDSESSION / WM_ENDSESSION ("sent to all top-level windows",
 * https://learn.microsoft.com/windows/win32/shutdown/wm-queryendsession), and Electron turns them into
 * BrowserWindow 'query-session-end' / 'session-end' (Windows only,
 * https://www.electronjs.org/docs/latest/api/browser-window#event-query-session-end-windows), while
 * app 'before-quit' does not come on a log-off or shutdown. A destroyed window would leave nothing to
 * clear the copied secret then; a hidden one still gets both. Quitting (tray Quit, app.quit) closes it.
 * Elsewhere a close closes: Linux quits with its last window, macOS has powerMonitor 'shutdown'.
 */
export function hideOnCloseToTray(win: HideableWindow, opts: { platform: NodeJS.Platform; hasTray: () => boolean; quitting: () => boolean }): void {
  if (opts.platform !== 'win32') return;
  win.on('close', (e) => {
    if (opts.quitting() || !opts.hasTray()) return;
    e.preventDefault();
    win.hide();
  });
}
