import type { Socket } from 'node:net';
import { BodyQueue } from './body-queue.ts';
import type { Headers } from './connection-pool.ts';
import {
  ChunkedDecoder,
  MAX_HEAD_BYTES,
  ProtocolError,
  parseHead,
  type ResponseHead,
  TOKEN,
} from './http1-parse.ts';
import { PhaseTimeouts, type Timeouts } from './phase-timeouts.ts';
import { SLAB_MIN_ROOM, type SlabPool } from './slab-pool.ts';

// Built-in CommonJS modules rather than `import ... from 'node:net'` (their ESM facades cost startup time).
const net = process.getBuiltinModule('node:net');
const tls = process.getBuiltinModule('node:tls');

/*
 * HTTP/1.1 spoken directly on a socket (keep-alive), bodies read into slabs (slab-pool.ts) and handed out as
 * views of them, never copied. node:http gives each socket read a new buffer, then its parser copies the body
 * out of it into another, and a stream carries each piece through several callbacks: on a 1 GiB file that cost
 * 2.5-3.5 s of CPU against 0.62-0.65 s read this way (same file, same loopback server), and 0.19 ms against
 * 0.08 ms per small request. Storage GETs and portal and DRS calls alike (connection-pool.ts).
 * docs/architecture.md, "Receiving a body".
 */

export interface StreamResponse {
  statusCode: number;
  headers: Headers;
  /** The body in order, as views of slabs: each one goes back through `release` once nobody reads it. */
  body: AsyncIterable<Buffer>;
  release(views: readonly Uint8Array[]): void;
}

export interface StreamExchange {
  /** Rejects with the network error, or when destroyed before an answer. */
  response: Promise<StreamResponse>;
  /** Ends the exchange now: a body being read fails with `error`; the socket is not reused. */
  destroy(error?: Error): void;
}

export interface StreamRequest {
  /** Default GET. */
  method?: string | undefined;
  /** Final headers (names in lower case); Host is added. */
  headers: Record<string, string>;
  body?: string | undefined;
  timeouts?: Timeouts | undefined;
  /** An abort destroys the exchange with the signal's reason. */
  signal?: AbortSignal | undefined;
}

export interface BodySocketOptions {
  slabs: SlabPool;
  ca?: string | Buffer | undefined;
  /** Idle keep-alive sockets kept, over all origins. */
  maxIdle: number;
}

/** How long a socket may wait in the pool for its next request (undici's default; servers allow 5 s or more). */
const IDLE_MS = 4000;

/** Keep-alive sockets per origin, and the way a GET is sent on one. */
export class BodySockets {
  private readonly idle = new Map<string, Connection[]>();
  private idleCount = 0;
  /**
   * The last TLS session each https origin gave: a new connection resumes it (an abbreviated handshake, as
   * node's https agent does), not a full one: segments and parallel files open several to one storage host.
   */
  private readonly tlsSessions = new Map<string, Buffer>();
  private readonly options: BodySocketOptions;

  constructor(options: BodySocketOptions) {
    this.options = options;
  }

  get(url: URL, headers: Record<string, string>): StreamExchange {
    return this.request(url, { headers });
  }

  request(url: URL, options: StreamRequest): StreamExchange {
    const method = options.method ?? 'GET';
    let request: string;
    try {
      request = requestText(method, url, options.headers, options.body);
    } catch (error) {
      const failed = Promise.reject(error);
      failed.catch(() => undefined);
      return { response: failed, destroy: () => undefined };
    }
    return new Exchange(this, url, method, request, options);
  }

  close(): void {
    for (const list of this.idle.values()) for (const connection of list) connection.destroy();
    this.idle.clear();
    this.idleCount = 0;
  }

  /** A pooled socket to the origin, or a new one; `reused` says which. */
  connect(url: URL): { connection: Connection; reused: boolean } {
    const key = url.origin;
    const list = this.idle.get(key);
    while (list && list.length > 0) {
      const connection = list.pop() as Connection;
      this.idleCount--;
      if (connection.usable) {
        connection.wake();
        return { connection, reused: true };
      }
    }
    const tlsSession = {
      given: this.tlsSessions.get(key),
      keep: (session: Buffer) => this.tlsSessions.set(key, session),
    };
    return {
      connection: new Connection(this.options, url, (c) => this.park(key, c), tlsSession),
      reused: false,
    };
  }

