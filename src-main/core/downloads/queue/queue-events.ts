import type { JobProgress } from '../../../../src-shared/domain/job.ts';
import type { EventHub } from '../../events.ts';
import type { JobRecord } from '../../store/job-record.ts';
import type { Clock } from './clock.ts';
import type { JobTable } from './job-table.ts';
import { computeTotals, isActiveState, ProgressTracker } from './progress.ts';
import { publicJob } from './public-job.ts';

/**
 * The queue's outgoing events, batched: 'queue:changed' gathers every job touched in one turn of the event
 * loop; 'queue:progress' goes out about four times a second while anything moves; 'queue:batch-done' when the
 * queue drains after some job finished.
 */
export class QueueEvents {
  private readonly hub: EventHub;
  private readonly table: JobTable;
  private readonly clock: Clock;
  private readonly tracker = new ProgressTracker();
  private readonly changedIds = new Set<string>();
  private readonly removedIds = new Set<string>();
  private readonly moving = new Set<string>();
  private changedTimer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private batch = { done: 0, failed: 0 };

  constructor(options: { hub: EventHub; table: JobTable; clock: Clock; intervalMs: number }) {
    this.hub = options.hub;
    this.table = options.table;
    this.clock = options.clock;
    this.ticker = setInterval(() => this.tick(), options.intervalMs);
    this.ticker.unref?.();
  }

  changed(record: JobRecord): void {
    this.changedIds.add(record.job.id);
    if (isActiveState(record.job.state)) {
      this.moving.add(record.job.id);
      this.tracker.begin(record.job, this.clock.now());
    }
    this.schedule();
  }

  removed(id: string): void {
    this.changedIds.delete(id);
    this.moving.delete(id);
    this.tracker.forget(id);
    this.removedIds.add(id);
    this.schedule();
  }

  progressed(id: string): void {
    this.moving.add(id);
  }

  ended(record: JobRecord): void {
    if (record.job.state === 'done') this.batch.done++;
    if (record.job.state === 'failed') this.batch.failed++;
  }

  /** The queue has nothing left to run: report the batch once. */
  drained(): void {
    if (this.batch.done + this.batch.failed === 0) return;
    this.flushChanged();
    this.tick();
    const batch = this.batch;
    this.batch = { done: 0, failed: 0 };
    this.hub.emit('queue:batch-done', batch);
  }

  totals() {
    return computeTotals(
      this.table.all().map((r) => r.job),
      (id) => this.tracker.speedOf(id),
    );
  }

  close(): void {
    clearInterval(this.ticker);
    this.flushChanged();
    this.tick();
  }

  private schedule(): void {
    if (this.changedTimer) return;
    this.changedTimer = setTimeout(() => this.flushChanged(), 0);
  }

  private flushChanged(): void {
    clearTimeout(this.changedTimer);
    this.changedTimer = undefined;
    if (this.changedIds.size === 0 && this.removedIds.size === 0) return;
    const jobs = [...this.changedIds]
      .map((id) => this.table.get(id))
      .filter((record) => record !== undefined)
      .map(publicJob);
    const removed = [...this.removedIds];
    this.changedIds.clear();
    this.removedIds.clear();
    this.hub.emit('queue:changed', { jobs, removed });
  }

  private tick(): void {
    if (this.moving.size === 0) return;
    const now = this.clock.now();
    const jobs: JobProgress[] = [];
    for (const id of this.moving) {
      const job = this.table.get(id)?.job;
      if (!job) continue;
      jobs.push(this.tracker.sample(job, now));
      if (!isActiveState(job.state)) this.moving.delete(id);
    }
    if (jobs.length > 0) this.hub.emit('queue:progress', { jobs, totals: this.totals() });
  }
}
