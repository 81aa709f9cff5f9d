import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Job, JobProgress, QueueTotals } from '../../src-shared/domain/job.ts';
import type { EventPayload } from '../../src-shared/ipc/contract.ts';
import { errorMessage, type Transport } from '../api/transport.ts';
import type { QueueSort } from '../views/queue/queue-order.ts';
import {
  applyChanges,
  applyProgress,
  emptyModel,
  modelFromSnapshot,
  type QueueFilter,
  type QueueModel,
} from './queue-model.ts';
import { EMPTY_SELECTION, pruneSelection, type Selection } from './selection.ts';

export interface QueueState extends QueueModel {
  /** True once the first snapshot is in. */
  loaded: boolean;
  error: string | null;
  filter: QueueFilter;
  /** The name box: rows whose file name or source contain it. */
  text: string;
  /** A clicked column, or null for running files first, then queue order. */
  sort: QueueSort;
  selection: Selection;
  setFilter(filter: QueueFilter): void;
  setText(text: string): void;
  setSort(sort: QueueSort): void;
  setSelection(selection: Selection): void;
  /** Subscribes to queue events, then takes the first snapshot. Returns the unsubscribe. */
  start(): () => void;
  /** Takes a fresh snapshot (after a reconnect), keeping events that arrive meanwhile. */
  sync(): Promise<void>;
  pause(ids: readonly string[]): Promise<number>;
  resume(ids: readonly string[]): Promise<number>;
  retry(ids: readonly string[]): Promise<number>;
  /** keepPartial: unfinished jobs leave their partial file (adding the file again resumes it). */
  remove(ids: readonly string[], options?: { keepPartial?: boolean }): Promise<number>;
  retryFailed(): Promise<number>;
  /** Puts ids at the front of the queue (in the given order): a queued one starts next. */
  moveToTop(ids: readonly string[]): Promise<number>;
  pauseAll(): Promise<number>;
  resumeAll(): Promise<number>;
}
export type QueueStore = StoreApi<QueueState>;

export interface QueueStoreOptions {
  /** Runs a flush of coalesced events later; tests pass one that runs at once or on demand. */
  schedule?: (flush: () => void) => void;
}

type Changed = EventPayload<'queue:changed'>;

/**
 * The queue slice. Events are coalesced (latest job and progress per id) and applied in one update per flush,
 * so a burst of events costs one render. Events that arrive while a snapshot is in flight are held and
 * replayed over it: a held job wins only when it is not older than the snapshot's copy.
 */
export function createQueueStore(transport: Transport, options: QueueStoreOptions = {}): QueueStore {
  const schedule = options.schedule ?? ((flush) => setTimeout(flush, 50));
  let syncing = false;
  let generation = 0;
  let held: Changed[] = [];
  let upserts = new Map<string, Job>();
  let removed = new Set<string>();
  let progress = new Map<string, JobProgress>();
  let totals: QueueTotals | undefined;
  let scheduled = false;

  const store = createStore<QueueState>()((set, get) => {
    const flush = () => {
      scheduled = false;
      if (syncing) return;
      const hasChanges = upserts.size > 0 || removed.size > 0;
      if (!hasChanges && progress.size === 0 && !totals) return;
      let model: QueueModel = get();
      if (hasChanges) model = applyChanges(model, upserts.values(), removed);
      if (progress.size > 0 || totals) model = applyProgress(model, progress.values(), totals);
      upserts = new Map();
      removed = new Set();
      progress = new Map();
      totals = undefined;
      commit(model);
    };

    const later = () => {
      if (scheduled) return;
      scheduled = true;
      schedule(flush);
    };

    const commit = (model: QueueModel, extra: Partial<QueueState> = {}) => {
      const { ids, jobs, live, stats, shapeVersion, speed, eta } = model;
      const selection = pruneSelection(get().selection, (id) => jobs.has(id));
      set({ ids, jobs, live, stats, shapeVersion, speed, eta, selection, ...extra });
    };

    const onChanged = (payload: Changed) => {
      if (syncing) {
        held.push(payload);
        return;
      }
      for (const id of payload.removed) {
        upserts.delete(id);
        progress.delete(id);
        removed.add(id);
      }
      for (const job of payload.jobs) {
        removed.delete(job.id);
        // A state change is newer than any progress counted before it.
        progress.delete(job.id);
        upserts.set(job.id, job);
      }
      later();
    };

    const onProgress = (payload: EventPayload<'queue:progress'>) => {
      // Progress held during a snapshot is older than it; the next tick brings fresh numbers.
      if (syncing) return;
      for (const p of payload.jobs) progress.set(p.id, p);
      totals = payload.totals;
      later();
    };

    const sync = async () => {
      const mine = ++generation;
      syncing = true;
      held = [];
      upserts = new Map();
      removed = new Set();
      progress = new Map();
      totals = undefined;
      try {
        const snapshot = await transport.invoke('queue:snapshot', {});
        if (mine !== generation) return;
        let model = modelFromSnapshot(snapshot.jobs, snapshot.totals);
        for (const payload of held) {
          const newer = payload.jobs.filter((job) => {
            const current = model.jobs.get(job.id);
            return !current || current.updatedAt <= job.updatedAt;
          });
          model = applyChanges(model, newer, payload.removed);
        }
        commit(model, { loaded: true, error: null });
      } catch (error) {
        if (mine !== generation) return;
        let model: QueueModel = get();
        for (const payload of held) model = applyChanges(model, payload.jobs, payload.removed);
        commit(model, { error: `Could not load the queue: ${errorMessage(error)}` });
      } finally {
        if (mine === generation) {
          syncing = false;
          held = [];
        }
      }
    };

    const count = async (promise: Promise<{ affected: number }>) => (await promise).affected;

    return {
      ...emptyModel(),
      loaded: false,
      error: null,
      filter: 'all',
      text: '',
      sort: null,
      selection: EMPTY_SELECTION,
      setFilter: (filter) => set({ filter }),
      setText: (text) => set({ text }),
      setSort: (sort) => set({ sort }),
      setSelection: (selection) => set({ selection }),
      start() {
        const offs = [transport.on('queue:changed', onChanged), transport.on('queue:progress', onProgress)];
        void sync();
        return () => {
          for (const off of offs) off();
        };
      },
      sync,
      pause: (ids) => count(transport.invoke('queue:pause', { ids: [...ids] })),
      resume: (ids) => count(transport.invoke('queue:resume', { ids: [...ids] })),
      retry: (ids) => count(transport.invoke('queue:retry', { ids: [...ids] })),
      remove: (ids, options) =>
        count(
          transport.invoke('queue:remove', {
            ids: [...ids],
            ...(options?.keepPartial ? { keepPartial: true } : {}),
          }),
        ),
      retryFailed: () => count(transport.invoke('queue:retry-failed', {})),
      moveToTop: (ids) => count(transport.invoke('queue:move-to-top', { ids: [...ids] })),
      pauseAll: () => count(transport.invoke('queue:pause-all', {})),
      resumeAll: () => count(transport.invoke('queue:resume-all', {})),
    };
  });
  return store;
}
