import type { IpcRenderer } from 'electron';
import { EVENT_BATCH_CHANNEL, EVENT_NAMES, HELD_EVENTS, INVOKE_CHANNELS } from './channels.ts';

type Listener = (payload: unknown) => void;

/** What the page sees as window.api. Results are values ({ ok, value } | { ok, error }), never thrown. */
export interface PreloadApi {
  invoke(channel: string, input?: unknown): Promise<unknown>;
  on(event: string, listener: Listener): () => void;
  /** The path of a dropped file (keypairs.json, an accession list), for channels that take a path. */
  pathForFile(file: File): string;
}

export interface PreloadDeps {
  ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on'>;
  getPathForFile(file: File): string;
}

/**
 * Builds window.api over ipcRenderer without handing the page ipcRenderer itself: invoke takes contract
 * channels only, on() takes contract events only and passes the payload alone (never the IPC event).
 */
export function createPreloadApi(deps: PreloadDeps): PreloadApi {
  const invokable = new Set<string>(INVOKE_CHANNELS);
  const known = new Set<string>(EVENT_NAMES);
  const holdable = new Set<string>(HELD_EVENTS);
  const listeners = new Map<string, Set<Listener>>();
  const held = new Map<string, unknown[]>();

  const deliver = (name: string, payload: unknown) => {
    const set = listeners.get(name);
    if (set && set.size > 0) {
      for (const listener of [...set]) listener(payload);
    } else if (holdable.has(name)) {
      held.set(name, [...(held.get(name) ?? []), payload]);
    }
  };

  deps.ipcRenderer.on(EVENT_BATCH_CHANNEL, (_event, batch: unknown) => {
    if (!Array.isArray(batch)) return;
    for (const message of batch) {
      const name = (message as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && known.has(name))
        deliver(name, (message as { payload: unknown }).payload);
    }
  });

  return {
    invoke(channel, input) {
      if (typeof channel !== 'string' || !invokable.has(channel)) {
        return Promise.reject(new Error(`Unknown channel: ${String(channel).slice(0, 100)}`));
      }
      return deps.ipcRenderer.invoke(channel, input);
    },
    on(event, listener) {
      if (typeof event !== 'string' || !known.has(event)) {
        throw new Error(`Unknown event: ${String(event).slice(0, 100)}`);
      }
      if (typeof listener !== 'function') throw new Error('on() needs a listener function');
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      const waiting = held.get(event);
      if (waiting) {
        held.delete(event);
        for (const payload of waiting) listener(payload);
      }
      return () => {
        set.delete(listener);
      };
    },
    pathForFile(file) {
      return deps.getPathForFile(file);
    },
  };
}
