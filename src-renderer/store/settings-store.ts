import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Settings, SettingsPatch } from '../../src-shared/domain/settings.ts';
import { errorMessage, type Transport } from '../api/transport.ts';
import type { Draft } from './settings-draft.ts';

export interface SettingsState {
  settings: Settings | null;
  error: string | null;
  /** Unsaved edits in Settings: kept here, not in the view, so switching views does not drop them. */
  draft: Draft | null;
  setDraft(draft: Draft | null): void;
  /** Subscribes to settings:changed, then loads. Returns the unsubscribe. */
  start(): () => void;
  load(): Promise<void>;
  /** Saves a patch; the core answers with the settings as stored. */
  save(patch: SettingsPatch): Promise<Settings>;
}
export type UiSettingsStore = StoreApi<SettingsState>;

export function createUiSettingsStore(transport: Transport): UiSettingsStore {
  return createStore<SettingsState>()((set, get) => ({
    settings: null,
    error: null,
    draft: null,
    setDraft: (draft) => set({ draft }),
    start() {
      const off = transport.on('settings:changed', (settings) => set({ settings, error: null }));
      void get().load();
      return off;
    },
    async load() {
      try {
        set({ settings: await transport.invoke('settings:get', {}), error: null });
      } catch (error) {
        set({ error: `Could not load settings: ${errorMessage(error)}` });
      }
    },
    async save(patch) {
      const settings = await transport.invoke('settings:set', patch);
      set({ settings, error: null });
      return settings;
    },
  }));
}
