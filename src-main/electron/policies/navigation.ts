import { APP_SCHEME } from '../app-protocol.js';

/**
 * The UI is the app's own page and nothing else: navigation anywhere else is denied, new windows are
 * denied (links go through openExternalSafely), and IPC is answered only for the app's own top frame.
 */

/**
 * True when `url` is the app's page: the same origin as `appUrl`. For the app's own scheme
 * (app://tokendesk) that is scheme + host — Node leaves a custom scheme's origin opaque ("null"), so
 * it is compared by hand, host case-insensitively (Chromium lower-cases a standard scheme's host).
 * For the dev server it is the http origin. A file:// page is never the app: the renderer is not
 * loaded from file:// (its URL would depend on the install path and on Chromium's canonical form).
 */
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
  if (app.protocol === 'http:' || app.protocol === 'https:') return u.origin === app.origin;
  if (app.protocol !== `${APP_SCHEME}:` || !app.host) return false;
  if (u.username || u.password || u.port !== app.port) return false;
  return u.host.toLowerCase() === app.host.toLowerCase();
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
