import type { Checksum } from '../../../../src-shared/domain/drs.ts';
import { AppError, type ErrorInfo, isAppError, toErrorInfo } from '../../../../src-shared/domain/errors.ts';
import type { Job, JobState, Verification } from '../../../../src-shared/domain/job.ts';
import { normaliseChecksum } from '../../drs/checksums.ts';
import { finalizeDownload } from '../disk/finalize.ts';
import { nameFromUrl, pathInside } from '../disk/naming.ts';
import { planVerification, type VerificationPlan } from '../hashing/checksum.ts';
import { failJob, JobSession } from './job-session.ts';
import { decideFileName } from './name-decision.ts';
import { hashWholeFile, judgePresentFile } from './present-file.ts';
import { completionNote } from './recovery-note.ts';
import { downloadSegmented, RangesUnsupported } from './segmented.ts';
import { clampSegments, planSegments, validSegmentMap } from './segments.ts';
import type { StorageLink } from './session.ts';
import { downloadSingle } from './single-stream.ts';
import type { BundleMember, BundlePlan, SourceTarget } from './source.ts';

/** The file is already there: the job ends done without downloading. */
class AlreadyPresent {
  readonly verification: Verification;
  readonly note: string;
  constructor(verification: Verification, note: string) {
    this.verification = verification;
    this.note = note;
  }
}

/**
 * One run of one job: resolve, name, check what is on disk, download (resuming and retrying), verify, rename.
 * It ends with the job done, failed or paused, or, when aborted (pause, cancel, close), leaves the state to the
 * engine and keeps the bytes.
 */
export class JobRun extends JobSession {
  async execute(): Promise<void> {
    try {
      this.setState('resolving');
      const target = await this.resolveTarget();
      if (target.bundle) return this.queueBundle(target.bundle);
      this.adoptTarget(target);
      for (;;) {
        const digest = await this.downloadFallingBack();
        if (await this.verifyAndFinish(digest)) return;
      }
    } catch (error) {
      await this.closePart();
      if (this.signal.aborted) return;
      if (error instanceof AlreadyPresent) {
        this.finish('done', {
          verification: error.verification,
          note: error.note,
          bytesDone: this.size ?? 0,
        });
      } else if (isAppError(error) && error.code === 'disk-full') {
        this.finish('paused', { error: error.toInfo(), note: `Paused: ${error.message}` });
      } else {
        this.fail(toErrorInfo(error));
      }
    } finally {
      await this.closePart();
      this.hooks.reserveSpace(0);
    }
  }

  /**
   * A bundle job ends once its files are queued in its folder tree; they download as jobs of their own. It keeps
   * no path: removing it with its files must not touch the folder its members fill.
   */
  private queueBundle(bundle: BundlePlan): void {
    const folder = pathInside(this.job.destDir, bundle.folder);
    const byFolder = new Map<string, BundleMember[]>();
    for (const member of bundle.members) {
      const dir = member.folders.reduce(pathInside, folder);
      byFolder.set(dir, [...(byFolder.get(dir) ?? []), member]);
    }
    let queued = 0;
    for (const [dir, members] of byFolder) queued += this.hooks.queueMembers(members, dir);
    this.job.name = `${bundle.folder}/`;
    this.job.bundleFiles = bundle.members.length;
    const count = bundle.members.length;
    this.finish('done', {
      verification: 'skipped',
      note:
        count === 0
          ? 'An empty bundle: nothing to download.'
          : `A bundle of ${count} file(s): ${queued} queued into ${bundle.folder}/ (each is verified on its own).`,
    });
  }

  /**
   * A target taken from the list's hints (no DRS lookup) that fails to download is resolved through DRS once
   * and tried again: the list may be stale (a moved file, a changed checksum), DRS is the authority.
   */
  private async downloadFallingBack(): Promise<string | undefined> {
    try {
      return await this.download();
    } catch (error) {
      if (this.signal.aborted || !this.target?.fromHints || error instanceof AlreadyPresent) throw error;
      if (isAppError(error) && error.code === 'disk-full') throw error;
      await this.resolveWithoutHints(
        `${isAppError(error) ? error.message : String(error)} Asking DRS instead`,
      );
      return this.download();
    }
  }

