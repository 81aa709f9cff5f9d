import { ApiError, type ConnectionState, type Transport } from '../../../src-renderer/api/transport.ts';
import type {
  EventName,
  EventPayload,
  InvokeChannel,
  InvokeInput,
  InvokeOutput,
} from '../../../src-shared/ipc/contract.ts';

export type Handler<C extends InvokeChannel> = (
  input: InvokeInput<C>,
) => InvokeOutput<C> | Promise<InvokeOutput<C>>;
export type Handlers = { [C in InvokeChannel]?: Handler<C> };

export interface Call {
  channel: InvokeChannel;
  input: unknown;
}

/** An in-memory Transport: handlers answer invokes, emit() pushes events, and every step is logged in order. */
export interface MemoryTransport extends Transport {
  /** 'on:<event>' and 'invoke:<channel>' in the order they happened. */
  readonly log: string[];
  readonly calls: Call[];
  handle<C extends InvokeChannel>(channel: C, handler: Handler<C>): void;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  inputsOf<C extends InvokeChannel>(channel: C): InvokeInput<C>[];
  listenerCount(event: EventName): number;
  setConnection(state: ConnectionState): void;
}

export function createMemoryTransport(initial: Handlers = {}): MemoryTransport {
  const handlers: Handlers = { ...initial };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let connection: ConnectionState = 'open';
  const log: string[] = [];
  const calls: Call[] = [];
  return {
    log,
    calls,
    async invoke<C extends InvokeChannel>(channel: C, input: InvokeInput<C>): Promise<InvokeOutput<C>> {
      log.push(`invoke:${channel}`);
      // A copy, as a real transport serialises: later changes to the object do not rewrite history.
      calls.push({ channel, input: structuredClone(input) });
      const handler = handlers[channel] as Handler<C> | undefined;
      if (!handler) throw new ApiError('not-implemented', `No handler for ${channel} in this test`);
      return handler(input);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      log.push(`on:${event}`);
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = (payload: unknown) => listener(payload as EventPayload<E>);
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(connection);
      return () => {
        connectionListeners.delete(listener);
      };
    },
    handle(channel, handler) {
      (handlers as Record<string, unknown>)[channel] = handler;
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    inputsOf<C extends InvokeChannel>(channel: C) {
      return calls.filter((c) => c.channel === channel).map((c) => c.input as InvokeInput<C>);
    },
    listenerCount(event) {
      return listeners.get(event)?.size ?? 0;
    },
    setConnection(state) {
      connection = state;
      for (const listener of connectionListeners) listener(state);
    },
  };
}

/** A promise with its resolve handle, for answering an invoke when the test says so. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