  private park(key: string, connection: Connection): void {
    if (this.idleCount >= this.options.maxIdle) {
      connection.destroy();
      return;
    }
    const list = this.idle.get(key) ?? [];
    this.idle.set(key, list);
    list.push(connection);
    this.idleCount++;
    connection.sleep(IDLE_MS, () => {
      const at = list.indexOf(connection);
      if (at >= 0) {
        list.splice(at, 1);
        this.idleCount--;
      }
    });
  }
}

/** Whatever a connection reports to the exchange it serves. */
interface ExchangeEvents {
  head(head: ResponseHead): void;
  body(view: Buffer): boolean;
  end(): void;
  /** `received`: whether any byte of the answer came. */
  fail(error: Error, received: boolean): void;
}

/** Methods sent again on a new socket when a kept-alive one turns out closed: those with no effect to repeat. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

/** One request on the pool: sent on a pooled socket, and once more on a fresh one if the pooled one was stale. */
class Exchange implements StreamExchange {
  readonly response: Promise<StreamResponse>;
  private resolve!: (response: StreamResponse) => void;
  private reject!: (error: Error) => void;
  private readonly sockets: BodySockets;
  private readonly url: URL;
  private readonly method: string;
  private readonly request: string;
  private readonly timers: PhaseTimeouts | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort = () => this.destroy(abortReason(this.signal));
  private connection: Connection | undefined;
  private body: BodyQueue | undefined;
  private settled = false;
  private done = false;

  constructor(sockets: BodySockets, url: URL, method: string, request: string, options: StreamRequest) {
    this.sockets = sockets;
    this.url = url;
    this.method = method;
    this.request = request;
    this.signal = options.signal;
    this.response = new Promise<StreamResponse>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.response.catch(() => undefined);
    if (options.timeouts) this.timers = new PhaseTimeouts(options.timeouts, (error) => this.destroy(error));
    if (this.signal?.aborted) {
      this.destroy(abortReason(this.signal));
      return;
    }
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.send();
  }

  destroy(error?: Error): void {
    if (this.done) return;
    this.over();
    const reason = error ?? new Error('closed before a response');
    this.connection?.destroy();
    this.finish(reason);
  }

  private send(): void {
    const { connection, reused } = this.sockets.connect(this.url);
    this.connection = connection;
    this.timers?.watch(connection.socket, !reused, this.url.protocol === 'https:');
    connection.serve(this.request, this.method, {
      head: (head) => this.onHead(connection, head),
      body: (view) => this.body?.push(view) ?? true,
      end: () => {
        this.over();
        this.body?.end();
      },
      fail: (error, received) => {
        // A kept-alive socket the server had closed meanwhile: the request goes again on a new one, once.
        if (reused && !received && !this.done && IDEMPOTENT.has(this.method)) {
          this.send();
          return;
        }
        this.over();
        this.finish(error);
      },
    });
  }

