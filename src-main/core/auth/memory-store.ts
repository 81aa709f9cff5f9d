import { AppError } from '../../../src-shared/domain/errors.ts';
import type { KeychainStatus } from '../../../src-shared/domain/profile.ts';
import type { CredentialStore, StoredProfile } from './credential-store.ts';

/** A CredentialStore held in memory: for tests and the demo, where nothing should reach the OS keychain. */
export function createMemoryStore(): CredentialStore {
  const items = new Map<string, { profile: StoredProfile; secret: string }>();
  return {
    // Said plainly in Accounts: in the demo a saved key lives only as long as the process.
    status: async () => ({
      available: true,
      message: 'Keys are kept in memory for this session only (demo).',
    }),
    list: async () =>
      [...items.values()].map(({ profile }) => ({ ...profile })).sort((a, b) => a.name.localeCompare(b.name)),
    get: async (name) => {
      const item = items.get(name);
      return item ? { ...item.profile, secret: item.secret } : undefined;
    },
    save: async (profile, secret) => {
      items.set(profile.name, { profile: { ...profile }, secret });
    },
    remove: async (name) => items.delete(name),
  };
}

/** A store that is never available: for `--no-keychain` style switches and tests of the fallback. */
export function createUnavailableStore(message: string): CredentialStore {
  const fail = async (): Promise<never> => {
    throw new AppError('keychain-unavailable', message);
  };
  const status = async (): Promise<KeychainStatus> => ({ available: false, message });
  return { status, list: fail, get: fail, save: fail, remove: fail };
}
