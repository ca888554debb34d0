import { mkdirSync } from 'node:fs';
import { APP_USER_MODEL_ID, chromiumUserDataDir, PRODUCT_NAME } from './app-identity.js';
import { APP_SCHEME_PRIVILEGES } from './app-protocol.js';

/** The slices of Electron's app and protocol used before `ready` (fakes in tests). */
export interface PreReadyApp {
  setName(name: string): void;
  getPath(name: 'appData'): string;
  setPath(name: 'userData', path: string): void;
  setAppUserModelId(id: string): void;
}
export interface PreReadyProtocol {
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: { standard: boolean; secure: boolean; supportFetchAPI: boolean } }>): void;
}

export interface PreReadyOptions {
  platform: NodeJS.Platform;
  /** TokenDesk's configuration folder (resolveHome()). */
  configHome: string;
  /** app.isPackaged (default true: the installed app's folder). */
  packaged?: boolean;
  /** TOKENDESK_HOME is set. */
  homeOverridden?: boolean;
  mkdir?: (dir: string) => void;
}

/**
 * Everything that must happen before `ready` (and before requestSingleInstanceLock, whose lock file
 * lives in userData): the product name; Chromium's data in a folder of its own, not the
 * configuration folder; the app:// scheme's privileges (registerable only before ready, once); on
 * Windows the AppUserModelID toasts need. Returns the userData folder chosen (undefined: Chromium's
 * default, when the folder cannot be made).
 */
export function prepareBeforeReady(app: PreReadyApp, protocol: PreReadyProtocol, opts: PreReadyOptions): { userData?: string } {
  app.setName(PRODUCT_NAME);
  let userData: string | undefined;
  try {
    const dir = chromiumUserDataDir({
      platform: opts.platform,
      appData: app.getPath('appData'),
      configHome: opts.configHome,
      packaged: opts.packaged,
      homeOverridden: opts.homeOverridden,
    });
    // setPath throws for a folder that does not exist.
    (opts.mkdir ?? ((d: string) => mkdirSync(d, { recursive: true, mode: 0o700 })))(dir);
    app.setPath('userData', dir);
    userData = dir;
  } catch {
    // An unwritable app-data folder: Chromium keeps its default place; the app still starts.
  }
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME_PRIVILEGES.scheme, privileges: { ...APP_SCHEME_PRIVILEGES.privileges } }]);
  // Windows shows a toast only for an app whose id matches its Start menu shortcut (the installer's appId).
  // https://www.electronjs.org/docs/latest/api/app#appsetappusermodelidid-windows
  if (opts.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  return { userData };
}
