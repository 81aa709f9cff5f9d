import { BrowserWindow, type Session, shell, type WebContents } from 'electron';
import {
  APP_ENTRY_URL,
  cspHeader,
  isAllowedExternalUrl,
  isAllowedRequest,
  isPermissionAllowed,
  windowOptions,
} from './security.ts';

/** Opens an allowlisted https link in the user's browser; anything else is dropped. */
function openExternalIfAllowed(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}

/**
 * Locks down a session: every permission denied (but clipboard writes from the app), requests outside the
 * app refused, and the CSP header added to whatever the dev server serves (app:// sets its own).
 */
export function hardenSession(session: Session, devOrigin?: string): void {
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(isPermissionAllowed(permission, contents.getURL(), devOrigin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, devOrigin),
  );
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, devOrigin) });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [cspHeader(devOrigin)] },
    });
  });
}

/** Applied to every web contents the app ever creates: no navigation, no new windows, no webviews. */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternalIfAllowed(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url);
    return { action: 'deny' };
  });
}

export function createMainWindow(options: {
  preloadPath: string;
  iconPath?: string;
  /** The dev server's page under `electron-vite dev`; otherwise the packaged renderer over app://. */
  devUrl?: string;
}): BrowserWindow {
  const window = new BrowserWindow(windowOptions(options.preloadPath, options.iconPath));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.devUrl ?? APP_ENTRY_URL);
  return window;
}