  /** No more clocks or abort for this exchange. */
  private over(): void {
    this.done = true;
    this.timers?.stop();
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  private onHead(connection: Connection, head: ResponseHead): void {
    this.timers?.answered();
    const slabs = connection.slabs;
    this.body = new BodyQueue(
      () => connection.readOn(),
      () => this.destroy(new Error('body abandoned')),
    );
    this.settled = true;
    this.resolve({
      statusCode: head.status,
      headers: head.headers,
      body: this.body,
      release: (views) => slabs.release(views),
    });
  }

  /** Fails whatever waits: the answer if it has not come, else the body. */
  private finish(error: Error): void {
    if (!this.settled) {
      this.settled = true;
      this.reject(error);
      return;
    }
    if (this.body && !this.body.finished) this.body.fail(error);
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : Object.assign(new Error('aborted'), { code: 'ABORT_ERR' });
}

/** One socket reading into slabs, serving one exchange at a time. */
class Connection {
  readonly slabs: SlabPool;
  readonly socket: Socket;
  private readonly park: (connection: Connection) => void;
  private slab: Buffer;
  private fill = 0;
  private events: ExchangeEvents | undefined;
  private state: 'idle' | 'head' | 'body' | 'closed' = 'idle';
  private headStart = 0;
  private head: ResponseHead | undefined;
  private left = 0;
  private chunked: ChunkedDecoder | undefined;
  private received = false;
  private reusable = true;
  private idleTimer: NodeJS.Timeout | undefined;
  private onParkedClose: (() => void) | undefined;
  private method = 'GET';

  constructor(
    options: BodySocketOptions,
    url: URL,
    park: (connection: Connection) => void,
    tlsSession: { given: Buffer | undefined; keep: (session: Buffer) => void },
  ) {
    this.slabs = options.slabs;
    this.park = park;
    this.slab = this.slabs.take();
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const secure = url.protocol === 'https:';
    const port = Number(url.port) || (secure ? 443 : 80);
    const onread = { buffer: () => this.target(), callback: (n: number) => this.onRead(n) };
    // tls.connect takes `onread` as net.connect does (node's docs); @types/node leaves it out of its options.
    const secureOptions = {
      host,
      port,
      ...(net.isIP(host) ? {} : { servername: host }),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      ...(tlsSession.given === undefined ? {} : { session: tlsSession.given }),
      ALPNProtocols: ['http/1.1'],
      onread,
    } as import('node:tls').ConnectionOptions;
    this.socket = secure ? tls.connect(secureOptions) : net.connect({ host, port, onread });
    if (secure) this.socket.on('session', (session: Buffer) => tlsSession.keep(session));
    this.socket.setNoDelay(true);
    this.socket.on('error', (error) => this.lost(error));
    this.socket.on('end', () => this.lost(undefined));
    this.socket.on('close', () => this.lost(undefined));
  }

  get usable(): boolean {
    return this.state === 'idle' && !this.socket.destroyed;
  }

  serve(request: string, method: string, events: ExchangeEvents): void {
    this.events = events;
    this.method = method;
    this.state = 'head';
    this.headStart = this.fill;
    this.received = false;
    this.socket.write(request);
  }

  /** Reads again once the body's reader caught up (a false from onread stopped it). */
  readOn(): void {
    if (this.state !== 'closed') this.socket.resume();
  }

  destroy(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.events = undefined;
    clearTimeout(this.idleTimer);
    this.socket.destroy();
    this.slabs.retire(this.slab);
  }

  /** Parked in the pool: unref'd, and closed after `ms` or when the server closes it. */
  sleep(ms: number, onGone: () => void): void {
    this.onParkedClose = onGone;
    this.socket.unref();
    this.idleTimer = setTimeout(() => {
      onGone();
      this.destroy();
    }, ms);
    // A parked socket never keeps the process alive, nor does its clock.
    this.idleTimer.unref();
  }

  wake(): void {
    clearTimeout(this.idleTimer);
    this.onParkedClose = undefined;
    this.socket.ref();
  }

  /** Where the next read lands: the current slab's free room, or a fresh slab once little is left. */
  private target(): Buffer {
    if (this.slab.length - this.fill < SLAB_MIN_ROOM) {
      const old = this.slab;
      this.slab = this.slabs.take();
      if (this.state === 'head' && this.fill > this.headStart) {
        // Half a head: carried over whole, so it is parsed from one buffer.
        old.copy(this.slab, 0, this.headStart, this.fill);
        this.fill -= this.headStart;
      } else this.fill = 0;
      this.headStart = 0;
      this.slabs.retire(old);
    }
    return this.slab.subarray(this.fill);
  }

  private onRead(n: number): boolean {
    const start = this.fill;
    this.fill += n;
    this.received = true;
    try {
      if (this.state === 'head') return this.readHead(start);
      if (this.state === 'body') return this.readBody(start, this.fill - start);
      // Bytes nobody asked for (between requests): the connection cannot be trusted with another.
      this.reusable = false;
      if (this.state === 'idle') this.destroy();
      return true;
    } catch (error) {
      this.fail(error as Error);
      return false;
    }
  }

  private readHead(start: number): boolean {
    for (;;) {
      const end = this.slab.indexOf('\r\n\r\n', Math.max(this.headStart, start - 3), 'latin1');
      if (end < 0 || end + 4 > this.fill) {
        if (this.fill - this.headStart > MAX_HEAD_BYTES)
          throw new ProtocolError('a response head over 64 KiB');
        return true;
      }
      const head = parseHead(this.slab.toString('latin1', this.headStart, end), this.method);
      const bodyStart = end + 4;
      if (head.status >= 100 && head.status < 200) {
        // An informational answer (100 Continue, 103 Early Hints): the real one follows.
        this.headStart = bodyStart;
        start = bodyStart;
        continue;
      }
      this.head = head;
      this.reusable = head.reusable;
      this.state = 'body';
      if (head.framing.kind === 'length') this.left = head.framing.length;
      this.chunked = head.framing.kind === 'chunked' ? new ChunkedDecoder() : undefined;
      this.events?.head(head);
      if (this.state !== 'body') return true;
      if (head.framing.kind === 'length' && this.left === 0) {
        if (bodyStart < this.fill) this.reusable = false;
        this.complete();
        return true;
      }
      return this.readBody(bodyStart, this.fill - bodyStart);
    }
  }

  private readBody(offset: number, length: number): boolean {
    const framing = this.head?.framing;
    let open = true;
    const emit = (at: number, size: number) => {
      if (size > 0 && this.events && !this.events.body(this.slabs.lend(this.slab, at, size))) open = false;
    };
    if (framing?.kind === 'length') {
      const take = Math.min(this.left, length);
      emit(offset, take);
      this.left -= take;
      if (take < length) this.reusable = false;
      if (this.left === 0) this.complete();
    } else if (this.chunked) {
      const decoder = this.chunked;
      const used = decoder.feed(this.slab.subarray(offset, offset + length), (at, size) =>
        emit(offset + at, size),
      );
      if (decoder.done) {
        if (used < length) this.reusable = false;
        this.complete();
      }
    } else emit(offset, length);
    return open;
  }

  /** The body ended as framed: its reader is told, and the socket goes back to the pool when it can serve again. */
  private complete(): void {
    const events = this.events;
    this.events = undefined;
    this.state = 'idle';
    events?.end();
    if (this.reusable && !this.socket.destroyed) {
      this.socket.resume();
      this.park(this);
    } else this.destroy();
  }

  private fail(error: Error): void {
    const events = this.events;
    const received = this.received;
    this.destroy();
    events?.fail(error, received);
  }

  /** The socket failed or the server closed it. */
  private lost(error: Error | undefined): void {
    if (this.state === 'closed') return;
    if (this.state === 'idle') {
      this.onParkedClose?.();
      this.destroy();
      return;
    }
    if (this.state === 'body' && this.head?.framing.kind === 'close' && error === undefined) {
      // A body without a length ends with its connection.
      const events = this.events;
      this.events = undefined;
      this.destroy();
      events?.end();
      return;
    }
    const reason =
      error ??
      Object.assign(new Error(this.state === 'head' ? 'socket hang up' : 'connection closed early'), {
        code: 'ECONNRESET',
      });
    this.fail(reason);
  }
}

const BAD_VALUE = /[\r\n\0]/;

/** The request's bytes; throws (as node:http does) on a header that would break the framing. */
function requestText(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string | undefined,
): string {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw Object.assign(new TypeError(`Protocol "${url.protocol}" not supported`), {
      code: 'ERR_INVALID_PROTOCOL',
    });
  }
  if (!TOKEN.test(method)) {
    throw Object.assign(new TypeError(`Method "${method}" is not a token`), {
      code: 'ERR_INVALID_HTTP_TOKEN',
    });
  }
  let text = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name) || BAD_VALUE.test(value)) {
      throw Object.assign(new TypeError(`Invalid character in header "${name}"`), {
        code: 'ERR_INVALID_CHAR',
      });
    }
    text += `${name}: ${value}\r\n`;
  }
  return `${text}\r\n${body ?? ''}`;
}
