import { resolve } from 'node:path';
import type { Job, JobState, QueueTotals } from '../../../../src-shared/domain/job.ts';
import type { Settings } from '../../../../src-shared/domain/settings.ts';
import type { EventHub } from '../../events.ts';
import { type ConnectionPool, createConnectionPool } from '../../http/connection-pool.ts';
import type { JobRecord } from '../../store/job-record.ts';
import type { JobStore } from '../../store/job-store.ts';
import { type DiskSpace, nodeDiskSpace } from '../disk/disk.ts';
import { type FileSystem, nodeFileSystem } from '../disk/file-system.ts';
import type { RecoveryOptions } from '../job/retry-policy.ts';
import type { RunDeps } from '../job/run-deps.ts';
import { type AddItem, type DownloadSourceLike, itemKey, newJobRecord } from '../job/source.ts';
import { RateLimiter } from '../transfer/rate-limit.ts';
import { type Clock, systemClock } from './clock.ts';
import { JobTable } from './job-table.ts';
import { isActiveState } from './progress.ts';
import { publicJob } from './public-job.ts';
import { QueueEvents } from './queue-events.ts';
import { reconcileWithDisk } from './reconcile.ts';
import { Scheduler } from './scheduler.ts';
import { Semaphore } from './semaphore.ts';

export interface EngineOptions {
  store: JobStore;
  /** The download source for a job's profile (credentials and server). */
  sourceFor: (profile?: string) => Promise<DownloadSourceLike>;
  settings: () => Settings;
  events: EventHub;
  clock?: Clock;
  fs?: FileSystem;
  disk?: DiskSpace;
  http?: ConnectionPool;
  /** Overrides settings.stallTimeoutSec (tests use about a second). */
  stallTimeoutMs?: number;
  retry?: Partial<RecoveryOptions>;
  progressIntervalMs?: number;
  maxOpenFiles?: number;
}

/**
 * The download queue: jobs in order, `settings.concurrency` of them running at once, every change persisted
 * through the job store and announced through the event hub. Commands take many ids at once.
 */
export class DownloadEngine {
  private readonly options: EngineOptions;
  private readonly table = new JobTable();
  private readonly scheduler: Scheduler;
  private readonly deps: RunDeps;
  private readonly events: QueueEvents;
  private readonly ownsHttp: boolean;
  private started = false;
  private loaded: JobRecord[] | undefined;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(options: EngineOptions) {
    this.options = options;
    const clock = options.clock ?? systemClock;
    this.ownsHttp = options.http === undefined;
    this.deps = {
      http: options.http ?? createConnectionPool(),
      limiter: new RateLimiter({ rate: () => options.settings().bandwidthLimit, clock }),
      clock,
      fs: options.fs ?? nodeFileSystem,
      disk: options.disk ?? nodeDiskSpace,
      store: options.store,
      handles: new Semaphore(options.maxOpenFiles ?? 256),
      stallTimeoutMs: () => options.stallTimeoutMs ?? options.settings().stallTimeoutSec * 1000,
      retry: options.retry ?? {},
      settings: options.settings,
    };
    this.events = new QueueEvents({
      hub: options.events,
      table: this.table,
      clock,
      intervalMs: options.progressIntervalMs ?? 250,
    });
    this.scheduler = new Scheduler({
      table: this.table,
      deps: this.deps,
      store: options.store,
      events: this.events,
      sourceFor: options.sourceFor,
      settings: options.settings,
      changed: (record) => this.changed(record),
      addItems: (items, options) => this.add(items, options).jobIds.length,
    });
    this.unsubscribe = options.events.on('settings:changed', () => this.scheduler.pump());
  }

  /** Loads the persisted queue; jobs that were running when the app stopped are queued to resume. */
  async start(): Promise<void> {
    if (this.started) return;
    await reconcileWithDisk(this.load(), this.deps.fs);
    this.started = true;
    this.scheduler.start();
  }

