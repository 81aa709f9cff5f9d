import { join } from 'node:path';
import { Menu, type MenuItemConstructorOptions, nativeImage, Tray } from 'electron';
import type { QueueTotals } from '../../src-shared/domain/job.ts';
import {
  type TrayAction,
  type TrayMenuItem,
  trayIconFile,
  trayMenuModel,
  trayState,
  trayTitle,
  trayTooltip,
} from './tray-model.ts';

/** The tray icon: state icon, tooltip (and title on macOS), and the menu built from trayMenuModel. */
export class AppTray {
  private readonly tray: Tray;
  private readonly iconDir: string;
  private readonly onAction: (action: TrayAction) => void;
  private shownState = '';
  private shownMenu = '';

  constructor(options: { iconDir: string; onAction: (action: TrayAction) => void }) {
    this.iconDir = options.iconDir;
    this.onAction = options.onAction;
    this.tray = new Tray(this.icon('idle'));
    // Windows and most Linux panels: a click opens the window, the menu is on right-click. On macOS a
    // click opens the menu, as menu-bar items do.
    if (process.platform !== 'darwin') this.tray.on('click', () => this.onAction('open-window'));
  }

  update(totals: QueueTotals | undefined, windowVisible: boolean): void {
    const state = trayState(totals);
    if (state !== this.shownState) {
      this.tray.setImage(this.icon(state));
      this.shownState = state;
    }
    this.tray.setToolTip(trayTooltip(totals));
    if (process.platform === 'darwin') this.tray.setTitle(trayTitle(totals), { fontType: 'monospacedDigit' });
    const model = trayMenuModel(totals, { windowVisible });
    const key = JSON.stringify(model);
    // Menus are rebuilt only when something in them changed (Linux re-sends the whole menu each time).
    if (key !== this.shownMenu) {
      this.tray.setContextMenu(Menu.buildFromTemplate(model.map((item) => this.menuItem(item))));
      this.shownMenu = key;
    }
  }

  destroy(): void {
    this.tray.destroy();
  }

  private icon(state: 'idle' | 'downloading') {
    const image = nativeImage.createFromPath(join(this.iconDir, trayIconFile(process.platform, state)));
    if (process.platform === 'darwin') image.setTemplateImage(true);
    return image;
  }

  private menuItem(item: TrayMenuItem): MenuItemConstructorOptions {
    if (item.kind === 'separator') return { type: 'separator' };
    if (item.kind === 'label') return { label: item.label, enabled: false };
    return { label: item.label, enabled: item.enabled, click: () => this.onAction(item.id) };
  }
}
