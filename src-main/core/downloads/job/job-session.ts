import type { ErrorInfo } from '../../../../src-shared/domain/errors.ts';
import { AppError, isAppError, toErrorInfo } from '../../../../src-shared/domain/errors.ts';
import type { Attempt, Job, JobState } from '../../../../src-shared/domain/job.ts';
import type { JobRecord, TransferState } from '../../store/job-record.ts';
import { diskFullError } from '../disk/disk.ts';
import { PartFile } from '../disk/part-file.ts';
import type { VerificationPlan } from '../hashing/checksum.ts';
import { abortable } from '../transfer/abortable.ts';
import type { TransferDeps } from '../transfer/transfer.ts';
import { recoveryNote } from './recovery-note.ts';
import { RecoveryPolicy } from './retry-policy.ts';
import type { RunDeps, RunHooks } from './run-deps.ts';
import type { StorageLink, TransferSession } from './session.ts';
import type { DownloadSourceLike, SourceTarget } from './source.ts';

const MAX_ATTEMPTS_KEPT = 20;

/** Adds one entry to the job's history, keeping the latest few. */
function pushAttempt(job: Job, attempt: Attempt): void {
  job.attempts = [...job.attempts, attempt].slice(-MAX_ATTEMPTS_KEPT);
}

/**
 * Ends a run as failed, and says so in its history: a Retry that fails again at once then shows one more try
 * with its time, rather than the same row as before.
 */
export function failJob(job: Job, error: ErrorInfo, now: number): void {
  job.error = error;
  job.state = 'failed';
  pushAttempt(job, { at: new Date(now).toISOString(), error, failed: true });
}

/**
 * What a job run offers its download strategies: the .part file (with a free-space check on first open), fresh
 * storage links, progress, and the retry budget with its plain-words history on the job.
 */
export abstract class JobSession implements TransferSession {
  readonly signal: AbortSignal;
  readonly transferDeps: TransferDeps;
  readonly stallTimeoutMs: number;
  plan: VerificationPlan = { kind: 'none' };
  size: number | undefined;
  protected readonly record: JobRecord;
  protected readonly job: Job;
  protected readonly source: DownloadSourceLike;
  protected readonly deps: RunDeps;
  protected readonly hooks: RunHooks;
  protected readonly policy: RecoveryPolicy;
  protected target: SourceTarget | undefined;
  protected file: PartFile | undefined;

  constructor(
    record: JobRecord,
    source: DownloadSourceLike,
    signal: AbortSignal,
    deps: RunDeps,
    hooks: RunHooks,
  ) {
    this.record = record;
    this.job = record.job;
    this.source = source;
    this.signal = signal;
    this.deps = deps;
    this.hooks = hooks;
    this.transferDeps = { http: deps.http, limiter: deps.limiter };
    this.stallTimeoutMs = deps.stallTimeoutMs();
    this.policy = new RecoveryPolicy(deps.retry);
    record.transfer ??= {};
  }

  get state(): TransferState {
    return this.record.transfer as TransferState;
  }

  get committed(): boolean {
    return this.job.path !== undefined;
  }

  protected get partPath(): string {
    return `${this.job.path}.part`;
  }

  abstract commitAtResponse(link: StorageLink, contentDisposition: string | undefined): Promise<void>;

  async part(): Promise<PartFile> {
    if (this.file) return this.file;
    if (!this.committed) throw new AppError('internal', 'The file name is not fixed yet.');
    const file = await PartFile.open(this.deps.fs, this.partPath, this.deps.handles, this.signal);
    this.file = file;
    const have = this.state.segments ? 0 : await this.partLength();
    const done = this.state.segments ? this.state.segments.reduce((sum, s) => sum + s.done, 0) : have;
    if (this.size !== undefined) await this.checkSpace(this.size - done);
    file.remaining = Math.max(0, (this.size ?? 0) - done);
    return file;
  }

  async partLength(): Promise<number> {
    if (this.file) return this.file.length();
    return (await this.deps.fs.stat(this.partPath))?.size ?? 0;
  }

  protected async checkSpace(needed: number): Promise<void> {
    if (needed <= 0) return;
    const free = await this.deps.disk.freeBytes(this.job.destDir);
    if (free - this.hooks.reservedByOthers() < needed) throw diskFullError(needed, this.job.destDir);
    this.hooks.reserveSpace(needed);
  }

  protected async closePart(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    await file?.close();
  }

  async freshLink(): Promise<StorageLink> {
    const target = this.target as SourceTarget;
    return this.fromSource(() => this.source.freshUrl(target, { signal: this.signal }));
  }

  setBytesDone(bytes: number): void {
    if (bytes > this.job.bytesDone) this.policy.progressed();
    this.job.bytesDone = bytes;
    if (this.file && this.size !== undefined) this.file.remaining = this.size - bytes;
    this.hooks.progressed();
  }

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
    this.addAttempt(info, recoveryNote(error as AppError, decision.action, offset, decision.delayMs));
    if (decision.delayMs > 0) await this.deps.clock.sleep(decision.delayMs, signal);
    return decision.action;
  }

  note(text: string): void {
    this.addAttempt(undefined, text);
  }

  protected addAttempt(error: { code: AppError['code']; message: string } | undefined, action: string): void {
    const attempt = {
      at: new Date(this.deps.clock.now()).toISOString(),
      action,
      ...(error ? { error } : {}),
    };
    pushAttempt(this.job, attempt);
    this.job.note = action;
    this.hooks.changed();
  }

  /** Calls the download source, retrying what a retry can fix (network, busy server) with the same budget. */
  protected async fromSource<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      this.signal.throwIfAborted();
      try {
        return await abortable(call(), this.signal);
      } catch (error) {
        await this.recover(error, this.job.bytesDone);
      }
    }
  }

  protected setState(state: JobState): void {
    if (this.signal.aborted || this.job.state === state) return;
    this.job.state = state;
    this.hooks.changed();
  }
}
