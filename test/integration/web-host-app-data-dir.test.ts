import { describe, expect, it } from 'vitest';
import { appDataDir } from '../../src-main/core/app-data-dir.ts';

describe('appDataDir (shared with the desktop app and the CLI)', () => {
  it('follows XDG on Linux, ignoring a relative XDG_CONFIG_HOME', () => {
    const linux = (env: NodeJS.ProcessEnv) => appDataDir({ platform: 'linux', env, home: '/home/ada' });
    expect(linux({})).toBe('/home/ada/.config/4DN Downloader');
    expect(linux({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/4DN Downloader');
    expect(linux({ XDG_CONFIG_HOME: 'relative/cfg' })).toBe('/home/ada/.config/4DN Downloader');
  });

  it('uses Application Support on macOS', () => {
    expect(appDataDir({ platform: 'darwin', env: {}, home: '/Users/ada' })).toBe(
      '/Users/ada/Library/Application Support/4DN Downloader',
    );
  });

  it('uses %APPDATA% on Windows, with the usual fallback', () => {
    expect(
      appDataDir({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
        home: 'C:\\Users\\ada',
      }),
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\4DN Downloader');
    expect(appDataDir({ platform: 'win32', env: {}, home: 'C:\\Users\\ada' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\4DN Downloader',
    );
  });
});
