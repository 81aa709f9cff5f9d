import { AppError, toErrorInfo } from '../../../../src-shared/domain/errors.ts';
import type { Settings } from '../../../../src-shared/domain/settings.ts';
import type { JobRecord } from '../../store/job-record.ts';
import type { JobStore } from '../../store/job-store.ts';
import { JobRun } from '../job/job-run.ts';
import { failJob } from '../job/job-status.ts';
import type { RunDeps } from '../job/run-deps.ts';
import type { AddItem, DownloadSourceLike } from '../job/source.ts';
import type { JobTable } from './job-table.ts';
import type { QueueEvents } from './queue-events.ts';

export type StopReason = 'pause' | 'cancel' | 'remove' | 'close';

/**
 * How long a stop waits for a run to let go of its files before the caller goes on without it: an aborted
 * run ends at its next await, but a file-system call the OS never completes (a hung network mount) must not
 * hold a Remove, a close or the process's exit for good.
 */
export const LET_GO_MS = 3000;

interface ActiveRun {
  controller: AbortController;
  done: Promise<void>;
  /** Bytes this run still needs on disk. */
  reserved: number;
}

/**
 * Starts queued jobs in order, `settings.concurrency` at a time, and stops them on request. A stopped run keeps
 * its bytes; the caller sets the job's new state.
 */
export class Scheduler {
  private readonly table: JobTable;
  private readonly deps: RunDeps;
  private readonly store: JobStore;
  private readonly events: QueueEvents;
  private readonly sourceFor: (profile?: string) => Promise<DownloadSourceLike>;
  private readonly settings: () => Settings;
  /** Persists and announces a job's change (the engine's one way to do it). */
  private readonly changed: (record: JobRecord) => void;
  private readonly addItems: (items: AddItem[], options: { destDir: string; profile?: string }) => number;
  private readonly active = new Map<string, ActiveRun>();
  /** Stopped runs still letting go of their files: they hold no slot, but their job cannot start again yet. */
  private readonly stopping = new Map<string, Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  private started = false;
  private closed = false;

  constructor(options: {
    table: JobTable;
    deps: RunDeps;
    store: JobStore;
    events: QueueEvents;
    sourceFor: (profile?: string) => Promise<DownloadSourceLike>;
    settings: () => Settings;
    changed: (record: JobRecord) => void;
    /** The engine's add, for a bundle's files; answers how many were newly queued. */
    addItems: (items: AddItem[], options: { destDir: string; profile?: string }) => number;
  }) {
    this.addItems = options.addItems;
    this.table = options.table;
    this.deps = options.deps;
    this.store = options.store;
    this.events = options.events;
    this.sourceFor = options.sourceFor;
    this.settings = options.settings;
    this.changed = options.changed;
  }

  start(): void {
    this.started = true;
    this.pump();
  }

  /** Fills free slots with queued jobs; wakes idle waiters when nothing is left to run. */
  pump(): void {
    if (!this.started || this.closed) return;
    const limit = Math.max(1, this.settings().concurrency);
    if (this.active.size < limit) {
      for (const record of this.table.queued()) {
        if (this.active.size >= limit) break;
        const id = record.job.id;
        if (!this.active.has(id) && !this.stopping.has(id)) this.launch(record);
      }
    }
    if (this.isIdle()) {
      this.events.drained();
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Aborts a job's run, if any, and frees its slot at once (a paused or removed job never holds one); resolves
   * once the run has let go of its files, or after LET_GO_MS at most.
   */
  stop(id: string, reason: StopReason): Promise<void> {
    const entry = this.active.get(id);
    const letGo = entry ? entry.done : this.stopping.get(id);
    if (!letGo) return Promise.resolve();
    if (entry) {
      const what = reason === 'close' ? 'interrupted' : `${reason}d`;
      entry.controller.abort(new AppError('canceled', `Download ${what}.`));
      this.active.delete(id);
      this.stopping.set(id, letGo);
      if (reason !== 'close') queueMicrotask(() => this.pump());
    }
    return within(letGo, LET_GO_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.active.keys(), ...this.stopping.keys()].map((id) => this.stop(id, 'close')));
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private isIdle(): boolean {
    if (this.closed) return true;
    if (this.active.size > 0) return false;
    if (!this.started) return !this.table.all().some((r) => r.job.state === 'queued');
    return this.table.queued().next().done === true;
  }

  private launch(record: JobRecord): void {
    const id = record.job.id;
    const entry: ActiveRun = { controller: new AbortController(), done: Promise.resolve(), reserved: 0 };
    this.active.set(id, entry);
    record.job.state = 'resolving';
    this.changed(record);
    entry.done = this.run(record, entry).finally(() => {
      if (this.active.get(id) === entry) this.active.delete(id);
      if (this.stopping.get(id) === entry.done) this.stopping.delete(id);
      this.events.ended(record);
      this.pump();
    });
  }

  private async run(record: JobRecord, entry: ActiveRun): Promise<void> {
    const id = record.job.id;
    let source: DownloadSourceLike;
    try {
      source = await this.sourceFor(record.job.profile);
    } catch (error) {
      if (entry.controller.signal.aborted) return;
      failJob(record.job, toErrorInfo(error), this.deps.clock.now());
      this.changed(record);
      return;
    }
    const run = new JobRun(record, source, entry.controller.signal, this.deps, {
      changed: () => this.changed(record),
      progressed: () => {
        this.store.put(record);
        this.events.progressed(id);
      },
      tryClaimPath: (path) => this.table.claimPath(path, id),
      reserveSpace: (bytes) => {
        entry.reserved = bytes;
      },
      queueMembers: (members, destDir) =>
        this.addItems(
          members.map((member) => ({ input: member.input, id: member.id })),
          { destDir, ...(record.job.profile === undefined ? {} : { profile: record.job.profile }) },
        ),
      reservedByOthers: () => {
        let sum = 0;
        for (const [other, active] of this.active) if (other !== id) sum += active.reserved;
        return sum;
      },
    });
    await run.execute();
  }
}

/** Resolves when `promise` settles or after `ms`, whichever comes first (never rejects). */
function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([promise.catch(() => {}), timeout]).finally(() => clearTimeout(timer));
}
