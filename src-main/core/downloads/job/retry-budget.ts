import { AppError, isAppError, toErrorInfo } from '../../../../src-shared/domain/errors.ts';
import type { Clock } from '../queue/clock.ts';
import { abortable } from '../transfer/abortable.ts';
import type { JobStatus } from './job-status.ts';
import { recoveryNote } from './recovery-note.ts';
import { type RecoveryOptions, RecoveryPolicy } from './retry-policy.ts';

/**
 * One run's retry budget, shared by its source calls and its transfers: each failure is judged
 * (RecoveryPolicy), told in words on the job, and waited out; progress refills the budget.
 */
export class RetryBudget {
  private readonly policy: RecoveryPolicy;
  private readonly clock: Clock;
  private readonly status: JobStatus;
  private readonly signal: AbortSignal;
  /** Bytes on disk now, for the note's "resumed at". */
  private readonly bytesDone: () => number;

  constructor(options: {
    retry: Partial<RecoveryOptions>;
    clock: Clock;
    status: JobStatus;
    signal: AbortSignal;
    bytesDone: () => number;
  }) {
    this.policy = new RecoveryPolicy(options.retry);
    this.clock = options.clock;
    this.status = options.status;
    this.signal = options.signal;
    this.bytesDone = options.bytesDone;
  }

  /** Bytes arrived since the last failure. */
  progressed(): void {
    this.policy.progressed();
  }

  /** Decides about a failure: returns after any backoff, or throws when the job must stop. */
  async recover(
    error: unknown,
    offset: number,
    signal: AbortSignal = this.signal,
  ): Promise<'resume' | 'restart'> {
    if (signal.aborted) throw signal.reason;
    const decision = this.policy.decide(error);
    if (decision.action === 'pause') throw error;
    if (decision.action === 'fail') {
      if (!decision.exhausted || !isAppError(error)) throw error;
      throw new AppError(
        error.code,
        `${error.message} Gave up after repeated tries: use Retry once it is fixed.`,
      );
    }
    const info = toErrorInfo(error);
    this.status.attempt(info, recoveryNote(error as AppError, decision.action, offset, decision.delayMs));
    if (decision.delayMs > 0) await this.clock.sleep(decision.delayMs, signal);
    return decision.action;
  }

  /** Calls the download source, retrying what a retry can fix (network, busy server). */
  async fromSource<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      this.signal.throwIfAborted();
      try {
        return await abortable(call(), this.signal);
      } catch (error) {
        await this.recover(error, this.bytesDone());
      }
    }
  }
}
