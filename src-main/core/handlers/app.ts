import { statfs } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../../../src-shared/domain/errors.ts';
import type { KeychainStatus } from '../../../src-shared/domain/profile.ts';
import { parseManifest } from '../../../src-shared/manifest/manifest.ts';
import { nearestExisting } from '../downloads/disk/disk.ts';
import { checkFolder } from '../downloads/disk/folder.ts';
import { systemFolderWarning } from '../downloads/disk/system-folders.ts';
import type { Handlers } from '../router.ts';
import type { SettingsStore } from '../settings-store.ts';

export type AppHandlers = Pick<
  Handlers,
  | 'app:info'
  | 'ids:parse'
  | 'settings:get'
  | 'settings:set'
  | 'disk:space'
  | 'folder:check'
  | 'app:choose-folder'
>;

/** The desktop's folder picker (Electron's dialog); hosts without one leave it out. */
export type ChooseFolder = (options: { current?: string; title?: string }) => Promise<string | null>;

export interface AppInfo {
  name: string;
  version: string;
  dataDir: string;
  host: 'electron' | 'web' | 'cli';
}

export function createAppHandlers(deps: {
  info: AppInfo;
  settings: SettingsStore;
  keychainStatus: () => Promise<KeychainStatus>;
  chooseFolder?: ChooseFolder | undefined;
}): AppHandlers {
  return {
    'app:info': async () => ({
      ...deps.info,
      platform: process.platform,
      keychain: await deps.keychainStatus(),
    }),
    'ids:parse': async ({ text, fileName }) =>
      parseManifest(text, fileName === undefined ? {} : { fileName }),
    'settings:get': async () => deps.settings.get(),
    'settings:set': async (patch) => deps.settings.update(patch),
    'disk:space': async ({ dir }) => {
      const target = resolve(dir ?? deps.settings.get().downloadDir);
      const stats = await statfs(await nearestExisting(target));
      return { dir: target, free: stats.bavail * stats.bsize, total: stats.blocks * stats.bsize };
    },
    'folder:check': async ({ dir }) => {
      const given = dir?.trim() || deps.settings.get().downloadDir;
      const verdict = await checkFolder(given);
      const shown = isAbsolute(given) ? resolve(given) : given;
      if (!verdict.ok) return { ok: false, dir: shown, problem: verdict.problem, message: verdict.message };
      return { ok: true, dir: shown, exists: verdict.exists, warning: systemFolderWarning(shown) };
    },
    'app:choose-folder': async (options) => {
      if (!deps.chooseFolder) {
        throw new AppError(
          'not-implemented',
          'No folder picker here: type the folder path instead (the desktop app has a picker).',
        );
      }
      return { path: await deps.chooseFolder(options) };
    },
  };
}
