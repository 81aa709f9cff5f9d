import {
  emptyTotals,
  type Job,
  type JobProgress,
  type QueueTotals,
} from '../../../../src-shared/domain/job.ts';

const ACTIVE = new Set(['resolving', 'downloading', 'verifying']);

export function isActiveState(state: Job['state']): boolean {
  return ACTIVE.has(state);
}

/**
 * Per-job speed, smoothed (an exponential moving average of samples taken at each progress tick), and ETA.
 * A job whose bytes went back (a restart) reads as 0 B/s for that tick, not negative.
 */
export class ProgressTracker {
  private readonly meters = new Map<string, { bytes: number; at: number; speed: number }>();

  /** Starts measuring when a job becomes active, so the first sample already has a speed. */
  begin(job: Job, now: number): void {
    if (!this.meters.has(job.id)) this.meters.set(job.id, { bytes: job.bytesDone, at: now, speed: 0 });
  }

  sample(job: Job, now: number): JobProgress {
    const meter = this.meters.get(job.id);
    let speed = 0;
    if (!meter) {
      this.meters.set(job.id, { bytes: job.bytesDone, at: now, speed: 0 });
    } else {
      const elapsed = now - meter.at;
      if (elapsed > 0) {
        const instant = Math.max(0, ((job.bytesDone - meter.bytes) * 1000) / elapsed);
        meter.speed = meter.speed === 0 ? instant : meter.speed * 0.7 + instant * 0.3;
        meter.bytes = job.bytesDone;
        meter.at = now;
      }
      speed = meter.speed;
    }
    if (!isActiveState(job.state)) {
      this.meters.delete(job.id);
      speed = 0;
    }
    const progress: JobProgress = { id: job.id, state: job.state, bytesDone: job.bytesDone, speed };
    if (job.size !== undefined) progress.size = job.size;
    if (speed > 0 && job.size !== undefined) progress.eta = Math.max(0, (job.size - job.bytesDone) / speed);
    return progress;
  }

  speedOf(id: string): number {
    return this.meters.get(id)?.speed ?? 0;
  }

  forget(id: string): void {
    this.meters.delete(id);
  }
}

export function computeTotals(jobs: Iterable<Job>, speedOf: (id: string) => number): QueueTotals {
  const totals = emptyTotals();
  let remaining = 0;
  for (const job of jobs) {
    totals.jobs++;
    if (job.state === 'canceled') continue;
    if (isActiveState(job.state)) {
      totals.active++;
      totals.speed += speedOf(job.id);
    } else if (
      job.state === 'queued' ||
      job.state === 'done' ||
      job.state === 'failed' ||
      job.state === 'paused'
    ) {
      totals[job.state]++;
    }
    totals.bytesDone += job.bytesDone;
    if (job.size !== undefined) {
      totals.bytesTotal += job.size;
      if (job.state !== 'done' && job.state !== 'failed') remaining += Math.max(0, job.size - job.bytesDone);
    }
  }
  if (totals.speed > 0 && remaining > 0) totals.eta = remaining / totals.speed;
  return totals;
}
