// The Electron shell: a thin layer over the core (createAppService). Policies live in ./policies
// as pure functions; this file only wires them to Electron's objects.
import { dirname, join } from 'node:path';
import { app, BrowserWindow, clipboard, dialog, ipcMain, Notification, powerMonitor, protocol, session, shell } from 'electron';
import { IPC_EVENT_CHANNEL } from '../contract/api.js';
import type { AppEvent, AppState } from '../contract/types.js';
import { createAppService } from '../core/app/service.js';
import { resolveHome } from '../core/config/paths.js';
import { sanitizeForDisplay } from '../core/text/sanitize.js';
import { writePrivateFile } from '../core/fs/private-file.js';
import { APP_SCHEME, APP_URL, createAppProtocolHandler, rendererDir } from './app-protocol.js';
import { prepareBeforeReady } from './before-ready.js';
import { chooseClipboardBackend, copiedNotice, isExecutableFile, notClearedMessage, onPath, runSync, wlClipboard } from './clipboard-backend.js';
import { ClipboardGuard } from './clipboard-guard.js';
import { createElectronDispatch, runCall, type ShellActions } from './dispatch.js';
import { chosenFile, PROJECT_FILE_DIALOG } from './project-dialog.js';
import { registerIpc } from './ipc.js';
import { NotificationKeeper } from './notification-keeper.js';
import { NotificationPolicy, type IdentityInfo } from './notification-policy.js';
import { appPaths } from './paths.js';
import { reportStartupFailure } from './startup-log.js';
import { EXTERNAL_HOST_ALLOWLIST, openExternalSafely, type ExternalAllowList } from './policies/external.js';
import { signInOrigins, type SignInOriginSource } from '../shell-common/sign-in-origins.js';
import { isTrustedSender } from './policies/navigation.js';
import { hardenSession, hardenWebContents } from './security.js';
import { clearOnSessionEnd, hideOnCloseToTray } from './session-end.js';
import { anotherInstanceMessage } from './single-instance.js';
import { TrayController } from './tray.js';
import { trayIconFileName, type TrayAction } from './tray-model.js';
import { createMainWindow } from './window.js';
import { windowPositionIsKnown } from './window-state.js';

const TRAY_REFRESH_MS = 30_000;

// Before ready and before the single-instance lock: name, Chromium's own folder, app:// scheme, AUMID.
// A development build or a TOKENDESK_HOME of its own gets its own folder, so its own lock.
const { userData } = prepareBeforeReady(app, protocol, {
  platform: process.platform,
  configHome: resolveHome(),
  packaged: app.isPackaged,
  homeOverridden: Boolean(process.env.TOKENDESK_HOME),
});

