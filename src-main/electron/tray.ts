import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { AppState } from '../contract/types.js';
import { buildLoadingTrayMenuModel, buildTrayMenuModel, trayTooltip, type TrayAction, type TrayItem } from './tray-model.js';

/** Labels are plain text: '&' would become a keyboard mnemonic on Windows. */
const escapeLabel = (s: string) => s.replace(/&/g, '&&');

/** The thin step from the pure model to Electron's menu template. */
export function toMenuTemplate(items: TrayItem[], onAction: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'submenu':
        return { label: escapeLabel(item.label), submenu: toMenuTemplate(item.submenu, onAction) };
      case 'radio':
        return { type: 'radio', label: escapeLabel(item.label), checked: item.checked, click: () => onAction(item.action) };
      case 'normal': {
        const action = item.action;
        return { label: escapeLabel(item.label), enabled: item.enabled, click: action ? () => onAction(action) : undefined };
      }
    }
  });
}

export class TrayController {
  private readonly tray: Tray;

  constructor(
    iconPath: string,
    private readonly onAction: (a: TrayAction) => void,
    platform: NodeJS.Platform = process.platform,
  ) {
    // A file named …Template.png (and its @2x) is loaded as a macOS template image by its name.
    const image = nativeImage.createFromPath(iconPath);
    this.tray = new Tray(image.isEmpty() ? nativeImage.createEmpty() : image);
    this.tray.setToolTip('TokenDesk');
    // A menu at once: before the first state read answers, the tray still opens and quits the app.
    this.setMenu(buildLoadingTrayMenuModel());
    // Windows and Linux users left-click a tray icon to open the app (on Linux, where the
    // StatusNotifierItem host sends an activation). On macOS a click opens the menu.
    // https://www.electronjs.org/docs/latest/api/tray#event-click
    if (platform !== 'darwin') this.tray.on('click', () => this.onAction({ kind: 'show' }));
  }

  update(state: AppState, now: number): void {
    this.setMenu(buildTrayMenuModel(state, now));
    this.tray.setToolTip(trayTooltip(state, now));
  }

  destroy(): void {
    this.tray.destroy();
  }

  private setMenu(items: TrayItem[]): void {
    this.tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(items, this.onAction)));
  }
}
