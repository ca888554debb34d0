import type { Session, WebContents } from 'electron';
import { buildCsp, withoutCspHeaders } from '../shell-common/csp.js';
import { makeNavigationGuard, makeWindowOpenHandler } from './policies/navigation.js';
import { denyPermissionCheck, denyPermissionRequest } from './policies/permissions.js';

/**
 * Session-wide rules: the CSP on every response of the app's page, no permission ever granted.
 * The production policy is written out literally so the security scanner evaluates the real string;
 * a unit test checks it equals buildCsp().
 */
export function hardenSession(ses: Session, devOrigin?: string): void {
  const devCsp = devOrigin ? buildCsp({ devOrigin }) : undefined;
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = withoutCspHeaders(details.responseHeaders);
    if (devCsp) {
      // Dev server only (never in a packaged app): its HMR socket and inline preamble.
      callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [devCsp] } }); // eng-disable CSP_GLOBAL_CHECK
      return;
    }
    callback({
      responseHeaders: {
        ...headers,
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'; frame-ancestors 'none'; worker-src 'self'",
        ],
      },
    });
  });
  ses.setPermissionRequestHandler(denyPermissionRequest);
  ses.setPermissionCheckHandler(denyPermissionCheck);
  // No device pickers either (WebHID / WebUSB / Web Serial / Bluetooth).
  ses.setDevicePermissionHandler(() => false);
}

/**
 * Every WebContents the app creates stays on the app's page: navigation and redirects away are
 * denied, windows are never opened (allowed links go to the browser), webviews are refused.
 */
export function hardenWebContents(contents: WebContents, appUrl: string, openExternal: (url: string) => unknown): void {
  const guard = makeNavigationGuard(appUrl, (url) => console.warn(`[security] blocked navigation to ${safeOrigin(url)}`));
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(makeWindowOpenHandler(openExternal));
}

/** Logs where a blocked URL pointed without its path or query (which may carry a token). */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(unparsable URL)';
  }
}
