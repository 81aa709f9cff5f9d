import {
  app,
  type BrowserWindow,
  dialog,
  ipcMain,
  type OpenDialogOptions,
  powerSaveBlocker,
  protocol,
  session,
  shell,
} from 'electron';
import { createServices } from '../core/services.ts';
import { createAppRequestHandler } from './app-protocol.ts';
import { EVENT_BATCH_CHANNEL, type EventMessage } from './channels.ts';
import type { LaunchRequest } from './drs-link.ts';
import { createEventForwarder } from './event-forwarder.ts';
import { registerIpc, trustedSenderCheck } from './ipc.ts';
import { showNotification } from './notifications.ts';
import { OpenItemsInbox, readLaunchFiles } from './open-items.ts';
import { APP_SCHEME } from './security.ts';
import { ShellController, type ShellUi } from './shell-controller.ts';
import { ShellStateFile } from './shell-state.ts';
import { SleepGuard } from './sleep-guard.ts';
import { AppTray } from './tray.ts';
import { createMainWindow, hardenSession } from './window.ts';

export interface ShellOptions {
  paths: {
    dataDir: string;
    downloadDir: string;
    preload: string;
    renderer: string;
    trayIcons: string;
    windowIcon?: string;
  };
  version: string;
  devUrl?: string;
  devOrigin?: string;
  log: (message: string) => void;
}

/**
 * The Electron side of the desktop app: builds the core, serves the renderer, puts the contract on IPC,
 * and gives the ShellController (where the behaviour lives) a window, a tray and OS calls to work with.
 */
export class DesktopShell {
  private readonly options: ShellOptions;
  private readonly inbox: OpenItemsInbox;
  private window: BrowserWindow | undefined;
  private tray: AppTray | undefined;
  private controller: ShellController | undefined;

  constructor(options: ShellOptions) {
    this.options = options;
    this.inbox = new OpenItemsInbox({
      deliver: (payload) => this.send([{ name: 'app:open-items', payload }]),
      readFiles: (paths) => readLaunchFiles(paths, options.log),
    });
  }

  async start(launch: LaunchRequest): Promise<void> {
    const { paths, devOrigin, log } = this.options;
    const core = await createServices({
      dataDir: paths.dataDir,
      host: 'electron',
      version: this.options.version,
      downloadDir: paths.downloadDir,
      chooseFolder: (options) => this.chooseFolder(options),
    });
    if (core.settings.notice) log(core.settings.notice);
    const state = await ShellStateFile.open(paths.dataDir);

    protocol.handle(APP_SCHEME, createAppRequestHandler(paths.renderer, devOrigin));
    hardenSession(session.defaultSession, devOrigin);
    const forwarder = createEventForwarder({ events: core.events, send: (batch) => this.send(batch) });
    const controller = new ShellController({
      core,
      ui: this.ui(),
      sleep: new SleepGuard(powerSaveBlocker),
      state,
      platform: process.platform,
      log,
      beforeClose: () => {
        disposeIpc();
        forwarder.dispose();
        this.tray?.destroy();
        this.tray = undefined;
      },
    });
    this.controller = controller;
    const disposeIpc = registerIpc({
      ipcMain,
      router: core.router,
      isTrusted: trustedSenderCheck(() => this.liveWindow()?.webContents, devOrigin),
      afterCall: (channel, input, result) => controller.afterCall(channel, input, result),
    });

    try {
      this.tray = new AppTray({
        iconDir: paths.trayIcons,
        onAction: (action) => controller.onTrayAction(action),
      });
    } catch (error) {
      // Some Linux desktops have no tray; then closing the window quits instead of hiding.
      log(`No tray: ${String(error)}`);
    }
    app.on('before-quit', (event) => {
      if (controller.readyToExit) return;
      event.preventDefault();
      void controller.requestQuit();
    });
    app.on('window-all-closed', () => {
      /* the app lives on in the tray; quitting goes through the controller */
    });
    app.on('activate', () => this.showWindow());

    this.showWindow();
    await this.inbox.add(launch);
    await controller.start();
  }

