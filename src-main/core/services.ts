import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Settings, SettingsPatch } from '../../src-shared/domain/settings.ts';
import type { CredentialStore } from './auth/credential-store.ts';
import { KeychainStore } from './auth/keychain-store.ts';
import { defaultKeypairsPaths } from './auth/keypairs-file.ts';
import { createSessionCheck } from './auth/session-check.ts';
import { createCredentialCheck } from './auth/token-check.ts';
import { DownloadEngine, type EngineOptions } from './downloads/queue/engine.ts';
import { EventHub } from './events.ts';
import { type ChooseFolder, createAppHandlers } from './handlers/app.ts';
import { combineHandlers } from './handlers/index.ts';
import { createKeyInUseHandlers } from './handlers/key-in-use.ts';
import { createObjectsHandlers } from './handlers/objects.ts';
import { createPortalHandlers } from './handlers/portal.ts';
import { createProfilesHandlers } from './handlers/profiles.ts';
import { createNoQueueHandlers, createQueueHandlers } from './handlers/queue.ts';
import { ProfileClients } from './profile-clients.ts';
import { createRouter, type Router } from './router.ts';
import { SettingsStore } from './settings-store.ts';
import { JobStore } from './store/job-store.ts';

export interface ServicesOptions {
  /** The app's state folder (queue, settings), shared by the desktop app, the web host and the CLI. */
  dataDir: string;
  host: 'electron' | 'web' | 'cli';
  version?: string;
  /** Default download folder for a first run. */
  downloadDir?: string;
  /** keypairs.json to fall back on when no keychain profile matches. */
  keypairsPath?: string;
  /** Server for anonymous use and override of every key's server (`--server`). */
  server?: string;
  /** Where secrets live; the OS keychain unless a test or the demo passes another. */
  credentialStore?: CredentialStore;
  /** Folder of the queue journal; `dataDir` unless the CLI keeps a queue per output folder. */
  queueDir?: string;
  /** Engine knobs for tests (short stall timeouts, few retries). */
  engine?: Partial<Pick<EngineOptions, 'stallTimeoutMs' | 'retry' | 'progressIntervalMs' | 'disk' | 'fs'>>;
  /** Settings for this process only (the CLI's flags); never written to the shared settings file. */
  settingsOverrides?: SettingsPatch;
  /** Leave the queue stopped (the CLI starts it after adding its jobs). */
  startQueue?: boolean;
  /** No queue at all (CLI commands that download nothing): its journal and lock are left alone. */
  withoutQueue?: boolean;
  /** The desktop's folder picker for app:choose-folder; other hosts have none. */
  chooseFolder?: ChooseFolder;
}

/** The whole core for one data folder, as every adapter uses it. */
export interface Services {
  router: Router;
  events: EventHub;
  settings: SettingsStore;
  getSettings(): Settings;
  clients: ProfileClients;
  /** Absent when the services were opened `withoutQueue`. */
  engine: DownloadEngine | undefined;
  /**
   * Starts a queue opened with `startQueue: false`: the CLI subscribes to the events first, so it sees every
   * job it resumes. Call it before queue:add: start loads the journal. A no-op when the queue runs already or
   * there is none.
   */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  const events = new EventHub();
  const settings = await SettingsStore.open({
    dataDir: options.dataDir,
    downloadDir: options.downloadDir ?? join(homedir(), 'Downloads', '4DN'),
    events,
    ...(options.settingsOverrides ? { overrides: options.settingsOverrides } : {}),
  });
  const credentialStore = options.credentialStore ?? new KeychainStore();
  const clients = new ProfileClients({
    store: credentialStore,
    ...(options.keypairsPath !== undefined ? { keypairsPath: options.keypairsPath } : {}),
    ...(options.server !== undefined ? { server: options.server } : {}),
    ...(options.version !== undefined ? { version: options.version } : {}),
    defaultProfile: () => settings.get().defaultProfile,
    events,
  });
  const jobStore = options.withoutQueue
    ? undefined
    : await JobStore.open({ dataDir: options.queueDir ?? options.dataDir });
  const engine =
    jobStore &&
    new DownloadEngine({
      store: jobStore,
      sourceFor: async (profile) => (await clients.forProfile(profile)).downloads,
      settings: () => settings.get(),
      events,
      ...options.engine,
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
      keychainStatus: () => credentialStore.status(),
      chooseFolder: options.chooseFolder,
    }),
    createObjectsHandlers({
      drsFor: async (profile) => (await clients.forProfile(profile)).drs,
      downloadsFor: async (profile) => (await clients.forProfile(profile)).downloads,
    }),
    createPortalHandlers({ portalFor: async (profile) => (await clients.forProfile(profile)).portal }),
    createProfilesHandlers({
      store: credentialStore,
      testKey: createCredentialCheck(createSessionCheck()),
      events,
      keypairsPaths: options.keypairsPath ? [options.keypairsPath] : defaultKeypairsPaths(),
    }),
    createKeyInUseHandlers({ clients }),
    engine ? createQueueHandlers({ engine, settings }) : createNoQueueHandlers(),
  );
  if (engine && options.startQueue !== false) await engine.start();
  return {
    router: createRouter(handlers),
    events,
    settings,
    getSettings: () => settings.get(),
    clients,
    engine,
    start: async () => {
      await engine?.start();
    },
    close: async () => {
      await engine?.close();
      await jobStore?.close();
    },
  };
}