  /** Replaces a hinted target with what DRS says (see downloadFallingBack). */
  private async resolveWithoutHints(note: string): Promise<void> {
    this.note(note);
    this.record.hints = undefined;
    this.adoptTarget(await this.resolveTarget());
  }

  /** What to fetch: from the list's hints while the record has them (no DRS lookup), else from DRS. */
  private resolveTarget(): Promise<SourceTarget> {
    const hints = this.record.hints;
    return this.fromSource(() =>
      this.source.target(this.record.parsedId ?? this.job.source, {
        signal: this.signal,
        ...(hints ? { hints } : {}),
      }),
    );
  }

  private adoptTarget(target: SourceTarget): void {
    this.target = target;
    const hints = this.record.hints ?? {};
    const checksums: Checksum[] =
      target.checksums.length > 0 ? target.checksums : hints.md5 ? [{ type: 'md5', value: hints.md5 }] : [];
    this.plan = planVerification(checksums);
    this.size = target.size || hints.size || undefined;
    const job = this.job;
    if (this.size !== undefined) job.size = this.size;
    if (this.plan.kind !== 'none') job.checksum = normaliseChecksum(this.plan.checksum);
    if (target.drsUri) job.drsUri = target.drsUri;
    job.verification = 'pending';
  }

  /** Downloads into the .part file until complete; returns the inline digest for single-stream downloads. */
  private async download(): Promise<string | undefined> {
    let link = await this.freshLink();
    // A name fixed by an earlier run may meanwhile be a finished file; one fixed now was judged just now.
    if (this.committed) await this.checkFinalName();
    else if (nameFromUrl(link.url)) await this.commit(link, undefined);
    this.setState('downloading');
    const segments = await this.segmentPlan();
    if (segments) {
      try {
        const digest = await downloadSegmented(this, segments, link);
        this.state.segments = undefined;
        return digest;
      } catch (error) {
        if (!(error instanceof RangesUnsupported)) throw error;
        this.state.segments = undefined;
        this.state.noRanges = true;
        await (await this.part()).truncate(0);
        this.note(error.message);
        link = await this.freshLink();
      }
    }
    return downloadSingle(this, link);
  }

  /** Segments only for a file of known size starting fresh or continuing a valid segment map. */
  private async segmentPlan() {
    if (!this.committed || this.size === undefined || this.state.noRanges) return undefined;
    const length = await this.partLength();
    const saved = this.state.segments;
    if (saved && validSegmentMap(saved, this.size)) return clampSegments(saved, length);
    this.state.segments = undefined;
    if (length > 0) return undefined;
    const settings = this.deps.settings();
    const plan = planSegments(this.size, {
      segments: settings.segments,
      minSegmentSize: settings.minSegmentSize,
    });
    if (plan) {
      // The map must be on disk before any segment writes: without it a .part with holes cannot be resumed.
      this.state.segments = plan;
      this.hooks.changed();
      await this.deps.store.flush().catch(() => {});
    }
    return plan;
  }

  /** A resumed job whose final file already exists (a crash after the rename): judge it rather than duplicate it. */
  private async checkFinalName(): Promise<void> {
    if (await this.deps.fs.stat(this.partPath)) return;
    const verdict = await judgePresentFile(
      this.deps,
      this.job.path as string,
      this.plan,
      this.size,
      this.signal,
    );
    if (verdict === 'verified') throw new AlreadyPresent('verified', 'Already downloaded and verified.');
    // Nothing to check it against: the right size is all there is to know, as for a file found when adding.
    if (verdict === 'same-size') {
      throw new AlreadyPresent(
        this.plan.kind === 'unverifiable' ? 'unverifiable' : 'unverified',
        'Already downloaded, with the right size (no checksum to compare).',
      );
    }
  }

