import type { Job } from '../../src-shared/domain/job.ts';
import { plural } from '../../src-shared/format.ts';

export interface NotificationSpec {
  kind: 'batch-done' | 'job-failed' | 'tray-hint';
  title: string;
  body: string;
}

/** Whether to show a desktop notification at all: the setting on, and the user not looking at the window. */
export function shouldNotify(settings: { notifications: boolean }, windowFocused: boolean): boolean {
  return settings.notifications && !windowFocused;
}

/** "Everything queued has finished": one notice with the outcome. */
export function batchDoneNotification(result: { done: number; failed: number }): NotificationSpec | null {
  if (result.done === 0 && result.failed === 0) return null;
  if (result.failed === 0) {
    return {
      kind: 'batch-done',
      title: 'Downloads complete',
      body: `${plural(result.done, 'file')} downloaded.`,
    };
  }
  return {
    kind: 'batch-done',
    title: 'Downloads finished with failures',
    body: `${result.done} downloaded, ${result.failed} failed. Open the Queue to see why and retry.`,
  };
}

/** Failures among changed jobs: one notice naming the file, or one counting them when several fail together. */
export function failureNotification(newlyFailed: Job[]): NotificationSpec | null {
  const [first] = newlyFailed;
  if (!first) return null;
  if (newlyFailed.length === 1) {
    return {
      kind: 'job-failed',
      title: `Download failed: ${first.name}`,
      body: first.error?.message ?? 'Open the Queue to see why and retry.',
    };
  }
  return {
    kind: 'job-failed',
    title: `${plural(newlyFailed.length, 'download')} failed`,
    body: first.error
      ? `First: ${first.name}: ${first.error.message}`
      : 'Open the Queue to see why and retry.',
  };
}

export const trayHintNotification: NotificationSpec = {
  kind: 'tray-hint',
  title: '4DN Downloader is still running',
  body: 'Downloads go on in the tray. Open the window or quit from the tray icon.',
};

/** Remembers which jobs have failed, so a failure is announced once, not on every later change. */
export class FailureTracker {
  private readonly failed = new Set<string>();

  /** Takes a queue:changed payload and returns the jobs that have just failed. */
  update(change: { jobs: Job[]; removed: string[] }): Job[] {
    for (const id of change.removed) this.failed.delete(id);
    const fresh: Job[] = [];
    for (const job of change.jobs) {
      if (job.state === 'failed') {
        if (!this.failed.has(job.id)) fresh.push(job);
        this.failed.add(job.id);
      } else {
        this.failed.delete(job.id);
      }
    }
    return fresh;
  }

  /** Seeds the known failures from a snapshot, so old failures are not announced at start-up. */
  seed(jobs: Job[]): void {
    for (const job of jobs) if (job.state === 'failed') this.failed.add(job.id);
  }
}
