import { createBridgeClient } from './bridge-client.js';
import type { DeskApi } from './types.js';

export type { DeskApi } from './types.js';
export { ApiError, errorCode, errorMessage } from './types.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload (src-preload); absent in a normal browser. */
    tokendesk?: DeskApi;
  }
}

/** Electron's preload when present, otherwise the web bridge of `npm run web`. */
export function pickApi(win: Window = window): DeskApi {
  return win.tokendesk ?? createBridgeClient();
}