  async commitAtResponse(link: StorageLink, contentDisposition: string | undefined): Promise<void> {
    await this.commit(link, contentDisposition);
  }

  /** Fixes the file name (see decideFileName); ends the job when the file is already there. */
  private async commit(link: StorageLink, contentDisposition: string | undefined): Promise<void> {
    if (this.committed) return;
    const decision = await decideFileName(this.deps, {
      destDir: this.job.destDir,
      placeholder: this.job.name,
      storageUrl: link.url,
      contentDisposition,
      sourceName: this.target?.fileName,
      plan: this.plan,
      size: this.size,
      signal: this.signal,
      tryClaim: (path) => this.hooks.tryClaimPath(path),
    });
    this.adoptPath(decision.name);
    if (decision.kind === 'present') throw new AlreadyPresent(decision.verification, decision.note);
    if (decision.instead)
      this.note(`A different file named ${decision.instead} is in the folder: saving as ${decision.name}`);
  }

  private adoptPath(name: string): void {
    this.job.name = name;
    this.job.path = pathInside(this.job.destDir, name);
    this.hooks.tryClaimPath(this.job.path);
    this.hooks.changed();
  }

  /** Checks the bytes; true when the job is finished (done), false to download once more after a mismatch. */
  private async verifyAndFinish(inlineDigest: string | undefined): Promise<boolean> {
    this.setState('verifying');
    const file = await this.part();
    await file.sync();
    await this.closePart();
    const plan = this.plan;
    let verification: Verification = plan.kind === 'none' ? 'unverified' : 'unverifiable';
    if (plan.kind === 'hash') {
      const digest =
        inlineDigest ?? (await hashWholeFile(this.deps, this.partPath, plan.algorithm, this.signal));
      if (digest !== plan.expected) return this.mismatch(digest);
      verification = 'verified';
    }
    const size = this.size ?? (await this.partLength());
    const final = await finalizeDownload(this.deps, this.job, this.partPath, plan, (c) =>
      this.hooks.tryClaimPath(c),
    );
    if (final.name !== this.job.name) {
      this.note(`A file named ${this.job.name} appeared in the folder meanwhile: saved as ${final.name}`);
    }
    this.job.name = final.name;
    this.job.path = final.path;
    this.state.segments = undefined;
    this.finish('done', { verification, bytesDone: size, size, note: completionNote(plan, this.job.note) });
    return true;
  }

  private async mismatch(digest: string): Promise<boolean> {
    const plan = this.plan as Extract<VerificationPlan, { kind: 'hash' }>;
    await this.deps.fs.remove(this.partPath);
    this.state.segments = undefined;
    this.state.etag = undefined;
    this.job.bytesDone = 0;
    this.state.mismatches = (this.state.mismatches ?? 0) + 1;
    const message = `Checksum mismatch: expected ${plan.checksum.type} ${plan.expected}, got ${digest}.`;
    if (this.state.mismatches >= 2) {
      this.job.verification = 'mismatch';
      throw new AppError(
        'checksum-mismatch',
        `${message} Downloaded twice and both copies were wrong; the bad bytes were deleted. The server's file or its checksum may be wrong.`,
      );
    }
    this.addAttempt(
      { code: 'checksum-mismatch', message },
      'Checksum mismatch: deleted the bad copy and downloading it again',
    );
    if (this.target?.fromHints) await this.resolveWithoutHints("The list's md5 did not match: asking DRS");
    this.setState('downloading');
    return false;
  }

  private fail(error: ErrorInfo): void {
    if (this.signal.aborted) return;
    failJob(this.job, error, this.deps.clock.now());
    this.hooks.changed();
  }

  private finish(state: JobState, fields: Partial<Job>): void {
    if (this.signal.aborted) return;
    const job = this.job;
    Object.assign(job, fields);
    if (state === 'done') job.error = undefined;
    job.state = state;
    if (state === 'done' && job.size !== undefined) job.bytesDone = job.size;
    this.hooks.changed();
  }
}
