import type { Checksum } from '../../../../src-shared/domain/drs.ts';
import { isAppError, toErrorInfo } from '../../../../src-shared/domain/errors.ts';
import type { Job } from '../../../../src-shared/domain/job.ts';
import { normaliseChecksum } from '../../drs/checksums.ts';
import type { JobRecord, TransferState } from '../../store/job-record.ts';
import { nameFromUrl } from '../disk/naming.ts';
import { planVerification, type VerificationPlan } from '../hashing/checksum.ts';
import { queueBundle } from './bundle-queue.ts';
import { AlreadyPresent, checkFinalName, fixFileName, type KnownFile } from './job-naming.ts';
import { JobSession } from './job-session.ts';
import { JobStatus } from './job-status.ts';
import { verifyAndFinish } from './job-verify.ts';
import { RetryBudget } from './retry-budget.ts';
import type { RunContext, RunDeps, RunHooks } from './run-deps.ts';
import { downloadSegmented, RangesUnsupported } from './segmented.ts';
import { clampSegments, planSegments, type Segment, validSegmentMap } from './segments.ts';
import type { StorageLink, TransferRequest } from './session.ts';
import { downloadSingle } from './single-stream.ts';
import type { DownloadSourceLike, SourceTarget } from './source.ts';

/**
 * One run of one job: resolve, name, check what is on disk, download (resuming and retrying), verify, rename.
 * It ends with the job done, failed or paused, or, when aborted (pause, cancel, close), leaves the state to the
 * engine and keeps the bytes. It creates the JobSession it hands to the download strategy: the strategy asks the
 * session for the file and links and returns what it fetched; nothing calls back into the run.
 */
