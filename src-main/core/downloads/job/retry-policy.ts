import { type AppError, type ErrorCode, isAppError } from '../../../../src-shared/domain/errors.ts';
import { type Backoff, retryDelay } from '../../http/retry.ts';
import { TransferError } from '../transfer/transfer-error.ts';

/** What to do after a failed request. `resume` asks for a fresh URL and continues from the bytes on disk. */
export type Recovery =
  | { action: 'resume'; delayMs: number }
  | { action: 'restart'; delayMs: number }
  | { action: 'pause' }
  | { action: 'fail'; exhausted: boolean };

export interface RecoveryOptions extends Backoff {
  /** Failures in a row without a byte of progress before the job fails. */
  maxFailures: number;
}

export const defaultRecoveryOptions: RecoveryOptions = {
  maxFailures: 8,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

const RESUMABLE = new Set<ErrorCode>(['network', 'stalled', 'server-error', 'url-expired']);

/**
 * Decides, per job run, whether a failure is worth another try. Progress resets the count, so a long
 * download over a flaky link keeps going while a server that never sends a byte fails after maxFailures.
 */
export class RecoveryPolicy {
  private readonly options: RecoveryOptions;
  private readonly random: () => number;
  private failures = 0;
  private total = 0;

  constructor(options: Partial<RecoveryOptions> = {}, random: () => number = Math.random) {
    this.options = { ...defaultRecoveryOptions, ...options };
    this.random = random;
  }

  /** Bytes arrived since the last failure. */
  progressed(): void {
    this.failures = 0;
  }

  decide(error: unknown): Recovery {
    if (!isAppError(error)) return { action: 'fail', exhausted: false };
    if (error.code === 'disk-full') return { action: 'pause' };
    const fromStorage = error instanceof TransferError;
    const kind = classify(error, fromStorage);
    if (kind === 'fatal') return { action: 'fail', exhausted: false };
    this.failures++;
    this.total++;
    const limit = error.code === 'forbidden' ? 2 : this.options.maxFailures;
    if (this.failures > limit || this.total > this.options.maxFailures * 8) {
      return { action: 'fail', exhausted: true };
    }
    if (kind === 'restart') return { action: 'restart', delayMs: 0 };
    return { action: 'resume', delayMs: this.delayFor(error) };
  }

  private delayFor(error: AppError): number {
    // An expired link is normal: the first fresh one is fetched at once.
    if ((error.code === 'url-expired' || error.code === 'forbidden') && this.failures === 1) return 0;
    const retryAfter = (error as { retryAfterMs?: unknown }).retryAfterMs;
    const serverSaid = typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter : undefined;
    return retryDelay(this.failures, this.options, serverSaid, this.random);
  }
}

function classify(error: AppError, fromStorage: boolean): 'resume' | 'restart' | 'fatal' {
  if (RESUMABLE.has(error.code)) return 'resume';
  if (fromStorage && error.code === 'forbidden') return 'resume';
  if (fromStorage && error.code === 'range-unsupported') return 'restart';
  return 'fatal';
}
