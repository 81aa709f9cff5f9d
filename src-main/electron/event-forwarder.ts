import { type EventPayload, eventNames } from '../../src-shared/ipc/contract.ts';
import type { EventHub } from '../core/events.ts';
import type { EventMessage } from './channels.ts';

type Progress = EventPayload<'queue:progress'>;

export interface ForwarderOptions {
  events: EventHub;
  /** Delivers one batch to the window (skips it when the window is gone). */
  send(batch: EventMessage[]): void;
  /** How long events gather before a batch leaves; progress already comes about 4 times a second. */
  flushMs?: number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface EventForwarder {
  flush(): void;
  dispose(): void;
}

/**
 * Forwards every core event to the window in batches, in order. Back-to-back progress events merge into
 * one (per job the newest wins); progress is never merged across another event, so state never goes back.
 */
export function createEventForwarder(options: ForwarderOptions): EventForwarder {
  const flushMs = options.flushMs ?? 50;
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer =
    options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let pending: EventMessage[] = [];
  let timer: unknown;

  const flush = () => {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    options.send(batch);
  };

  const push = (message: EventMessage) => {
    const last = pending.at(-1);
    if (message.name === 'queue:progress' && last?.name === 'queue:progress') {
      last.payload = mergeProgress(last.payload as Progress, message.payload as Progress);
    } else {
      pending.push(message);
    }
    timer ??= setTimer(flush, flushMs);
  };

  const unsubscribes = eventNames.map((name) =>
    options.events.on(name, (payload) => push({ name, payload })),
  );
  return {
    flush,
    dispose() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      if (timer !== undefined) clearTimer(timer);
      timer = undefined;
      pending = [];
    },
  };
}

export function mergeProgress(older: Progress, newer: Progress): Progress {
  const jobs = new Map(older.jobs.map((job) => [job.id, job]));
  for (const job of newer.jobs) jobs.set(job.id, job);
  return { jobs: [...jobs.values()], totals: newer.totals };
}
