import type { Verification } from '../../../../src-shared/domain/job.ts';
import { pathInside } from '../disk/naming.ts';
import type { VerificationPlan } from '../hashing/checksum.ts';
import { decideFileName } from './name-decision.ts';
import { judgePresentFile } from './present-file.ts';
import type { RunContext } from './run-deps.ts';
import type { StorageLink } from './session.ts';

/** The file is already there: the job ends done without downloading. */
export class AlreadyPresent {
  readonly verification: Verification;
  readonly note: string;
  constructor(verification: Verification, note: string) {
    this.verification = verification;
    this.note = note;
  }
}

/** What is known of the file when its name is fixed or a finished one is judged. */
export interface KnownFile {
  plan: VerificationPlan;
  size: number | undefined;
  /** The source's name: the last resort after the storage URL and Content-Disposition. */
  sourceName: string | undefined;
}

/** Fixes the file name (see decideFileName) on the job; throws AlreadyPresent when the file is already there. */
export async function fixFileName(
  run: RunContext,
  link: StorageLink,
  contentDisposition: string | undefined,
  file: KnownFile,
): Promise<void> {
  const { job, hooks } = run;
  if (job.path !== undefined) return;
  const decision = await decideFileName(run.deps, {
    destDir: job.destDir,
    placeholder: job.name,
    storageUrl: link.url,
    contentDisposition,
    sourceName: file.sourceName,
    plan: file.plan,
    size: file.size,
    signal: run.signal,
    tryClaim: (path) => hooks.tryClaimPath(path),
  });
  job.name = decision.name;
  job.path = pathInside(job.destDir, decision.name);
  hooks.tryClaimPath(job.path);
  hooks.changed();
  if (decision.kind === 'present') throw new AlreadyPresent(decision.verification, decision.note);
  if (decision.instead)
    run.status.note(
      `A different file named ${decision.instead} is in the folder: saving as ${decision.name}`,
    );
}

/**
 * A resumed job whose final file already exists and whose .part does not (a crash after the rename): judge the
 * file rather than download a duplicate; throws AlreadyPresent when it is the one.
 */
export async function checkFinalName(run: RunContext, partPath: string, file: KnownFile): Promise<void> {
  if (await run.deps.fs.stat(partPath)) return;
  const verdict = await judgePresentFile(run.deps, run.job.path as string, file.plan, file.size, run.signal);
  if (verdict === 'verified') throw new AlreadyPresent('verified', 'Already downloaded and verified.');
  // Nothing to check it against: the right size is all there is to know, as for a file found when adding.
  if (verdict === 'same-size') {
    throw new AlreadyPresent(
      file.plan.kind === 'unverifiable' ? 'unverifiable' : 'unverified',
      'Already downloaded, with the right size (no checksum to compare).',
    );
  }
}
