import { DEFAULT_SERVER } from '../../src-shared/domain/profile.ts';
import type { CredentialStore } from './auth/credential-store.ts';
import { type ResolvedCredentials, resolveCredentials } from './auth/resolve-credentials.ts';
import { createPortalClients, type PortalClients } from './drs/clients.ts';
import type { EventHub } from './events.ts';

export interface ProfileClientsOptions {
  store?: CredentialStore;
  /** keypairs.json to fall back on (`--keypairs`); otherwise ~/keypairs.json and ~/.fourfront-keys.json. */
  keypairsPath?: string;
  /** `--server`: overrides the server of whatever key is found, and is the server for anonymous use. */
  server?: string;
  /** Profile used when a request names none. */
  defaultProfile: () => string | undefined;
  version?: string;
  events?: EventHub;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Turns a profile name into the clients that talk to its server with its key. Credentials are resolved once per
 * profile (a keychain round trip is not free with 10,000 jobs) and forgotten when the profiles change.
 */
export class ProfileClients {
  private readonly options: ProfileClientsOptions;
  private readonly cache = new Map<
    string,
    Promise<{ resolved: ResolvedCredentials; clients: PortalClients }>
  >();
  private readonly bulkSupport = new Map<string, boolean>();

  constructor(options: ProfileClientsOptions) {
    this.options = options;
    options.events?.on('profiles:changed', () => this.cache.clear());
  }

  async forProfile(profile?: string): Promise<PortalClients> {
    return (await this.entry(profile)).clients;
  }

  /** Which key a profile resolved to, without the secret: for messages such as "using keypairs.json". */
  async describe(profile?: string): Promise<Omit<ResolvedCredentials, 'credentials'> & { server: string }> {
    const { resolved, clients } = await this.entry(profile);
    const { credentials: _secretBearing, ...rest } = resolved;
    return { ...rest, server: clients.portal.server };
  }

  private entry(profile?: string) {
    const name = profile ?? this.options.defaultProfile();
    const key = name ?? '';
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.build(name);
      this.cache.set(key, entry);
      // A failure (bad key file) must not stick: the user fixes it and tries again.
      entry.catch(() => this.cache.delete(key));
    }
    return entry;
  }

  private async build(profile: string | undefined) {
    const resolved = await resolveCredentials({
      ...(this.options.store ? { store: this.options.store } : {}),
      ...(profile !== undefined ? { profile } : {}),
      ...(this.options.keypairsPath !== undefined ? { keypairsPath: this.options.keypairsPath } : {}),
      ...(this.options.server !== undefined ? { server: this.options.server } : {}),
    });
    const server = resolved.credentials?.server ?? this.options.server ?? DEFAULT_SERVER;
    const clients = createPortalClients({
      server,
      credentials: resolved.credentials,
      ...(this.options.version !== undefined ? { version: this.options.version } : {}),
      ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      bulkSupport: this.bulkSupport,
    });
    return { resolved, clients };
  }
}
