import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../src-shared/domain/settings.ts';
import { EventHub } from './events.ts';
import { createAppHandlers } from './handlers/app.ts';
import { combineHandlers } from './handlers/index.ts';
import { createObjectsHandlers } from './handlers/objects.ts';
import { createPortalHandlers } from './handlers/portal.ts';
import { createProfilesHandlers } from './handlers/profiles.ts';
import { createQueueHandlers } from './handlers/queue.ts';
import { createRouter, type Router } from './router.ts';
import { SettingsStore } from './settings-store.ts';

export interface ServicesOptions {
  /** The app's state folder (queue, settings), shared by the desktop app, the web host and the CLI. */
  dataDir: string;
  host: 'electron' | 'web' | 'cli';
  version?: string;
  /** Default download folder for a first run. */
  downloadDir?: string;
  /** keypairs.json to fall back on when no keychain profile matches. */
  keypairsPath?: string;
}

/** The whole core for one data folder, as every adapter uses it. */
export interface Services {
  router: Router;
  events: EventHub;
  settings: SettingsStore;
  getSettings(): Settings;
  close(): Promise<void>;
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  const events = new EventHub();
  const settings = await SettingsStore.open({
    dataDir: options.dataDir,
    downloadDir: options.downloadDir ?? join(homedir(), 'Downloads', '4DN'),
    events,
  });
  const handlers = combineHandlers(
    createAppHandlers({
      info: {
        name: '4DN Downloader',
        version: options.version ?? '0.0.0',
        dataDir: options.dataDir,
        host: options.host,
      },
      settings,
      keychainStatus: async () => ({ available: false, message: 'Keychain support is not wired yet.' }),
    }),
    createObjectsHandlers({}),
    createPortalHandlers({}),
    createProfilesHandlers({}),
    createQueueHandlers({}),
  );
  return {
    router: createRouter(handlers),
    events,
    settings,
    getSettings: () => settings.get(),
    close: async () => {},
  };
}
