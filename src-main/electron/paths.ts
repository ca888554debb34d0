import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Where the built pieces are, relative to out/main/index.js. The UI is the app's own file unless
 * electron-vite's dev server runs (ELECTRON_RENDERER_URL, never honoured in a packaged app).
 */
export function appPaths(opts: { packaged: boolean; appPath: string; env?: NodeJS.ProcessEnv; mainUrl?: string }) {
  const base = opts.mainUrl ?? import.meta.url;
  const env = opts.env ?? process.env;
  const devUrl = !opts.packaged && env.ELECTRON_RENDERER_URL ? new URL(env.ELECTRON_RENDERER_URL).href : undefined;
  const indexHtml = fileURLToPath(new URL('../renderer/index.html', base));
  return {
    devUrl,
    appUrl: devUrl ?? pathToFileURL(indexHtml).href,
    preload: fileURLToPath(new URL('../preload/index.cjs', base)),
    icon: join(opts.appPath, 'resources', 'icon.png'),
    trayIcon: join(opts.appPath, 'resources', 'tray.png'),
  };
}
