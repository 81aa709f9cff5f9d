import type { EventName, EventPayload } from '../../src-shared/ipc/contract.ts';

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/** The core's outgoing events. Adapters subscribe and forward them to a window, a socket or a terminal. */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  on<E extends EventName>(name: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const untyped = listener as (payload: unknown) => void;
    set.add(untyped);
    return () => set.delete(untyped);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners.get(name) ?? []) listener(payload);
  }
}
