import { Semaphore } from '../downloads/queue/semaphore.ts';
import { BodySockets, type StreamExchange } from './body-socket.ts';
import type { Timeouts } from './phase-timeouts.ts';
import { SlabPool } from './slab-pool.ts';

export type { StreamExchange, StreamResponse } from './body-socket.ts';
export type { Timeouts } from './phase-timeouts.ts';

/** Response headers as node gives them. */
export type Headers = Record<string, string | string[] | undefined>;

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  timeouts?: Timeouts | undefined;
}

/**
 * THE place that opens connections: keep-alive sockets pooled per origin (body-socket.ts: HTTP/1.1 written on
 * net and tls sockets, bodies read into reused slabs), for the portal and DRS calls (HttpClient) and the storage
 * transfers alike. No retries (HttpClient retries, the engine resumes with Range), no redirects
 * (followRedirects judges every hop), no decompression (bytes are saved as stored, identity encoding asked
 * for), statuses handed back as they are. got did the same at more than twice node:http's CPU per request, and
 * node:http at twice ours (bench/http-per-request.ts). `slots` bounds storage requests in flight, so a storage
 * request that took a slot never waits for a socket while its stall timer runs.
 */
export interface ConnectionPool {
  /** One request, phase timeouts and an abort signal as given; the answer's body is read by the caller. */
  send(url: URL, options?: SendOptions): StreamExchange;
  /**
   * A storage GET, the per-byte path of a download: no timeouts here, the transfer's watchdog bounds every
   * phase.
   */
  stream(url: URL, headers: Record<string, string>): StreamExchange;
  slots: Semaphore;
  close(): void;
}

export function createConnectionPool(
  options: { maxSockets?: number; userAgent?: string; ca?: string | Buffer } = {},
): ConnectionPool {
  const maxSockets = options.maxSockets ?? 64;
  const defaults = { 'user-agent': options.userAgent ?? '4dn-downloader', 'accept-encoding': 'identity' };
  const sockets = new BodySockets({ slabs: new SlabPool(), ca: options.ca, maxIdle: 16 });
  const withDefaults = (given: Record<string, string> | undefined) => {
    const headers: Record<string, string> = { ...defaults };
    // Names are case-insensitive: the caller's win over the defaults whatever their case.
    for (const [name, value] of Object.entries(given ?? {})) headers[name.toLowerCase()] = value;
    return headers;
  };
  return {
    send(url, sendOptions = {}) {
      const headers = withDefaults(sendOptions.headers);
      const body = sendOptions.body;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      return sockets.request(url, {
        method: sendOptions.method,
        headers,
        body,
        timeouts: sendOptions.timeouts,
        signal: sendOptions.signal,
      });
    },
    stream(url, headers) {
      return sockets.get(url, withDefaults(headers));
    },
    slots: new Semaphore(maxSockets),
    close() {
      sockets.close();
    },
  };
}

let apiPool: ConnectionPool | undefined;

/**
 * The pool portal and DRS calls share across every HttpClient in this process, so a key check, a search and a
 * DRS lookup to one server reuse its sockets. Unbounded (API calls take no slot); idle sockets are unref'd, so
 * the pool never keeps the process alive.
 */
export function sharedApiPool(): ConnectionPool {
  apiPool ??= createConnectionPool({ maxSockets: Number.POSITIVE_INFINITY });
  return apiPool;
}
