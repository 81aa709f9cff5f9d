import type { KeychainStatus, KeyTestResult, Profile } from '../../../src-shared/domain/profile.ts';
import type { CredentialKind, Credentials } from '../http/credentials.ts';

/** One Credentials type, kept in http/credentials.ts; re-exported for the stores' callers. */
export type { Credentials };

/** A saved profile without its secret: what may be listed and shown. */
export interface StoredProfile {
  name: string;
  server: string;
  keyId: string;
  /** Absent for 4DN access keys saved before other kinds existed. */
  kind?: CredentialKind | undefined;
  addedAt: string;
  lastTest?: Profile['lastTest'];
}

/**
 * The seam between the core and wherever secrets are kept (the OS keychain in the app and CLI, memory in
 * tests and the demo). Secrets go in through save() and come out only through get(), for a request.
 * Every method but status() rejects with AppError('keychain-unavailable') when the store cannot be reached.
 */
export interface CredentialStore {
  /** Never rejects: `{ available: false, message }` when there is no usable keychain. */
  status(): Promise<KeychainStatus>;
  list(): Promise<StoredProfile[]>;
  get(name: string): Promise<(StoredProfile & { secret: string }) | undefined>;
  /** Adds or replaces the profile of that name. */
  save(profile: StoredProfile, secret: string): Promise<void>;
  remove(name: string): Promise<boolean>;
}

/** Checks a key against its server (GET /session-properties); the default is session-check.ts. */
export type TestKey = (credentials: Credentials) => Promise<KeyTestResult>;

/** The one-line hint every keychain failure ends with. */
export const KEYPAIRS_HINT =
  'keys can be read from a keypairs.json file instead (4dn-dl --keypairs FILE, or ~/keypairs.json)';
