import { AppError } from '../../../../src-shared/domain/errors.ts';
import type { Job } from '../../../../src-shared/domain/job.ts';
import type { JobRecord, TransferState } from '../../store/job-record.ts';
import { diskFullError } from '../disk/disk.ts';
import { PartFile } from '../disk/part-file.ts';
import type { JobStatus } from './job-status.ts';
import type { RetryBudget } from './retry-budget.ts';
import type { RunDeps, RunHooks } from './run-deps.ts';
import type { NamingResponse, ResponseFacts, StorageLink, TransferSession } from './session.ts';
import type { DownloadSourceLike, SourceTarget } from './source.ts';

export interface SessionParts {
  record: JobRecord;
  source: DownloadSourceLike;
  signal: AbortSignal;
  deps: Pick<RunDeps, 'fs' | 'disk' | 'handles'>;
  hooks: Pick<RunHooks, 'progressed' | 'reserveSpace' | 'reservedByOthers'>;
  budget: RetryBudget;
  status: Pick<JobStatus, 'note'>;
  /** Fixes the file name from a response (the run's naming); the session only calls it before the first open. */
  name: (response: NamingResponse) => Promise<void>;
}

/**
 * A run's session with storage, created by JobRun and handed to its download strategy as a TransferSession: the
 * .part file (with a free-space check on first open), fresh storage links, and where progress and what
 * responses told are recorded. It holds the file's size, the target links come from, and the persisted transfer
 * state (ETag, segment map, noRanges); the run sets and reads them between strategies.
 */
export class JobSession implements TransferSession {
  target: SourceTarget | undefined;
  size: number | undefined;
  private readonly record: JobRecord;
  private readonly job: Job;
  private readonly parts: SessionParts;
  private file: PartFile | undefined;

  constructor(parts: SessionParts) {
    this.parts = parts;
    this.record = parts.record;
    this.job = parts.record.job;
    parts.record.transfer ??= {};
  }

  get state(): TransferState {
    return this.record.transfer as TransferState;
  }

  /** Whether the final name (and so the .part path) is fixed yet. */
  get named(): boolean {
    return this.job.path !== undefined;
  }

  get partPath(): string {
    return `${this.job.path}.part`;
  }

  async part(response?: NamingResponse): Promise<PartFile> {
    if (response && !this.named) await this.parts.name(response);
    if (this.file) return this.file;
    if (!this.named) throw new AppError('internal', 'The file name is not fixed yet.');
    const { deps, signal } = this.parts;
    const file = await PartFile.open(deps.fs, this.partPath, deps.handles, signal);
    this.file = file;
    const have = this.state.segments ? 0 : await this.partLength();
    const done = this.state.segments ? this.state.segments.reduce((sum, s) => sum + s.done, 0) : have;
    if (this.size !== undefined) await this.checkSpace(this.size - done);
    file.remaining = Math.max(0, (this.size ?? 0) - done);
    return file;
  }

  async partLength(): Promise<number> {
    if (this.file) return this.file.length();
    return (await this.parts.deps.fs.stat(this.partPath))?.size ?? 0;
  }

  async closePart(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    await file?.close();
  }

  private async checkSpace(needed: number): Promise<void> {
    if (needed <= 0) return;
    const { deps, hooks } = this.parts;
    const free = await deps.disk.freeBytes(this.job.destDir);
    if (free - hooks.reservedByOthers() < needed) throw diskFullError(needed, this.job.destDir);
    hooks.reserveSpace(needed);
  }

  async freshLink(): Promise<StorageLink> {
    const target = this.target as SourceTarget;
    const { source, signal } = this.parts;
    return this.parts.budget.fromSource(() => source.freshUrl(target, { signal }));
  }

  progressed(bytes: number): void {
    if (bytes > this.job.bytesDone) this.parts.budget.progressed();
    this.job.bytesDone = bytes;
    if (this.file && this.size !== undefined) this.file.remaining = this.size - bytes;
    this.parts.hooks.progressed();
  }

  learned(facts: ResponseFacts): void {
    if (facts.etag !== undefined) this.state.etag = facts.etag;
    if (facts.size !== undefined) this.size = facts.size;
    if (facts.noRanges) this.state.noRanges = true;
  }

  recover(error: unknown, offset: number, signal?: AbortSignal): Promise<'resume' | 'restart'> {
    return this.parts.budget.recover(error, offset, signal);
  }

  note(text: string): void {
    this.parts.status.note(text);
  }
}
