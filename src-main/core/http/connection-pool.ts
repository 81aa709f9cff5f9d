import http from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';
import { Semaphore } from '../downloads/queue/semaphore.ts';

/**
 * THE place that opens connections: keep-alive agents (sockets pooled per host) and the got instance every
 * request goes through, the portal and DRS calls (HttpClient) and the storage transfers alike. got's own
 * policies are off, because ours live above it: no retries (HttpClient retries, the engine resumes with Range),
 * no redirects (followRedirects judges every hop), no decompression (bytes are saved as stored, identity
 * encoding asked for), no thrown HTTP statuses. `slots` bounds requests in flight to the socket bound, so a
 * storage request that took a slot never waits for a socket while its stall timer runs.
 */
export interface ConnectionPool {
  got: Got;
  slots: Semaphore;
  close(): void;
}

export function createConnectionPool(
  options: { maxSockets?: number; userAgent?: string } = {},
): ConnectionPool {
  const maxSockets = options.maxSockets ?? 64;
  const agentOptions = { keepAlive: true, maxSockets, maxTotalSockets: maxSockets, maxFreeSockets: 16 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const client = got.extend({
    retry: { limit: 0 },
    decompress: false,
    followRedirect: false,
    throwHttpErrors: false,
    agent: agents,
    headers: {
      'user-agent': options.userAgent ?? '4dn-downloader',
      'accept-encoding': 'identity',
    },
  });
  return {
    got: client,
    slots: new Semaphore(maxSockets),
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** Response headers as node gives them. */
export type Headers = Record<string, string | string[] | undefined>;

let apiPool: ConnectionPool | undefined;

/**
 * The pool portal and DRS calls share across every HttpClient in this process, so a key check, a search and a
 * DRS lookup to one server reuse its sockets. Unbounded like node's global agent it replaces (API calls take no
 * slot); idle sockets are unref'd by the agent, so the pool never keeps the process alive.
 */
export function sharedApiPool(): ConnectionPool {
  apiPool ??= createConnectionPool({ maxSockets: Number.POSITIVE_INFINITY });
  return apiPool;
}
