/**
 * The renderer's webPreferences, per Electron's security checklist: the page gets no Node, runs in
 * Chromium's sandbox and an isolated world, and can only reach the main process through the preload's
 * named functions. Pure (no electron import) so it is unit-tested as is.
 */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  spellcheck: false;
  safeDialogs: true;
  disableBlinkFeatures: string;
  devTools: boolean;
}

export function secureWebPreferences(preloadPath: string, opts: { devTools?: boolean } = {}): SecureWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    // A file dropped on the window must not replace the app's page.
    navigateOnDragDrop: false,
    // The spellchecker would send typed text (emails, passwords) to a dictionary service on some OSes.
    spellcheck: false,
    safeDialogs: true,
    // Middle-click opens links through a path that bypasses will-navigate on older versions.
    disableBlinkFeatures: 'Auxclick',
    devTools: opts.devTools ?? false,
  };
}
