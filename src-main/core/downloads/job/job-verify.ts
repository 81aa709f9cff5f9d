import { AppError } from '../../../../src-shared/domain/errors.ts';
import type { Verification } from '../../../../src-shared/domain/job.ts';
import { finalizeDownload } from '../disk/finalize.ts';
import type { VerificationPlan } from '../hashing/checksum.ts';
import type { JobSession } from './job-session.ts';
import { hashWholeFile } from './present-file.ts';
import { completionNote } from './recovery-note.ts';
import type { RunContext } from './run-deps.ts';

/**
 * Checks the downloaded .part against the plan (with the digest computed on the way when there is one, else by
 * reading it) and, when it holds, renames it to its final name and ends the job done. Returns false after a first
 * mismatch: the bad copy is deleted and the caller downloads once more; a second one fails the job.
 */
export async function verifyAndFinish(
  run: RunContext,
  session: JobSession,
  plan: VerificationPlan,
  inlineDigest: string | undefined,
): Promise<boolean> {
  const { job, status } = run;
  status.set('verifying');
  const file = await session.part();
  await file.sync();
  await session.closePart();
  let verification: Verification = plan.kind === 'none' ? 'unverified' : 'unverifiable';
  if (plan.kind === 'hash') {
    const digest =
      inlineDigest ?? (await hashWholeFile(run.deps, session.partPath, plan.algorithm, run.signal));
    if (digest !== plan.expected) {
      await discardMismatch(run, session, plan, digest);
      return false;
    }
    verification = 'verified';
  }
  const size = session.size ?? (await session.partLength());
  const final = await finalizeDownload(run.deps, job, session.partPath, plan, (c) =>
    run.hooks.tryClaimPath(c),
  );
  if (final.name !== job.name) {
    status.note(`A file named ${job.name} appeared in the folder meanwhile: saved as ${final.name}`);
  }
  job.name = final.name;
  job.path = final.path;
  session.state.segments = undefined;
  status.finish('done', { verification, bytesDone: size, size, note: completionNote(plan, job.note) });
  return true;
}

async function discardMismatch(
  run: RunContext,
  session: JobSession,
  plan: Extract<VerificationPlan, { kind: 'hash' }>,
  digest: string,
): Promise<void> {
  const state = session.state;
  await run.deps.fs.remove(session.partPath);
  state.segments = undefined;
  state.etag = undefined;
  run.job.bytesDone = 0;
  state.mismatches = (state.mismatches ?? 0) + 1;
  const message = `Checksum mismatch: expected ${plan.checksum.type} ${plan.expected}, got ${digest}.`;
  if (state.mismatches >= 2) {
    run.job.verification = 'mismatch';
    throw new AppError(
      'checksum-mismatch',
      `${message} Downloaded twice and both copies were wrong; the bad bytes were deleted. The server's file or its checksum may be wrong.`,
    );
  }
  run.status.attempt(
    { code: 'checksum-mismatch', message },
    'Checksum mismatch: deleted the bad copy and downloading it again',
  );
}