if (!app.requestSingleInstanceLock()) {
  // Another TokenDesk is running: it gets focus (second-instance), this one leaves, saying so.
  console.error(anotherInstanceMessage(userData));
  app.quit();
} else {
  // Every renderer sandboxed, whatever its webPreferences say.
  app.enableSandbox();
  void start().catch((e: unknown) => {
    // The whole error (secrets redacted) goes to a file in the log folder, named in the terminal and a box.
    reportStartupFailure(e, { app, dialog });
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const paths = appPaths({ packaged: app.isPackaged, appPath: app.getAppPath() });
  // The page: app://tokendesk/index.html (served below), or electron-vite's dev server in development.
  const appUrl = paths.devUrl ?? APP_URL;
  // The only place a URL reaches shell.openExternal: parsed, no credentials, and either an https help
  // page on an allow-listed host or a page of a configured environment's own sign-in origin (read from
  // the config at each click; none before the core is up).
  let environments: () => Promise<readonly SignInOriginSource[]> = () => Promise.resolve([]);
  let flowUrls: () => string[] = () => [];
  const allowList = async (): Promise<ExternalAllowList> => {
    let origins: string[] = [];
    try {
      origins = signInOrigins(await environments());
    } catch {
      /* the state cannot be read: help pages only */
    }
    return { hosts: EXTERNAL_HOST_ALLOWLIST, origins, urls: flowUrls() };
  };
  const openLink = async (url: string) => openExternalSafely(url, await allowList(), (u) => shell.openExternal(u)); // eng-disable OPEN_EXTERNAL_JS_CHECK
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, appUrl, openLink));

  await app.whenReady();
  // out/renderer over app://tokendesk, every response with the CSP header.
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir(app.getAppPath())));
  hardenSession(session.defaultSession, paths.devUrl);

  const home = resolveHome();
  const service = createAppService({ home, shell: 'electron' });
  environments = async () => (await service.handle('getState', {})).environments;
  flowUrls = () => service.core.sessions.flows.shownUrls();
  let win: BrowserWindow | null = null;

  const send = (e: AppEvent) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, e);
  };
  // On a native Wayland window the clipboard goes through wl-clipboard where it is installed, and a
  // clear is claimed only when reading back confirms it (clipboard-backend.ts).
  const backend = chooseClipboardBackend({
    platform: process.platform,
    env: process.env,
    switches: { ozonePlatform: app.commandLine.getSwitchValue('ozone-platform'), ozonePlatformHint: app.commandLine.getSwitchValue('ozone-platform-hint') },
    wlClipboard: process.platform === 'linux' && onPath(['wl-copy', 'wl-paste'], process.env, isExecutableFile),
  });
  let notifyLater: (title: string, body: string) => void = () => undefined;
  const guard = new ClipboardGuard(backend === 'wl-clipboard' ? wlClipboard(runSync) : clipboard, {
    verifiable: backend !== 'unverifiable',
    onCleared: () => send({ type: 'clipboard-cleared' }),
    onClearFailed: () => {
      const message = notClearedMessage(backend);
      send({ type: 'clipboard-not-cleared', message });
      notifyLater('Clipboard not cleared', message);
    },
  });
  // A shutdown or log-off ends the app without before-quit on Windows: clear the copied secret then too.
  const attachSessionEnd = clearOnSessionEnd(process.platform, powerMonitor, () => void guard.flush());
  const positionKnown = windowPositionIsKnown(process.platform, process.env, {
    ozonePlatform: app.commandLine.getSwitchValue('ozone-platform'),
    ozonePlatformHint: app.commandLine.getSwitchValue('ozone-platform-hint'),
  });

  const shellActions: ShellActions = {
    writeClipboard: (text, clearsInSeconds) => guard.copy(text, clearsInSeconds),
    async saveFile(fileName, content) {
      const options = { defaultPath: join(app.getPath('downloads'), fileName) };
      const r = win && !win.isDestroyed() ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (r.canceled || !r.filePath) return undefined;
      // Owner-only: an export may hold tokens when the user asked for them. Written whole beside the file
      // and moved into place (the dialog asked about replacing it): never an old file truncated first,
      // nor one whose wider mode sees the secrets, nor half a file on a full disk (core/fs/private-file.ts).
      await writePrivateFile(r.filePath, content, { overwrite: true });
      return r.filePath;
    },
    openLinkSafely: openLink,
    async chooseProjectFile() {
      const r = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, PROJECT_FILE_DIALOG) : await dialog.showOpenDialog(PROJECT_FILE_DIALOG);
      return chosenFile(r);
    },
  };
  registerIpc(ipcMain, service, {
    // An origin check (app://tokendesk, or the dev server): no file path, so no drive-letter case to get wrong.
    isTrustedSender: (event) => isTrustedSender(event, appUrl),
    shell: shellActions,
    onRefused: (reason) => console.warn(`[ipc] refused: ${reason}`),
  });

  // From before-quit on, a close really closes (hideOnCloseToTray); the pending clear happens now.
  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
    guard.flush();
  });
  const showWindow = () => {
    if (!win || win.isDestroyed()) {
      win = createMainWindow({ home, preloadPath: paths.preload, appUrl, iconPath: paths.icon, devTools: Boolean(paths.devUrl), positionKnown });
      attachSessionEnd(win);
      // Windows: hidden, not destroyed, while the tray runs, so a log-off still reaches session-end.
      hideOnCloseToTray(win, { platform: process.platform, hasTray: () => tray !== undefined, quitting: () => quitting });
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  showWindow();

  // The latest state, for the tray and for naming identities in notifications.
  let state: AppState | undefined;
  let tray: TrayController | undefined;
  // Events can come in bursts (a refresh emits several): one getState at a time, one more if asked meanwhile.
  let refreshing: Promise<void> | undefined;
  let again = false;
  const refreshState = async (): Promise<void> => {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        again = false;
        const r = await runCall(createElectronDispatch(service, shellActions), 'getState', {});
        if (r.ok) {
          state = r.value as AppState;
          tray?.update(state, Date.now());
        }
      } while (again);
    })().finally(() => (refreshing = undefined));
    return refreshing;
  };

  // Each notification is held until done with, or its click handler is garbage-collected.
  const notifications = new NotificationKeeper();
  const notify = (title: string, body: string) => {
    if (!Notification.isSupported()) return;
    // Bodies can carry a server's error message (a failed copy): plain text only, like every notification.
    notifications.show(new Notification({ title: sanitizeForDisplay(title), body: sanitizeForDisplay(body) }), showWindow);
  };
  notifyLater = notify;

  const trayDispatch = createElectronDispatch(service, shellActions);
  const onTrayAction = async (a: TrayAction) => {
    if (a.kind === 'show') return showWindow();
    if (a.kind === 'quit') return app.quit();
    const r =
      a.kind === 'copy'
        ? await runCall(trayDispatch, 'copy', { envId: a.envId, item: { kind: a.item } })
        : await runCall(trayDispatch, 'switchIdentity', { envId: a.envId, identityId: a.identityId });
    if (!r.ok) notify('TokenDesk', r.error.message);
    else if (a.kind === 'copy') {
      const v = r.value as { label: string; clearsInSeconds: number | null };
      const notice = copiedNotice(backend, v.label, v.clearsInSeconds);
      notify(notice.title, notice.body);
    }
    await refreshState();
  };
  try {
    // macOS: the template image beside tray.png (trayTemplate.png, @2x found by name).
    tray = new TrayController(join(dirname(paths.trayIcon), trayIconFileName(process.platform)), (a) => void onTrayAction(a));
  } catch {
    tray = undefined; // No tray on this desktop: the window still works.
  }

  const lookup = (identityId: string): IdentityInfo | undefined => {
    for (const env of state?.environments ?? []) {
      const i = env.identities.find((x) => x.id === identityId);
      if (i) return { envName: env.name, email: i.label, canRenew: i.canRenew, expiresAt: i.expiresAt, ...(i.refreshExpiresAt !== undefined && { refreshExpiresAt: i.refreshExpiresAt }) };
    }
    return undefined;
  };
  const policy = new NotificationPolicy(lookup);
  service.onEvent((e) => {
    send(e);
    const notice = policy.decide(e);
    if (notice) notify(notice.title, notice.body);
    if (e.type !== 'clipboard-cleared' && e.type !== 'clipboard-not-cleared') void refreshState();
  });
  await refreshState();
  const timer = setInterval(() => void refreshState(), TRAY_REFRESH_MS);

  // The core re-checks every session after sleep (timers do not run while suspended).
  powerMonitor.on('resume', () => {
    void service.onResume?.().catch(() => undefined);
    // ...and asks each server whether it still accepts its session: it may have restarted meanwhile (issue 27).
    void service.handle('checkSessions', {}).catch(() => undefined);
  });

  app.on('window-all-closed', () => {
    // macOS and Windows keep the tray (and background refresh) alive; Linux trays are unreliable.
    if (process.platform === 'linux' || !tray) app.quit();
  });

  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    clearInterval(timer);
    tray?.destroy();
    void service
      .close()
      .catch(() => undefined)
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}
