import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Semaphore } from '../downloads/queue/semaphore.ts';
import { BodySockets, type StreamExchange } from './body-socket.ts';
import { SlabPool } from './slab-pool.ts';

export type { StreamExchange, StreamResponse } from './body-socket.ts';

// Taken as the built-in CommonJS modules, not imported: node:http's ESM facade reads every export at import,
// and its WebSocket getter loads undici (~55 ms of CPU at every CLI start, 16% of a one-file `get`).
const http = process.getBuiltinModule('node:http');
const https = process.getBuiltinModule('node:https');

/** Response headers as node gives them. */
export type Headers = Record<string, string | string[] | undefined>;

/** Bounds on one exchange's phases, in milliseconds (each optional). */
export interface Timeouts {
  /** DNS lookup of a new connection. */
  lookup?: number;
  /** TCP connect of a new connection. */
  connect?: number;
  /** TLS handshake of a new connection. */
  secureConnect?: number;
  /** The socket idle, at any point. */
  socket?: number;
  /** From the request sent to the answer's headers. */
  response?: number;
  /** The whole exchange, body included. */
  request?: number;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  timeouts?: Timeouts | undefined;
}

/** One request on the pool: its answer once the headers are in, and a way to end it early. */
export interface Exchange {
  /** Rejects with the network error (a phase timeout as code ETIMEDOUT), or when closed before an answer. */
  response: Promise<IncomingMessage>;
  /** Ends the exchange now: the body (if any) fails with `error`; the socket is not reused. */
  destroy(error?: Error): void;
}

/**
 * THE place that opens connections: keep-alive agents (sockets pooled per host) and the one way a request is
 * sent on them, for the portal and DRS calls (HttpClient) and the storage transfers alike. Plain node:http: no
 * retries (HttpClient retries, the engine resumes with Range), no redirects (followRedirects judges every hop),
 * no decompression (bytes are saved as stored, identity encoding asked for), statuses handed back as they are.
 * got did the same at more than twice the CPU per request (measured on 2,000 GETs of 64 KiB). `slots` bounds
 * requests in flight to the socket bound, so a storage request that took a slot never waits for a socket while
 * its stall timer runs.
 */
export interface ConnectionPool {
  send(url: URL, options?: SendOptions): Exchange;
  /**
   * A storage GET whose body is read into reused slabs (body-socket.ts), on keep-alive sockets of its own: the
   * per-byte path of a download. No timeouts here: the transfer's watchdog bounds every phase.
   */
  stream(url: URL, headers: Record<string, string>): StreamExchange;
  slots: Semaphore;
  close(): void;
}

export function createConnectionPool(
  options: { maxSockets?: number; userAgent?: string; ca?: string | Buffer } = {},
): ConnectionPool {
  const maxSockets = options.maxSockets ?? 64;
  const agentOptions = { keepAlive: true, maxSockets, maxTotalSockets: maxSockets, maxFreeSockets: 16 };
  const agents = {
    http: new http.Agent(agentOptions),
    https: new https.Agent(options.ca === undefined ? agentOptions : { ...agentOptions, ca: options.ca }),
  };
  const defaults = { 'user-agent': options.userAgent ?? '4dn-downloader', 'accept-encoding': 'identity' };
  const bodySockets = new BodySockets({
    slabs: new SlabPool(),
    ca: options.ca,
    maxIdle: agentOptions.maxFreeSockets,
  });
  const withDefaults = (given: Record<string, string> | undefined) => {
    const headers: Record<string, string> = { ...defaults };
    // Names are case-insensitive: the caller's win over the defaults whatever their case.
    for (const [name, value] of Object.entries(given ?? {})) headers[name.toLowerCase()] = value;
    return headers;
  };
  return {
    send(url, sendOptions = {}) {
      const secure = url.protocol === 'https:';
      const headers = withDefaults(sendOptions.headers);
      const body = sendOptions.body;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      let request: ClientRequest;
      try {
        request = (secure ? https : http).request(url, {
          method: sendOptions.method ?? 'GET',
          headers,
          agent: secure ? agents.https : agents.http,
          ...(sendOptions.signal ? { signal: sendOptions.signal } : {}),
        });
      } catch (error) {
        // A bad protocol or header value: a failed exchange like any other, not a throw at the caller.
        const failed = Promise.reject(error);
        failed.catch(() => undefined);
        return { response: failed, destroy: () => undefined };
      }
      let answer: IncomingMessage | undefined;
      const response = new Promise<IncomingMessage>((resolve, reject) => {
        request.on('error', reject);
        request.once('close', () => reject(new Error('closed before a response')));
        request.once('response', (res: IncomingMessage) => {
          answer = res;
          // A failed body surfaces to whoever reads it (async iteration sees the stream's error).
          res.on('error', () => undefined);
          resolve(res);
        });
      });
      // Settled through the promise; a caller that never awaits it must not see an unhandled rejection.
      response.catch(() => undefined);
      const destroy = (error?: Error) => {
        // The answer first, so a body being read fails with this error rather than a generic reset.
        answer?.destroy(error);
        request.destroy(error);
      };
      if (sendOptions.timeouts) enforceTimeouts(request, secure, sendOptions.timeouts, destroy);
      request.end(body);
      return { response, destroy };
    },
    stream(url, headers) {
      return bodySockets.get(url, withDefaults(headers));
    },
    slots: new Semaphore(maxSockets),
    close() {
      agents.http.destroy();
      agents.https.destroy();
      bodySockets.close();
    },
  };
}

function timedOut(phase: string, ms: number): Error {
  return Object.assign(new Error(`Timeout awaiting '${phase}' for ${ms}ms`), { code: 'ETIMEDOUT' });
}

/** Each phase's bound: a phase that overruns destroys the exchange with ETIMEDOUT. */
function enforceTimeouts(
  request: ClientRequest,
  secure: boolean,
  timeouts: Timeouts,
  destroy: (error: Error) => void,
): void {
  const timers = new Set<NodeJS.Timeout>();
  const arm = (phase: keyof Timeouts): NodeJS.Timeout | undefined => {
    const ms = timeouts[phase];
    if (ms === undefined) return undefined;
    const timer = setTimeout(() => destroy(timedOut(phase, ms)), ms);
    timers.add(timer);
    return timer;
  };
  const disarm = (timer: NodeJS.Timeout | undefined) => {
    if (timer === undefined) return;
    clearTimeout(timer);
    timers.delete(timer);
  };
  arm('request');
  if (timeouts.socket !== undefined) {
    const ms = timeouts.socket;
    request.setTimeout(ms, () => destroy(timedOut('socket', ms)));
  }
  request.once('socket', (socket: Socket) => {
    // A pooled socket is connected already; a new one goes through lookup (not for an IP), connect, TLS.
    if (!socket.connecting) return;
    let phase = arm('lookup');
    socket.once('lookup', () => {
      disarm(phase);
      phase = arm('connect');
    });
    socket.once('connect', () => {
      disarm(phase);
      phase = secure ? arm('secureConnect') : undefined;
    });
    socket.once('secureConnect', () => disarm(phase));
  });
  let waiting: NodeJS.Timeout | undefined;
  request.once('finish', () => {
    waiting = arm('response');
  });
  request.once('response', () => disarm(waiting));
  request.once('close', () => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  });
}

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
