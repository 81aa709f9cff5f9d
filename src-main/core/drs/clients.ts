import type { Credentials } from '../http/credentials.ts';
import { HttpClient } from '../http/http-client.ts';
import { createDownloadSource, type DownloadSource } from './download-source.ts';
import { DrsClient } from './drs-client.ts';
import { PortalClient } from './portal-client.ts';

export interface PortalClients {
  http: HttpClient;
  drs: DrsClient;
  portal: PortalClient;
  downloads: DownloadSource;
}

/** Everything that talks to one profile's server, sharing one HTTP setup (and so one credential scope). */
export function createPortalClients(options: {
  server: string;
  credentials?: Credentials | undefined;
  version?: string;
  sleep?: (ms: number) => Promise<void>;
  bulkSupport?: Map<string, boolean>;
}): PortalClients {
  const http = new HttpClient({
    credentials: options.credentials,
    version: options.version,
    sleep: options.sleep,
  });
  return {
    http,
    drs: new DrsClient({
      http,
      defaultServer: options.server,
      ...(options.bulkSupport ? { bulkSupport: options.bulkSupport } : {}),
    }),
    portal: new PortalClient({ http, server: options.server }),
    downloads: createDownloadSource({ server: options.server, http }),
  };
}
