import { AppError, isAppError, toErrorInfo } from '../../../src-shared/domain/errors.ts';
import type {
  KeychainStatus,
  KeyTestResult,
  Profile,
  ProfileInput,
} from '../../../src-shared/domain/profile.ts';
import type { CredentialStore, StoredProfile, TestKey } from '../auth/credential-store.ts';
import { type KeypairsFile, parseKeypairs, readKeypairs } from '../auth/keypairs-file.ts';
import { requireCredentialServer } from '../auth/server-origin.ts';
import type { EventHub } from '../events.ts';
import type { Credentials } from '../http/credentials.ts';
import type { Handlers } from '../router.ts';

export type ProfilesHandlers = Pick<
  Handlers,
  'profiles:list' | 'profiles:add' | 'profiles:test' | 'profiles:remove' | 'profiles:import'
>;

export interface ProfilesDeps {
  store: CredentialStore;
  testKey: TestKey;
  events?: EventHub;
  /** Key files listed read-only beside the keychain (source 'keypairs'), as resolution would use them. */
  keypairsPaths?: string[];
  readKeypairs?: (path: string) => Promise<KeypairsFile>;
  now?: () => Date;
}

const MAX_NAME = 100;

/**
 * Accounts: keychain profiles the user adds, tests, imports and removes. Secrets go in and never come out:
 * every output is built field by field from non-secret values, and test messages are scrubbed.
 */
export function createProfilesHandlers(deps: ProfilesDeps): ProfilesHandlers {
  const { store } = deps;
  const read = deps.readKeypairs ?? ((path: string) => readKeypairs(path));
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  // Test results of key-file entries, which cannot be written back to the file.
  const fileTests = new Map<string, NonNullable<Profile['lastTest']>>();

  async function keyFileEntries(): Promise<Map<string, Credentials>> {
    const found = new Map<string, Credentials>();
    for (const path of deps.keypairsPaths ?? []) {
      try {
        const file = await read(path);
        for (const [name, entry] of Object.entries(file.entries))
          if (!found.has(name)) found.set(name, entry);
      } catch {
        /* a missing or broken key file has nothing to list; resolution reports it when it is used */
      }
    }
    return found;
  }

  /** The first key file with an entry called `name`: the profile that stays listed after a removal. */
  async function keyFileHolding(name: string): Promise<string | undefined> {
    for (const path of deps.keypairsPaths ?? []) {
      try {
        if (Object.hasOwn((await read(path)).entries, name)) return path;
      } catch {
        /* a missing or broken key file holds nothing */
      }
    }
    return undefined;
  }

  async function listAll(): Promise<{ profiles: Profile[]; keychain: KeychainStatus }> {
    let keychain = await store.status();
    let stored: StoredProfile[] = [];
    if (keychain.available) {
      try {
        stored = await store.list();
      } catch (error) {
        keychain = { available: false, message: toErrorInfo(error).message };
      }
    }
    const profiles = stored.map((p) => toProfile(p, 'keychain'));
    const names = new Set(stored.map((p) => p.name));
    for (const [name, entry] of await keyFileEntries()) {
      if (names.has(name)) continue; // the keychain profile of that name is the one resolution uses
      const lastTest = fileTests.get(name);
      profiles.push(toProfile({ name, server: entry.server, keyId: entry.keyId, lastTest }, 'keypairs'));
    }
    return { profiles, keychain };
  }

  async function changed(): Promise<void> {
    if (!deps.events) return;
    try {
      deps.events.emit('profiles:changed', { profiles: (await listAll()).profiles });
    } catch {
      /* a listener's failure must not undo a change already made */
    }
  }

  async function runTest(credentials: Credentials): Promise<KeyTestResult> {
    let result: KeyTestResult;
    try {
      result = await deps.testKey(credentials);
    } catch (error) {
      result = { ok: false, ...toErrorInfo(error) };
    }
    return cleanResult(result, credentials.secret);
  }

  async function credentialsNamed(
    name: string,
  ): Promise<{ stored?: StoredProfile; credentials: Credentials }> {
    let keychainError: unknown;
    try {
      const item = await store.get(name);
      if (item) {
        const { secret, ...stored } = item;
        const kind = stored.kind ? { kind: stored.kind } : {};
        return { stored, credentials: { server: stored.server, keyId: stored.keyId, secret, ...kind } };
      }
    } catch (error) {
      if (!isAppError(error) || error.code !== 'keychain-unavailable') throw error;
      keychainError = error;
    }
    const entry = (await keyFileEntries()).get(name);
    if (entry) return { credentials: entry };
    if (keychainError) throw keychainError;
    throw new AppError('not-found', `No profile named "${name}".`);
  }

  return {
    'profiles:list': async () => listAll(),

    'profiles:add': async (input) => {
      const name = checkName(input.name);
      const credentials = credentialsOf(input);
      const test = input.test ? await runTest(credentials) : undefined;
      if (test && !test.ok && test.code === 'auth-rejected') {
        throw new AppError('auth-rejected', `${test.message ?? 'The key was rejected.'} It was not saved.`);
      }
      const profile: StoredProfile = {
        name,
        server: credentials.server,
        keyId: credentials.keyId,
        ...(credentials.kind ? { kind: credentials.kind } : {}),
        addedAt: now(),
        ...(test ? { lastTest: lastTestOf(test, now()) } : {}),
      };
      await store.save(profile, credentials.secret);
      await changed();
      return test
        ? { profile: toProfile(profile, 'keychain'), test }
        : { profile: toProfile(profile, 'keychain') };
    },

    'profiles:test': async (input) => {
      if (!('name' in input)) {
        return runTest(credentialsOf(input));
      }
      const { stored, credentials } = await credentialsNamed(input.name);
      const result = await runTest(credentials);
      const lastTest = lastTestOf(result, now());
      if (stored) {
        // Recording the outcome is a courtesy: a keychain that refuses the write does not change the answer.
        await store.save({ ...stored, lastTest }, credentials.secret).catch(() => undefined);
      } else {
        fileTests.set(input.name, lastTest);
      }
      await changed();
      return result;
    },

    'profiles:remove': async ({ name }) => {
      const removed = await store.remove(name);
      if (removed) await changed();
      const keypairsFile = await keyFileHolding(name);
      return keypairsFile ? { removed, keypairsFile } : { removed };
    },

    'profiles:import': async (input) => {
      const file = 'path' in input ? await read(input.path) : parseKeypairs(input.text, 'The dropped file');
      const keychain = await store.status();
      if (!keychain.available) {
        throw new AppError(
          'keychain-unavailable',
          keychain.message ?? 'The system keychain is not available.',
        );
      }
      const imported: Profile[] = [];
      const rejected = file.rejected.map(({ name, reason }) => ({ name, reason }));
      for (const [name, entry] of Object.entries(file.entries)) {
        try {
          const profile: StoredProfile = {
            name: checkName(name),
            server: entry.server,
            keyId: entry.keyId,
            addedAt: now(),
          };
          await store.save(profile, entry.secret);
          imported.push(toProfile(profile, 'keychain'));
        } catch (error) {
          rejected.push({
            name: name.slice(0, MAX_NAME),
            reason: scrub(toErrorInfo(error).message, entry.secret),
          });
        }
      }
      if (imported.length > 0) await changed();
      return { imported, rejected };
    },
  };
}

