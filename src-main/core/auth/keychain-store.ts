import { createRequire } from 'node:module';
import { AppError } from '../../../src-shared/domain/errors.ts';
import type { KeychainStatus } from '../../../src-shared/domain/profile.ts';
import { type CredentialStore, KEYPAIRS_HINT, type StoredProfile } from './credential-store.ts';
import { decodeRecord, encodeRecord } from './keychain-record.ts';
import { probeSessionBus } from './session-bus-probe.ts';

/** The part of @github/keytar this store uses (injectable, so the guard can be tested without D-Bus). */
export interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export interface KeychainStoreOptions {
  /** The keychain service every profile is filed under; tests use their own. */
  service?: string;
  /**
   * How long one keychain call may take. With a session bus that accepts the connection but never answers,
   * keytar waits forever; an unlock prompt left open looks the same from here.
   */
  timeoutMs?: number;
  loadKeytar?: () => Promise<Keytar>;
  /** Resolves to a reason when the keychain's transport is known to be dead; by default the D-Bus probe. */
  probe?: () => Promise<string | undefined>;
}

export const DEFAULT_SERVICE = '4DN Downloader';
const DEFAULT_TIMEOUT_MS = 10_000;
const TIMED_OUT = Symbol('timed out');

/** The native module is loaded on first use, so a broken build or a missing library is an error value. */
async function loadKeytarModule(): Promise<Keytar> {
  return createRequire(import.meta.url)('@github/keytar') as Keytar;
}

/** CredentialStore over the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service). */
export class KeychainStore implements CredentialStore {
  private readonly service: string;
  private readonly timeoutMs: number;
  private readonly loadKeytar: () => Promise<Keytar>;
  private readonly probe: () => Promise<string | undefined>;
  private probed = false;
  private keytar: Promise<Keytar> | undefined;
  /** A call that outlived its timeout. Each one holds a libuv worker thread, so none is added meanwhile. */
  private stuck: Promise<unknown> | undefined;

  constructor(options: KeychainStoreOptions = {}) {
    this.service = options.service ?? DEFAULT_SERVICE;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.loadKeytar = options.loadKeytar ?? loadKeytarModule;
    const usesDbus = process.platform !== 'darwin' && process.platform !== 'win32';
    this.probe =
      options.probe ??
      (usesDbus ? () => probeSessionBus(process.env, Math.min(this.timeoutMs, 2000)) : async () => undefined);
  }

  async status(): Promise<KeychainStatus> {
    try {
      await this.call((k) => k.findCredentials(this.service));
      return { available: true };
    } catch (error) {
      return { available: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  async list(): Promise<StoredProfile[]> {
    const items = await this.call((k) => k.findCredentials(this.service));
    const profiles: StoredProfile[] = [];
    for (const { account, password } of items) {
      const record = decodeRecord(account, password);
      if (!record) continue;
      const { secret: _secret, ...profile } = record;
      profiles.push(profile);
    }
    return profiles.sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<(StoredProfile & { secret: string }) | undefined> {
    const password = await this.call((k) => k.getPassword(this.service, name));
    return password === null ? undefined : decodeRecord(name, password);
  }

  async save(profile: StoredProfile, secret: string): Promise<void> {
    const password = encodeRecord(profile, secret);
    await this.call((k) => k.setPassword(this.service, profile.name, password));
  }

  async remove(name: string): Promise<boolean> {
    return this.call((k) => k.deletePassword(this.service, name));
  }

  /** Runs one keytar call with the timeout, turning every failure into keychain-unavailable. */
  private async call<T>(run: (keytar: Keytar) => Promise<T>): Promise<T> {
    if (this.stuck) throw unavailable(`it has not answered an earlier request yet`);
    if (!this.probed) {
      const dead = await this.probe();
      if (dead) throw unavailable(dead);
      this.probed = true; // a bus that answered once is not probed again
    }
    let keytar: Keytar;
    try {
      this.keytar ??= this.loadKeytar();
      keytar = await this.keytar;
    } catch (error) {
      throw unavailable(`its native module could not be loaded: ${describe(error)}`, error);
    }
    const operation = run(keytar);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.timeoutMs);
    });
    try {
      const result = await Promise.race([operation, timeout]);
      if (result === TIMED_OUT) {
        const settled = operation.then(
          () => undefined,
          () => undefined,
        );
        this.stuck = settled.finally(() => {
          this.stuck = undefined;
        });
        throw unavailable(`it did not answer within ${seconds(this.timeoutMs)}`);
      }
      return result;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw unavailable(describe(error), error);
    } finally {
      clearTimeout(timer);
    }
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function unavailable(detail: string, cause?: unknown): AppError {
  return new AppError(
    'keychain-unavailable',
    `The system keychain is not available (${detail}); ${KEYPAIRS_HINT}.`,
    {
      cause,
    },
  );
}

/** keytar's messages, made plain: one line, and the usual Linux causes named. */
function describe(error: unknown): string {
  const raw = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  if (/locked collection/i.test(raw)) return 'the keyring is locked: unlock it, then try again';
  if (
    /autolaunch D-Bus|Could not connect|DBUS_SESSION_BUS_ADDRESS|org\.freedesktop\.DBus\.Error/i.test(raw)
  ) {
    return `no Secret Service is reachable on the D-Bus session bus: ${raw.slice(0, 160)}`;
  }
  if (/Object does not exist at path/i.test(raw)) return 'the Secret Service has no default keyring';
  return raw.slice(0, 200) || 'unknown error';
}
