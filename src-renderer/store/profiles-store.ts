import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  KeychainStatus,
  KeyTestResult,
  Profile,
  ProfileInput,
} from '../../src-shared/domain/profile.ts';
import type { InvokeOutput } from '../../src-shared/ipc/contract.ts';
import { errorMessage, type Transport } from '../api/transport.ts';

/**
 * Profiles as the UI may know them: name, server, key id, last test. Secrets pass through add() and test()
 * straight to the core and are never stored here.
 */
export interface ProfilesState {
  profiles: readonly Profile[];
  keychain: KeychainStatus | null;
  loaded: boolean;
  error: string | null;
  start(): () => void;
  load(): Promise<void>;
  add(input: ProfileInput, test?: boolean): Promise<InvokeOutput<'profiles:add'>>;
  /** Tests a saved profile by name, or a key not yet saved. */
  test(input: { name: string } | Omit<ProfileInput, 'name'>): Promise<KeyTestResult>;
  /** Removes the keychain item and lists again: a key file's entry of that name stays (and is shown). */
  remove(name: string): Promise<InvokeOutput<'profiles:remove'>>;
  importText(text: string): Promise<InvokeOutput<'profiles:import'>>;
}
export type ProfilesStore = StoreApi<ProfilesState>;

function upsert(profiles: readonly Profile[], profile: Profile): Profile[] {
  const index = profiles.findIndex((p) => p.name === profile.name);
  if (index < 0) return [...profiles, profile];
  return profiles.map((p, i) => (i === index ? profile : p));
}

export function createProfilesStore(transport: Transport): ProfilesStore {
  return createStore<ProfilesState>()((set, get) => ({
    profiles: [],
    keychain: null,
    loaded: false,
    error: null,
    start() {
      const off = transport.on('profiles:changed', ({ profiles }) => set({ profiles }));
      void get().load();
      return off;
    },
    async load() {
      try {
        const { profiles, keychain } = await transport.invoke('profiles:list', {});
        set({ profiles, keychain, loaded: true, error: null });
      } catch (error) {
        set({ loaded: true, error: `Could not load accounts: ${errorMessage(error)}` });
      }
    },
    async add(input, test) {
      const result = await transport.invoke('profiles:add', { ...input, test });
      set({ profiles: upsert(get().profiles, result.profile) });
      return result;
    },
    async test(input) {
      const result = await transport.invoke('profiles:test', input);
      if ('name' in input) {
        const at = new Date().toISOString();
        set({
          profiles: get().profiles.map((p) =>
            p.name === input.name
              ? { ...p, lastTest: { ok: result.ok, at, email: result.email, message: result.message } }
              : p,
          ),
        });
      }
      return result;
    },
    async remove(name) {
      const result = await transport.invoke('profiles:remove', { name });
      if (result.removed && !result.keypairsFile)
        set({ profiles: get().profiles.filter((p) => p.name !== name) });
      await get().load();
      return result;
    },
    async importText(text) {
      const result = await transport.invoke('profiles:import', { text });
      let profiles = get().profiles;
      for (const profile of result.imported) profiles = upsert(profiles, profile);
      set({ profiles });
      return result;
    },
  }));
}
