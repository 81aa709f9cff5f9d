import type { Profile } from '../../src-shared/domain/profile.ts';
import type { Settings } from '../../src-shared/domain/settings.ts';
import type { Transport } from '../api/transport.ts';
import { type AddStore, type AddStoreOptions, createAddStore } from './add-store.ts';
import { type AppStore, createAppStore } from './app-store.ts';
import { type BrowseStore, createBrowseStore } from './browse-store.ts';
import { createProfilesStore, type ProfilesStore } from './profiles-store.ts';
import { batchNotice } from './queue-model.ts';
import { createQueueStore, type QueueStore, type QueueStoreOptions } from './queue-store.ts';
import { createUiSettingsStore, type UiSettingsStore } from './settings-store.ts';

/** Every slice, built over one transport. */
export interface Stores {
  transport: Transport;
  app: AppStore;
  queue: QueueStore;
  add: AddStore;
  browse: BrowseStore;
  profiles: ProfilesStore;
  settings: UiSettingsStore;
}

export interface StoresOptions {
  queue?: QueueStoreOptions;
  add?: AddStoreOptions;
}

/** The profile used when none is named: the one chosen in the header, else the first. */
export function activeProfile(settings: Settings | null, profiles: readonly Profile[]): string | undefined {
  const chosen = settings?.defaultProfile;
  if (chosen && profiles.some((p) => p.name === chosen)) return chosen;
  return profiles[0]?.name ?? chosen;
}

export function createStores(transport: Transport, options: StoresOptions = {}): Stores {
  const settings = createUiSettingsStore(transport);
  const profiles = createProfilesStore(transport);
  return {
    transport,
    app: createAppStore(transport),
    queue: createQueueStore(transport, options.queue),
    add: createAddStore(transport, options.add),
    browse: createBrowseStore(transport, () =>
      activeProfile(settings.getState().settings, profiles.getState().profiles),
    ),
    profiles,
    settings,
  };
}

/**
 * Starts every slice (each subscribes to its events before it loads) and keeps Add's defaults in step with
 * settings and profiles. Returns one function that stops it all.
 */
export function startStores(stores: Stores): () => void {
  const syncDefaults = () => {
    const settings = stores.settings.getState().settings;
    stores.add.getState().applyDefaults({
      destDir: settings?.downloadDir,
      profile: activeProfile(settings, stores.profiles.getState().profiles),
    });
  };
  // A batch is announced once the rows agree it is over: nothing running or verifying; and not over a notice
  // that offers an action (Undo after Remove), which would vanish with its button: the batch waits for it.
  let batch: { done: number; failed: number } | null = null;
  const announceBatch = () => {
    if (!batch || stores.app.getState().notice?.action) return;
    const notice = batchNotice(batch, stores.queue.getState().stats);
    if (!notice) return;
    batch = null;
    stores.app.getState().notify(notice.kind, notice.text);
  };
  const stops = [
    stores.transport.on('queue:batch-done', ({ done, failed }) => {
      batch = { done: (batch?.done ?? 0) + done, failed: (batch?.failed ?? 0) + failed };
      announceBatch();
    }),
    stores.queue.subscribe(announceBatch),
    stores.app.subscribe(announceBatch),
    stores.queue.getState().start(),
    stores.settings.getState().start(),
    stores.profiles.getState().start(),
    stores.app.getState().start(() => {
      void stores.queue.getState().sync();
      void stores.settings.getState().load();
      void stores.profiles.getState().load();
    }),
    stores.settings.subscribe(syncDefaults),
    stores.profiles.subscribe(syncDefaults),
  ];
  syncDefaults();
  return () => {
    for (const stop of stops) stop();
  };
}
