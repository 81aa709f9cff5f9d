import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/** The folder name Electron derives from productName; the CLI and the web host share it with the desktop app. */
export const APP_DIR_NAME = '4DN Downloader';

export interface AppDataDirOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/**
 * The per-user app-data folder, the same one Electron's `app.getPath('userData')` returns, so the desktop app,
 * the web host and the CLI see one queue and one set of settings.
 */
export function appDataDir(options: AppDataDirOptions = {}): string {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  if (platform === 'win32') {
    return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  const config = xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.config');
  return posix.join(config, APP_DIR_NAME);
}
