import nodePath from 'node:path';

/** The name users see (window title, notifications, the Start menu and Dock) and installers use. */
export const PRODUCT_NAME = 'TokenDesk';

/**
 * Windows' Application User Model ID: a toast is shown only for an app whose id matches a Start menu
 * shortcut's, and electron-builder's NSIS installer gives its shortcut the build's appId. So this
 * must equal package.json's build.appId.
 * https://www.electronjs.org/docs/latest/tutorial/notifications#windows
 */
export const APP_USER_MODEL_ID = 'dev.tokendesk.app';

export interface UserDataInput {
  platform: NodeJS.Platform;
  /** app.getPath('appData'): %APPDATA%, ~/Library/Application Support, $XDG_CONFIG_HOME or ~/.config. */
  appData: string;
  /** TokenDesk's own configuration folder (resolveHome()). */
  configHome: string;
  /** app.isPackaged: the installed app (default), or `npm start`, a test, electron . */
  packaged?: boolean;
  /** TOKENDESK_HOME is set: a configuration folder of its own (tests, portable setups). */
  homeOverridden?: boolean;
}

const pathFor = (platform: NodeJS.Platform) => (platform === 'win32' ? nodePath.win32 : nodePath.posix);

/** True when one folder is the other or inside it (case-insensitively where the file system is). */
export function foldersOverlap(a: string, b: string, platform: NodeJS.Platform): boolean {
  const path = pathFor(platform);
  const fold = (p: string) => (platform === 'win32' || platform === 'darwin' ? path.resolve(p).toLowerCase() : path.resolve(p));
  const inside = (child: string, parent: string) => {
    const rel = path.relative(fold(parent), fold(child));
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  return inside(a, b) || inside(b, a);
}

/**
 * Where Chromium keeps its own data (Cache, Local Storage, GPUCache, SingletonLock…): by default
 * appData/<app name>, which on Linux is ~/.config/tokendesk — the configuration folder itself — and
 * on Windows (case-insensitive) the folder that holds tokendesk\Config. A folder of its own instead,
 * so the configuration folder holds only TokenDesk's files; beside the configuration folder when
 * TOKENDESK_HOME points at or around the usual place.
 * The single-instance lock lives there too, so a development build (`npm start`, not packaged) or a
 * run with its own TOKENDESK_HOME (tests, the e2e Electron test) gets a folder of its own: otherwise an
 * installed TokenDesk that is running takes the lock, and the development build quits at once.
 * app.setPath('userData') must run before `ready` (and before requestSingleInstanceLock, whose lock
 * lives there): https://www.electronjs.org/docs/latest/api/app#appsetpathname-path and
 * https://www.electronjs.org/docs/latest/api/app#apprequestsingleinstancelockadditionaldata
 */
export function chromiumUserDataDir(input: UserDataInput): string {
  const path = pathFor(input.platform);
  const beside = `${path.resolve(input.configHome)}-electron`;
  // Its own configuration folder: its own Chromium data and lock, beside that folder.
  if (input.homeOverridden) return beside;
  const preferred = path.join(input.appData, PRODUCT_NAME, input.packaged === false ? 'Electron-dev' : 'Electron');
  if (!foldersOverlap(preferred, input.configHome, input.platform)) return preferred;
  return beside;
}