  /** The journal's jobs into the table, once (the first of start and add). */
  private load(): JobRecord[] {
    if (this.loaded) return this.loaded;
    const records = this.options.store.list();
    for (const record of records) {
      if (isActiveState(record.job.state)) record.job.state = 'queued';
      this.table.insert(record, true);
    }
    this.loaded = records;
    return records;
  }

  add(
    items: readonly AddItem[],
    options: { profile?: string; destDir: string },
  ): { jobIds: string[]; alreadyQueued: number; alreadyQueuedIds: string[] } {
    // Before start too (the CLI subscribes first): the journal's jobs are in the table, so a file the journal
    // holds is found, not added twice (start would then load the journal's copy beside the new one).
    this.load();
    const destDir = resolve(options.destDir);
    const jobIds: string[] = [];
    const alreadyQueuedIds: string[] = [];
    const now = this.now();
    for (const item of items) {
      const key = itemKey(item);
      const existing = this.table.findByKey(destDir, key);
      if (existing) {
        if (existing.job.state === 'failed' || existing.job.state === 'canceled') {
          this.requeue(existing);
          jobIds.push(existing.job.id);
        } else {
          alreadyQueuedIds.push(existing.job.id);
        }
        continue;
      }
      const record = newJobRecord(item, { key, destDir, profile: options.profile, now });
      this.table.insert(record);
      this.changed(record);
      jobIds.push(record.job.id);
    }
    this.table.requeued();
    this.scheduler.pump();
    return { jobIds, alreadyQueued: alreadyQueuedIds.length, alreadyQueuedIds };
  }

  pause(ids: readonly string[]): number {
    return this.apply(ids, (record) => {
      const state = record.job.state;
      if (state !== 'queued' && !isActiveState(state)) return false;
      this.scheduler.stop(record.job.id, 'pause');
      this.setState(record, 'paused');
      return true;
    });
  }

  resume(ids: readonly string[]): number {
    const count = this.apply(ids, (record) => {
      if (record.job.state !== 'paused') return false;
      this.requeue(record);
      return true;
    });
    this.scheduler.pump();
    return count;
  }

  retry(ids: readonly string[]): number {
    const count = this.apply(ids, (record) => {
      if (record.job.state !== 'failed' && record.job.state !== 'canceled') return false;
      this.requeue(record);
      return true;
    });
    this.scheduler.pump();
    return count;
  }

  async cancel(ids: readonly string[]): Promise<number> {
    const settled: Array<Promise<void>> = [];
    const count = this.apply(ids, (record) => {
      if (record.job.state === 'done' || record.job.state === 'canceled') return false;
      const stopped = this.scheduler.stop(record.job.id, 'cancel');
      this.setState(record, 'canceled');
      settled.push(
        stopped.then(async () => {
          // Retried (or removed) while the run was letting go: its bytes are no longer ours to delete.
          if (record.job.state !== 'canceled' || this.table.get(record.job.id) !== record) return;
          await this.removePart(record);
          record.job.bytesDone = 0;
          if (record.transfer) record.transfer.segments = undefined;
          this.changed(record);
        }),
      );
      return true;
    });
    await Promise.all(settled);
    return count;
  }

  /** Removes jobs; an unfinished one's partial file goes too unless `keepPartial` (adding it again resumes it). */
  async remove(
    ids: readonly string[],
    options: { deleteFiles?: boolean; keepPartial?: boolean } = {},
  ): Promise<number> {
    const records = ids.map((id) => this.table.get(id)).filter((r): r is JobRecord => r !== undefined);
    await Promise.all(records.map((record) => this.scheduler.stop(record.job.id, 'remove')));
    for (const record of records) {
      if (record.job.state !== 'done' && !options.keepPartial) await this.removePart(record);
      if (options.deleteFiles && record.job.path && record.job.state === 'done') {
        await this.deps.fs.remove(record.job.path);
        this.options.store.removeVerified(record.job.path);
      }
      this.options.store.remove(record.job.id);
      this.events.removed(record.job.id);
    }
    this.table.remove(new Set(records.map((r) => r.job.id)));
    this.scheduler.pump();
    return records.length;
  }