function checkName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > MAX_NAME) {
    throw new AppError('bad-input', `A profile name must be 1 to ${MAX_NAME} characters.`);
  }
  return name;
}

/** A Profile built field by field, so nothing else a stored object carries can reach an output. */
/** What profiles:add and profiles:test take in, checked: the server as an origin, 'basic' left implicit. */
function credentialsOf(input: Omit<ProfileInput, 'name'>): Credentials {
  const credentials: Credentials = {
    server: requireCredentialServer(input.server),
    keyId: input.keyId.trim(),
    secret: input.secret.trim(),
  };
  if (input.kind && input.kind !== 'basic') credentials.kind = input.kind;
  return credentials;
}

function toProfile(
  p: Pick<StoredProfile, 'name' | 'server' | 'keyId' | 'lastTest' | 'kind'> & { addedAt?: string },
  source: Profile['source'],
): Profile {
  const profile: Profile = { name: p.name, server: p.server, keyId: p.keyId, source };
  if (p.kind && p.kind !== 'basic') profile.kind = p.kind;
  if (p.addedAt) profile.addedAt = p.addedAt;
  if (p.lastTest) {
    const { ok, at, email, message } = p.lastTest;
    profile.lastTest = { ok, at, ...(email ? { email } : {}), ...(message ? { message } : {}) };
  }
  return profile;
}

function lastTestOf(result: KeyTestResult, at: string): NonNullable<Profile['lastTest']> {
  return {
    ok: result.ok,
    at,
    ...(result.email ? { email: result.email } : {}),
    ...(result.message ? { message: result.message } : {}),
  };
}

/** Only the four known fields, with the secret struck from any message an injected tester produced. */
function cleanResult(result: KeyTestResult, secret: string): KeyTestResult {
  const clean: KeyTestResult = { ok: result.ok };
  if (result.email) clean.email = result.email;
  if (result.code) clean.code = result.code;
  if (result.message) clean.message = scrub(result.message, secret);
  return clean;
}

function scrub(text: string, secret: string): string {
  return secret ? text.split(secret).join('***') : text;
}
