// The renderer's view of the preload: `window.tokendesk` exists in the Electron app only. In a
// browser (npm run web) it is undefined; use createWebBridgeClient() from
// src-main/web-bridge/client.ts there, which implements the same ExposedApi.
import type { ExposedApi } from './expose.js';

declare global {
  interface Window {
    tokendesk?: ExposedApi;
  }
}

export {};
