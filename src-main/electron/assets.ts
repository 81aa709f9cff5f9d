import { join } from 'node:path';

/**
 * Runtime assets, relative to the app root (the asar in a packaged app). electron-builder.yml's `files`
 * ships exactly these; the packaging tests check both sides.
 */
export const TRAY_ICON_DIR = 'assets/tray';
/** The window icon on Linux (Windows and macOS take it from the executable). */
export const WINDOW_ICON = 'assets/icons/512x512.png';

export function assetPaths(
  appRoot: string,
  platform: NodeJS.Platform,
): { trayIcons: string; windowIcon?: string } {
  return {
    trayIcons: join(appRoot, TRAY_ICON_DIR),
    ...(platform === 'linux' ? { windowIcon: join(appRoot, WINDOW_ICON) } : {}),
  };
}
