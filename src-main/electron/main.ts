// The Electron main process: everything before `ready` (scheme privileges, the single-instance lock,
// macOS link events), then the DesktopShell. Built to out/main/main.js.
import { join, resolve } from 'node:path';
import { app, dialog, protocol } from 'electron';
import { appScheme } from './app-protocol.ts';
import { assetPaths } from './assets.ts';
import { DesktopShell } from './desktop-shell.ts';
import {
  DRS_SCHEME,
  extractDrsLinks,
  handoffData,
  type LaunchRequest,
  launchFromSecondInstance,
  parseLaunchArgs,
} from './drs-link.ts';
import { createLog } from './log.ts';
import { devRendererOrigin } from './security.ts';
import { V8_FLAGS } from './v8-flags.ts';
import { hardenWebContents } from './window.ts';

const APP_ID = 'org.4dnucleome.downloader';

// See v8-flags.ts: the main process itself gets the cap only from its launcher (the Linux desktop entry).
app.commandLine.appendSwitch('js-flags', V8_FLAGS);

// --user-data-dir=<folder> keeps all state in that folder (tests, portable runs). Before the lock: the
// lock belongs to the data folder, so two such runs do not see each other.
const userDataDir = app.commandLine.getSwitchValue('user-data-dir');
if (userDataDir) app.setPath('userData', resolve(userDataDir));

protocol.registerSchemesAsPrivileged([appScheme]);

if (!app.requestSingleInstanceLock({ ...handoffData() })) {
  // Another instance runs: it got our argv through the lock and comes forward; nothing more to do here.
  app.quit();
} else {
  run();
}

function run(): void {
  const log = createLog(() => app.getPath('logs'));
  const self = { defaultApp: Boolean(process.defaultApp), appPath: app.getAppPath() };
  let shell: DesktopShell | undefined;
  const early: LaunchRequest[] = [parseLaunchArgs(process.argv, { ...self, cwd: process.cwd() })];
  const open = (request: LaunchRequest) => {
    if (shell) void shell.open(request);
    else early.push(request);
  };

  // macOS delivers links and files as events, possibly before `ready`.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    open({ links: extractDrsLinks([url]), files: [] });
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    open({ links: [], files: [path] });
  });
  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    // Also a bare relaunch: open() brings the window forward even with nothing to add.
    open(launchFromSecondInstance(argv, workingDirectory, additionalData, self));
  });

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  // Installers register drs: too (Info.plist, .desktop); this makes it the default and covers Windows.
  // Never from a dev run, which would hand the user's drs: links to a bare Electron.
  if (app.isPackaged) app.setAsDefaultProtocolClient(DRS_SCHEME);

  const here = import.meta.dirname;
  const devOrigin = devRendererOrigin(process.env, app.isPackaged);
  app
    .whenReady()
    .then(async () => {
      const started = new DesktopShell({
        paths: {
          dataDir: app.getPath('userData'),
          downloadDir: join(app.getPath('downloads'), '4DN'),
          preload: join(here, '../preload/preload.cjs'),
          renderer: join(here, '../renderer'),
          ...assetPaths(app.getAppPath(), process.platform),
        },
        version: app.getVersion(),
        ...(devOrigin === undefined ? {} : { devOrigin, devUrl: process.env.ELECTRON_RENDERER_URL }),
        log,
      });
      const first = early.shift() ?? { links: [], files: [] };
      await started.start(first);
      shell = started;
      for (const request of early.splice(0)) await started.open(request);
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      log(`Start-up failed: ${message}`);
      dialog.showErrorBox(
        '4DN Downloader could not start',
        `${message}\n\nDetails are in ${app.getPath('logs')}.`,
      );
      app.exit(1);
    });
}
