import { AppError, toErrorInfo } from '../../../src-shared/domain/errors.ts';
import type { Settings } from '../../../src-shared/domain/settings.ts';
import type { JobRecord } from '../store/job-record.ts';
import type { JobStore } from '../store/job-store.ts';
import { JobRun } from './job-run.ts';
import type { JobTable } from './job-table.ts';
import type { QueueEvents } from './queue-events.ts';
import type { RunDeps } from './run-deps.ts';
import type { AddItem, DownloadSourceLike } from './source.ts';

export type StopReason = 'pause' | 'cancel' | 'remove' | 'close';

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
        if (!this.active.has(record.job.id)) this.launch(record);
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

  /** Aborts a job's run, if any, and resolves once it has let go of its files. */
  stop(id: string, reason: StopReason): Promise<void> {
    const entry = this.active.get(id);
    if (!entry) return Promise.resolve();
    const what = reason === 'close' ? 'interrupted' : `${reason}d`;
    entry.controller.abort(new AppError('canceled', `Download ${what}.`));
    return entry.done;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.active.keys()].map((id) => this.stop(id, 'close')));
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
      this.active.delete(id);
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
      record.job.error = toErrorInfo(error);
      record.job.state = 'failed';
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
