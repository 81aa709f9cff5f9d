import type { EventName, EventPayload, InvokeChannel, InvokeResult } from '../../src-shared/ipc/contract.ts';
import { type ServerFrame, WIRE_PATH } from '../../src-shared/ipc/wire.ts';
import { ApiError, type ConnectionState, type Transport, unwrap } from './transport.ts';

/** The little of a WebSocket we use, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface WebTransportOptions {
  url: string;
  createSocket?: SocketFactory;
  /** First reconnect delay and its cap, in ms; each failed attempt doubles it (with jitter). */
  backoffMs?: { initial: number; max: number };
  random?: () => number;
}

export interface WebTransport extends Transport {
  /** Stops reconnecting and closes the socket. */
  close(): void;
}

const TOKEN_KEY = '4dn-downloader.token';

/**
 * The socket URL for this page: the token from ?token=, kept in this tab's sessionStorage so a reload still
 * works. Once read it leaves the address bar and the history (replaceState), so it is not in a bookmark, a
 * shared screenshot or the browser's history list.
 */
export function socketUrlFor(
  location: Pick<Location, 'protocol' | 'host' | 'search'> & Partial<Pick<Location, 'pathname' | 'hash'>>,
  storage: Storage,
  history?: Pick<History, 'replaceState' | 'state'>,
): string {
  const query = new URLSearchParams(location.search);
  const fromQuery = query.get('token');
  if (fromQuery) storage.setItem(TOKEN_KEY, fromQuery);
  if (query.has('token') && history) {
    query.delete('token');
    const rest = query.toString();
    history.replaceState(
      history.state,
      '',
      `${location.pathname ?? '/'}${rest ? `?${rest}` : ''}${location.hash ?? ''}`,
    );
  }
  const token = fromQuery ?? storage.getItem(TOKEN_KEY) ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WIRE_PATH}?token=${encodeURIComponent(token)}`;
}

interface Pending {
  resolve: (result: InvokeResult<InvokeChannel>) => void;
  reject: (error: ApiError) => void;
}

const OPEN = 1;

/** The Transport over the web host's one WebSocket: invokes answered by id, events pushed, reconnect with backoff. */
export function createWebTransport(options: WebTransportOptions): WebTransport {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const backoff = options.backoffMs ?? { initial: 500, max: 15_000 };
  const random = options.random ?? Math.random;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const pending = new Map<number, Pending>();
  let outbox: string[] = [];
  let socket: SocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const listener of connectionListeners) listener(next);
  };

  const dropAll = (message: string) => {
    const error = new ApiError('network', message);
    const all = [...pending.values()];
    pending.clear();
    outbox = [];
    for (const entry of all) entry.reject(error);
  };

  const onMessage = (data: unknown) => {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(data)) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'result') {
      const entry = pending.get(frame.id);
      pending.delete(frame.id);
      entry?.resolve(frame.result);
    } else if (frame.type === 'event') {
      for (const listener of listeners.get(frame.name) ?? []) listener(frame.payload);
    }
  };

  const connect = () => {
    timer = undefined;
    setState('connecting');
    const current = createSocket(options.url);
    socket = current;
    current.onopen = () => {
      failures = 0;
      setState('open');
      const queued = outbox;
      outbox = [];
      for (const frame of queued) current.send(frame);
    };
    current.onmessage = (event) => onMessage(event.data);
    current.onerror = () => {};
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      dropAll('Lost the connection to the downloader. Reconnecting…');
      setState('closed');
      if (stopped) return;
      const delay = Math.min(backoff.max, backoff.initial * 2 ** failures) * (0.5 + random() / 2);
      failures += 1;
      timer = setTimeout(connect, delay);
    };
  };

  connect();

  return {
    invoke(channel, input) {
      if (stopped || state === 'closed') {
        return Promise.reject(new ApiError('network', 'Not connected to the downloader. Reconnecting…'));
      }
      const id = nextId++;
      const frame = JSON.stringify({ type: 'invoke', id, channel, input });
      const result = new Promise<InvokeResult<InvokeChannel>>((resolve, reject) => {
        pending.set(id, { resolve, reject });
      });
      if (socket && socket.readyState === OPEN) socket.send(frame);
      else outbox.push(frame);
      return result.then((value) => unwrap(value as InvokeResult<typeof channel>));
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = (payload: unknown) => listener(payload as EventPayload<E>);
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
    close() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      const current = socket;
      socket = null;
      dropAll('The connection was closed.');
      setState('closed');
      current?.close(1000, 'bye');
    },
  };
}
