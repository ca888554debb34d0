/**
 * The UI is the app's own page and nothing else: navigation anywhere else is denied, new windows are
 * denied (links go through openExternalSafely), and IPC is answered only for the app's own top frame.
 */

/** True when `url` is the app's page: same file path for file://, same origin for the dev server. */
export function isAppUrl(url: string | undefined | null, appUrl: string): boolean {
  if (!url) return false;
  let u: URL;
  let app: URL;
  try {
    u = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (u.protocol !== app.protocol) return false;
  if (app.protocol === 'file:') return u.host === app.host && u.pathname === app.pathname;
  if (app.protocol === 'http:' || app.protocol === 'https:') return u.origin === app.origin;
  return false;
}

export interface PreventableEvent {
  preventDefault(): void;
}

/** will-navigate / will-redirect / will-frame-navigate handler: deny unless it stays on the app's page. */
export function makeNavigationGuard(appUrl: string, onDenied?: (url: string) => void) {
  return (event: PreventableEvent, url: string): void => {
    if (isAppUrl(url, appUrl)) return;
    event.preventDefault();
    onDenied?.(url);
  };
}

/**
 * setWindowOpenHandler: never open a window. An allowed https link is handed to the guarded opener
 * instead (which checks it again); everything else is dropped.
 */
export function makeWindowOpenHandler(openExternal: (url: string) => unknown) {
  return (details: { url: string }): { action: 'deny' } => {
    void openExternal(details.url);
    return { action: 'deny' };
  };
}

/** The parts of an IPC event used to verify who sent it (Electron's IpcMainInvokeEvent). */
export interface IpcSenderLike {
  senderFrame?: { url: string; parent: unknown } | null;
}

/** IPC is answered only for the app's own page, in its top frame (not an iframe, not a foreign page). */
export function isTrustedSender(event: IpcSenderLike, appUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null && frame.parent !== undefined) return false;
  return isAppUrl(frame.url, appUrl);
}