  pauseAll(): number {
    return this.pause(this.idsWhere((s) => s === 'queued' || isActiveState(s)));
  }

  resumeAll(): number {
    return this.resume(this.idsWhere((s) => s === 'paused'));
  }

  retryFailed(): number {
    return this.retry(this.idsWhere((s) => s === 'failed'));
  }

  reorder(ids: readonly string[], before: string | null): boolean {
    const changed = this.table.reorder(ids, before);
    if (!changed) return false;
    // Every renumbered job is announced: the UI orders rows by the position each job carries.
    for (const record of changed) {
      this.options.store.put(record);
      this.events.changed(record);
    }
    this.scheduler.pump();
    return true;
  }

  /** Puts jobs at the front of the queue, in the given order: a queued one starts when a slot is free. */
  moveToTop(ids: readonly string[]): number {
    const moved = this.table.moveToFront(ids);
    for (const record of moved) {
      this.options.store.put(record);
      this.events.changed(record);
    }
    this.scheduler.pump();
    return moved.length;
  }

  snapshot(): { jobs: Job[]; totals: QueueTotals } {
    return { jobs: this.table.all().map(publicJob), totals: this.events.totals() };
  }

  job(id: string): Job | undefined {
    const record = this.table.get(id);
    return record ? publicJob(record) : undefined;
  }

  /**
   * A finished job's file as it is now: 'verified' while it has the size and modification time it had when
   * this app checked its checksum, 'present' when it is there but changed or never checked, else 'absent'.
   */
  async finishedFile(id: string): Promise<'verified' | 'present' | 'absent'> {
    const job = this.table.get(id)?.job;
    if (job?.state !== 'done' || job.path === undefined) return 'absent';
    const info = await this.deps.fs.stat(job.path);
    if (!info?.isFile || info.isLink) return 'absent';
    const checked = this.options.store.getVerified(job.path);
    return checked?.size === info.size && checked.mtimeMs === info.mtimeMs ? 'verified' : 'present';
  }

  /** Resolves once nothing is queued or running (paused, failed and finished jobs may remain). */
  whenIdle(): Promise<void> {
    return this.scheduler.whenIdle();
  }

  /** Stops every transfer (bytes stay on disk; those jobs resume on the next start) and flushes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    await this.scheduler.close();
    this.events.close();
    await this.options.store.flush();
    if (this.ownsHttp) this.deps.http.close();
  }

  private requeue(record: JobRecord): void {
    const job = record.job;
    job.error = undefined;
    if (job.state === 'failed' || job.state === 'canceled') {
      // A fresh try starts with a clean slate: the last run's recovery note would otherwise outlive it.
      job.note = undefined;
      job.verification = 'pending';
      record.transfer = { ...record.transfer, mismatches: 0, noRanges: false };
    }
    this.setState(record, 'queued');
    this.table.requeued();
  }

  private async removePart(record: JobRecord): Promise<void> {
    if (record.job.path) await this.deps.fs.remove(`${record.job.path}.part`);
  }

  private setState(record: JobRecord, state: JobState): void {
    record.job.state = state;
    this.changed(record);
  }

  private changed(record: JobRecord): void {
    record.job.updatedAt = this.now();
    // Resting states (queued, paused, done, failed, ...) are fsynced at once, in a group commit. The running
    // ones (resolving, downloading, verifying) ride on the next timed write: a restart turns them back into
    // queued anyway; a segment map that must be on disk first is flushed by the run itself, and a name fixed
    // but lost is chosen again from the same URL and finds its .part.
    this.options.store.put(record, { urgent: !isActiveState(record.job.state) });
    this.events.changed(record);
  }

  private apply(ids: readonly string[], action: (record: JobRecord) => boolean): number {
    let count = 0;
    for (const id of new Set(ids)) {
      const record = this.table.get(id);
      if (record && action(record)) count++;
    }
    return count;
  }

  private idsWhere(test: (state: JobState) => boolean): string[] {
    return this.table
      .all()
      .filter((r) => test(r.job.state))
      .map((r) => r.job.id);
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}