  /** A drs:// link or file from the OS (or a bare relaunch): bring the window forward, hand over the items. */
  async open(launch: LaunchRequest): Promise<void> {
    this.showWindow();
    await this.inbox.add(launch);
  }

  private ui(): ShellUi {
    return {
      window: () => {
        const window = this.liveWindow();
        return window && { visible: window.isVisible(), focused: window.isFocused() };
      },
      showWindow: () => this.showWindow(),
      hideWindow: () => this.liveWindow()?.hide(),
      hasTray: () => this.tray !== undefined,
      updateTray: (totals, windowVisible) => this.tray?.update(totals, windowVisible),
      setProgress: ({ progress, mode }) => this.liveWindow()?.setProgressBar(progress, { mode }),
      setBadge: (count) => {
        // Windows has no badge API (taskbar progress stands in); Linux badges only on Unity launchers.
        if (process.platform !== 'win32') app.setBadgeCount(count);
      },
      notify: (spec) => showNotification(spec, () => this.showWindow()),
      confirmQuit: async (prompt) => {
        const options = {
          type: 'question' as const,
          message: prompt.message,
          detail: prompt.detail,
          buttons: prompt.buttons,
          defaultId: 1,
          cancelId: 1,
          noLink: true,
        };
        const window = this.liveWindow();
        const { response } = window?.isVisible()
          ? await dialog.showMessageBox(window, options)
          : await dialog.showMessageBox(options);
        return response === 0;
      },
      revealFile: (path) => shell.showItemInFolder(path),
      openFolder: (path) => {
        void shell.openPath(path).then((error) => {
          if (error) this.options.log(`Could not open ${path}: ${error}`);
        });
      },
      exit: () => app.quit(),
    };
  }

  /** The system folder picker, as a sheet on the window when there is one. */
  private async chooseFolder(options: { current?: string; title?: string }): Promise<string | null> {
    const dialogOptions: OpenDialogOptions = {
      title: options.title ?? 'Choose a download folder',
      properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
      ...(options.current ? { defaultPath: options.current } : {}),
    };
    const window = this.liveWindow();
    const result = window
      ? await dialog.showOpenDialog(window, dialogOptions)
      : await dialog.showOpenDialog(dialogOptions);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  }

  private showWindow(): void {
    if (this.controller?.isQuitting) return;
    const window = this.liveWindow();
    if (!window) {
      // A new window shows itself once painted (ready-to-show), without a blank flash.
      this.window = this.createWindow();
      return;
    }
    if (window.isMinimized()) window.restore();
    if (!window.isVisible()) window.show();
    window.focus();
  }

  private createWindow(): BrowserWindow {
    const { paths, devUrl, log } = this.options;
    const window = createMainWindow({
      preloadPath: paths.preload,
      ...(paths.windowIcon === undefined ? {} : { iconPath: paths.windowIcon }),
      ...(devUrl === undefined ? {} : { devUrl }),
    });
    const contents = window.webContents;
    contents.on('did-start-loading', () => this.inbox.setReady(false));
    contents.on('did-finish-load', () => this.inbox.setReady(true));
    contents.on('render-process-gone', (_event, details) => {
      log(`Renderer gone: ${details.reason}`);
      if (details.reason !== 'clean-exit' && !window.isDestroyed()) window.reload();
    });
    window.on('close', (event) => {
      if (this.controller && this.controller.windowClosing() !== 'close') event.preventDefault();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = undefined;
    });
    window.on('show', () => this.controller?.refreshSurfaces());
    window.on('hide', () => this.controller?.refreshSurfaces());
    return window;
  }

  private liveWindow(): BrowserWindow | undefined {
    return this.window && !this.window.isDestroyed() ? this.window : undefined;
  }

  private send(batch: EventMessage[]): void {
    const contents = this.liveWindow()?.webContents;
    if (contents && !contents.isDestroyed()) contents.send(EVENT_BATCH_CHANNEL, batch);
  }
}
