import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { AddState } from './add-store.ts';
import type { AppState } from './app-store.ts';
import type { BrowseState } from './browse-store.ts';
import type { ProfilesState } from './profiles-store.ts';
import type { QueueState } from './queue-store.ts';
import type { SettingsState } from './settings-store.ts';
import { activeProfile, type Stores } from './stores.ts';

const StoresContext = createContext<Stores | null>(null);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores needs a <StoresProvider> above it');
  return stores;
}

// Selectors must return stable values (a field, or a primitive): zustand re-renders on a new reference.
export const useApp = <T,>(selector: (state: AppState) => T): T => useStore(useStores().app, selector);
export const useQueue = <T,>(selector: (state: QueueState) => T): T => useStore(useStores().queue, selector);
export const useAdd = <T,>(selector: (state: AddState) => T): T => useStore(useStores().add, selector);
export const useBrowse = <T,>(selector: (state: BrowseState) => T): T =>
  useStore(useStores().browse, selector);
export const useProfiles = <T,>(selector: (state: ProfilesState) => T): T =>
  useStore(useStores().profiles, selector);
export const useSettings = <T,>(selector: (state: SettingsState) => T): T =>
  useStore(useStores().settings, selector);

/** The profile the header shows and new work uses. */
export function useActiveProfile(): string | undefined {
  const settings = useSettings((s) => s.settings);
  const profiles = useProfiles((s) => s.profiles);
  return activeProfile(settings, profiles);
}
