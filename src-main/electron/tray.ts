import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { AppState } from '../contract/types.js';
import { buildTrayMenuModel, trayTooltip, type TrayAction, type TrayItem } from './tray-model.js';

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

  constructor(iconPath: string, private readonly onAction: (a: TrayAction) => void) {
    const image = nativeImage.createFromPath(iconPath);
    this.tray = new Tray(image.isEmpty() ? nativeImage.createEmpty() : image);
    this.tray.setToolTip('TokenDesk');
  }

  update(state: AppState, now: number): void {
    this.tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(buildTrayMenuModel(state, now), this.onAction)));
    this.tray.setToolTip(trayTooltip(state, now));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