export class JobRun {
  private readonly record: JobRecord;
  private readonly job: Job;
  private readonly source: DownloadSourceLike;
  private readonly run: RunContext;
  private readonly budget: RetryBudget;
  private readonly session: JobSession;
  private readonly stallTimeoutMs: number;
  private plan: VerificationPlan = { kind: 'none' };

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
    const status = new JobStatus(record.job, signal, deps.clock, () => hooks.changed());
    this.run = { job: record.job, signal, deps, hooks, status };
    this.budget = new RetryBudget({
      retry: deps.retry,
      clock: deps.clock,
      status,
      signal,
      bytesDone: () => this.job.bytesDone,
    });
    this.session = new JobSession({
      record,
      source,
      signal,
      deps,
      hooks,
      budget: this.budget,
      status,
      name: (response) => fixFileName(this.run, response.link, response.contentDisposition, this.known()),
    });
    this.stallTimeoutMs = deps.stallTimeoutMs();
  }

  private get state(): TransferState {
    return this.session.state;
  }

  async execute(): Promise<void> {
    const { signal, status, hooks } = this.run;
    try {
      status.set('resolving');
      const target = await this.resolveTarget();
      if (target.bundle) return queueBundle(this.run, target.bundle);
      this.adoptTarget(target);
      for (;;) {
        const digest = await this.downloadFallingBack();
        if (await verifyAndFinish(this.run, this.session, this.plan, digest)) return;
        if (this.session.target?.fromHints)
          await this.resolveWithoutHints("The list's md5 did not match: asking DRS");
        status.set('downloading');
      }
    } catch (error) {
      await this.session.closePart();
      if (signal.aborted) return;
      if (error instanceof AlreadyPresent) {
        status.finish('done', {
          verification: error.verification,
          note: error.note,
          bytesDone: this.session.size ?? 0,
        });
      } else if (isAppError(error) && error.code === 'disk-full') {
        status.finish('paused', { error: error.toInfo(), note: `Paused: ${error.message}` });
      } else {
        status.fail(toErrorInfo(error));
      }
    } finally {
      await this.session.closePart();
      hooks.reserveSpace(0);
    }
  }

  /**
   * A target taken from the list's hints (no DRS lookup) that fails to download is resolved through DRS once
   * and tried again: the list may be stale (a moved file, a changed checksum), DRS is the authority.
   */
  private async downloadFallingBack(): Promise<string | undefined> {
    try {
      return await this.download();
    } catch (error) {
      if (this.run.signal.aborted || !this.session.target?.fromHints || error instanceof AlreadyPresent)
        throw error;
      if (isAppError(error) && error.code === 'disk-full') throw error;
      await this.resolveWithoutHints(
        `${isAppError(error) ? error.message : String(error)} Asking DRS instead`,
      );
      return this.download();
    }
  }

  /** Replaces a hinted target with what DRS says (see downloadFallingBack). */
  private async resolveWithoutHints(note: string): Promise<void> {
    this.run.status.note(note);
    this.record.hints = undefined;
    this.adoptTarget(await this.resolveTarget());
  }

  /** What to fetch: from the list's hints while the record has them (no DRS lookup), else from DRS. */
  private resolveTarget(): Promise<SourceTarget> {
    const hints = this.record.hints;
    const signal = this.run.signal;
    return this.budget.fromSource(() =>
      this.source.target(this.record.parsedId ?? this.job.source, { signal, ...(hints ? { hints } : {}) }),
    );
  }

  private adoptTarget(target: SourceTarget): void {
    this.session.target = target;
    const hints = this.record.hints ?? {};
    const checksums: Checksum[] =
      target.checksums.length > 0 ? target.checksums : hints.md5 ? [{ type: 'md5', value: hints.md5 }] : [];
    this.plan = planVerification(checksums);
    this.session.size = target.size || hints.size || undefined;
    const job = this.job;
    if (this.session.size !== undefined) job.size = this.session.size;
    if (this.plan.kind !== 'none') job.checksum = normaliseChecksum(this.plan.checksum);
    if (target.drsUri) job.drsUri = target.drsUri;
    job.verification = 'pending';
  }

  private known(): KnownFile {
    return { plan: this.plan, size: this.session.size, sourceName: this.session.target?.fileName };
  }

  /** Downloads into the .part file until complete; returns the inline digest when one was computed. */
  private async download(): Promise<string | undefined> {
    const session = this.session;
    let link = await session.freshLink();
    // A name fixed by an earlier run may meanwhile be a finished file; one fixed now was judged just now.
    if (session.named) await checkFinalName(this.run, session.partPath, this.known());
    else if (nameFromUrl(link.url)) await fixFileName(this.run, link, undefined, this.known());
    this.run.status.set('downloading');
    const segments = await this.segmentPlan();
    if (segments) {
      try {
        // The strategy moves the persisted map's counts as bytes land.
        this.state.segments = segments;
        const result = await downloadSegmented(session, this.request(link), segments);
        this.state.segments = undefined;
        return result.digest;
      } catch (error) {
        if (!(error instanceof RangesUnsupported)) throw error;
        this.state.segments = undefined;
        this.state.noRanges = true;
        await (await session.part()).truncate(0);
        this.run.status.note(error.message);
        link = await session.freshLink();
      }
    }
    const result = await downloadSingle(session, this.request(link));
    session.size = result.size;
    return result.digest;
  }

  private request(first: StorageLink): TransferRequest {
    return {
      first,
      connections: this.run.deps.settings().segments,
      plan: this.plan,
      size: this.session.size,
      etag: this.state.etag,
      noRanges: this.state.noRanges === true,
      named: this.session.named,
      signal: this.run.signal,
      transferDeps: { http: this.run.deps.http, limiter: this.run.deps.limiter },
      stallTimeoutMs: this.stallTimeoutMs,
    };
  }

  /** Segments only for a file of known size starting fresh or continuing a valid segment map. */
  private async segmentPlan(): Promise<Segment[] | undefined> {
    const size = this.session.size;
    if (!this.session.named || size === undefined || this.state.noRanges) return undefined;
    const saved = this.state.segments;
    if (saved && validSegmentMap(saved, size)) return clampSegments(saved, await this.session.partLength());
    this.state.segments = undefined;
    const settings = this.run.deps.settings();
    const plan = planSegments(size, { segments: settings.segments, minSegmentSize: settings.minSegmentSize });
    // Too small to split: no need to look at the .part (an lstat per small file, most of them not there).
    if (!plan || (await this.session.partLength()) > 0) return undefined;
    // The map must be on disk before any segment writes: without it a .part with holes cannot be resumed.
    this.state.segments = plan;
    this.run.hooks.changed();
    await this.run.deps.store.flush().catch(() => {});
    return plan;
  }
}
