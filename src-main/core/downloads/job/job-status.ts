import type { AppError, ErrorInfo } from '../../../../src-shared/domain/errors.ts';
import type { Attempt, Job, JobState } from '../../../../src-shared/domain/job.ts';
import type { Clock } from '../queue/clock.ts';

const MAX_ATTEMPTS_KEPT = 20;

/** Adds one entry to the job's history, keeping the latest few. */
function pushAttempt(job: Job, attempt: Attempt): void {
  job.attempts = [...job.attempts, attempt].slice(-MAX_ATTEMPTS_KEPT);
}

/**
 * Ends a run as failed, and says so in its history: a Retry that fails again at once then shows one more try
 * with its time, rather than the same row as before. Also used by the scheduler when no source can be made.
 */
export function failJob(job: Job, error: ErrorInfo, now: number): void {
  job.error = error;
  job.state = 'failed';
  pushAttempt(job, { at: new Date(now).toISOString(), error, failed: true });
}

/**
 * The one writer of what the user sees of a run on its job: the state, the note with its history of attempts,
 * and how the run ended. Every change is persisted and shown (`changed`). Once the run is aborted, the state and
 * the ending belong to the engine and are left alone.
 */
export class JobStatus {
  private readonly job: Job;
  private readonly signal: AbortSignal;
  private readonly clock: Clock;
  private readonly changed: () => void;

  constructor(job: Job, signal: AbortSignal, clock: Clock, changed: () => void) {
    this.job = job;
    this.signal = signal;
    this.clock = clock;
    this.changed = changed;
  }

  set(state: JobState): void {
    if (this.signal.aborted || this.job.state === state) return;
    this.job.state = state;
    this.changed();
  }

  /** A step without an error, in words, for the job's note and history. */
  note(text: string): void {
    this.attempt(undefined, text);
  }

  attempt(error: { code: AppError['code']; message: string } | undefined, action: string): void {
    const attempt = {
      at: new Date(this.clock.now()).toISOString(),
      action,
      ...(error ? { error } : {}),
    };
    pushAttempt(this.job, attempt);
    this.job.note = action;
    this.changed();
  }

  /** The run ended failed: recorded as a try in the history (see failJob). */
  fail(error: ErrorInfo): void {
    if (this.signal.aborted) return;
    failJob(this.job, error, this.clock.now());
    this.changed();
  }

  finish(state: JobState, fields: Partial<Job>): void {
    if (this.signal.aborted) return;
    const job = this.job;
    Object.assign(job, fields);
    if (state === 'done') job.error = undefined;
    job.state = state;
    if (state === 'done' && job.size !== undefined) job.bytesDone = job.size;
    this.changed();
  }
}
