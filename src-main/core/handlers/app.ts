import { statfs } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { KeychainStatus } from '../../../src-shared/domain/profile.ts';
import { parseManifest } from '../../../src-shared/manifest.ts';
import { nearestExisting } from '../downloads/disk.ts';
import type { Handlers } from '../router.ts';
import type { SettingsStore } from '../settings-store.ts';

export type AppHandlers = Pick<
  Handlers,
  'app:info' | 'ids:parse' | 'settings:get' | 'settings:set' | 'disk:space'
>;

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
  };
}
