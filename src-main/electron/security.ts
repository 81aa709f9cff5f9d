import type { BrowserWindowConstructorOptions } from 'electron';
import { contentSecurityPolicy } from '../../src-shared/csp.ts';

/**
 * Every security decision of the shell as a plain function, so each one is unit-tested without Electron.
 * The app's pages come only from app://4dn-downloader (the packaged out/renderer); nothing remote loads.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = '4dn-downloader';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Hosts whose https links may open in the user's browser (the portal and the DRS spec). */
export const EXTERNAL_HOSTS: readonly string[] = ['data.4dnucleome.org', 'ga4gh.github.io'];

/** The one permission the UI needs: writing text to the clipboard ("Copy DRS URI"). */
const ALLOWED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

function parse(url: string | undefined | null): URL | undefined {
  if (!url) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The dev server's origin under `electron-vite dev` (never in a packaged app). */
export function devRendererOrigin(
  env: Record<string, string | undefined>,
  isPackaged: boolean,
): string | undefined {
  if (isPackaged) return undefined;
  const url = parse(env.ELECTRON_RENDERER_URL);
  if (url?.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    return undefined;
  }
  return url.origin;
}

export function windowOptions(preloadPath: string, icon?: string): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 780,
    minWidth: 760,
    minHeight: 480,
    show: false,
    title: '4DN Downloader',
    backgroundColor: '#1b1f23',
    ...(icon === undefined ? {} : { icon }),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}

/**
 * The Content-Security-Policy of every page: the app's one policy. Production allows only the app's own
 * origin; dev also allows the Vite server (its inline HMR preamble and socket), which never exists in a
 * packaged app.
 */
export function cspHeader(devOrigin?: string): string {
  return contentSecurityPolicy({ devOrigin });
}

/** The app's own origin (and the dev server's in development): the only senders IPC answers. */
export function isTrustedOrigin(url: string | undefined | null, devOrigin?: string): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (`${parsed.protocol}//${parsed.host}` === APP_ORIGIN) return true;
  return devOrigin !== undefined && parsed.origin === devOrigin;
}

/** An IPC sender is trusted when it is a top frame showing the app's own pages. */
export function isTrustedSender(
  frame: { url: string; isTopFrame: boolean } | null | undefined,
  devOrigin?: string,
): boolean {
  return frame?.isTopFrame === true && isTrustedOrigin(frame.url, devOrigin);
}

/** Links that may open in the user's browser: https, on the allowlist, no credentials, default port. */
export function isAllowedExternalUrl(url: string): boolean {
  const parsed = parse(url);
  if (parsed?.protocol !== 'https:') return false;
  if (parsed.username || parsed.password || parsed.port) return false;
  return EXTERNAL_HOSTS.includes(parsed.hostname);
}

/** Requests a page may make: its own files, inline data, devtools; in dev the Vite server. */
export function isAllowedRequest(url: string, devOrigin?: string): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol === 'data:' || parsed.protocol === 'devtools:') return true;
  if (isTrustedOrigin(url, devOrigin)) return true;
  if (devOrigin !== undefined && parsed.protocol === 'ws:') {
    return parsed.host === new URL(devOrigin).host;
  }
  return false;
}

/** Permission requests and checks: denied, except clipboard writes from the app itself. */
export function isPermissionAllowed(permission: string, requestingUrl: string, devOrigin?: string): boolean {
  return ALLOWED_PERMISSIONS.includes(permission) && isTrustedOrigin(requestingUrl, devOrigin);
}
