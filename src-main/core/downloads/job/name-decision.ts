import type { Verification } from '../../../../src-shared/domain/job.ts';
import { chooseFileName, pathInside, sanitizeFileName, uniqueFileName } from '../disk/naming.ts';
import { ioError } from '../disk/part-file.ts';
import type { VerificationPlan } from '../hashing/checksum.ts';
import { judgePresentFile, type PresentFileDeps } from './present-file.ts';

export type NameDecision =
  /** Download under this name (claimed for the job); `instead` names a different file already there. */
  | { kind: 'download'; name: string; instead?: string }
  /** The file is already there: nothing to download. */
  | { kind: 'present'; name: string; verification: Verification; note: string };

/**
 * Fixes a download's file name: storage URL basename, then Content-Disposition, then the DRS name; sanitised and
 * inside the folder. A file already there is judged: the same file (verified, or same size when there is no
 * checksum) ends the job; a different one is never touched, the download takes the next free name.
 */
export async function decideFileName(
  deps: PresentFileDeps,
  input: {
    destDir: string;
    placeholder: string;
    storageUrl: string;
    contentDisposition: string | undefined;
    sourceName: string | undefined;
    plan: VerificationPlan;
    size: number | undefined;
    signal: AbortSignal;
    /** Claims a path for this job; false when another job in the queue has it (synchronous, so no races). */
    tryClaim: (path: string) => boolean;
  },
): Promise<NameDecision> {
  const name = chooseFileName({
    storageUrl: input.storageUrl,
    contentDisposition: input.contentDisposition,
    sourceName: input.sourceName || undefined,
    fallback: sanitizeFileName(input.placeholder),
  });
  await deps.fs.mkdir(input.destDir).catch((error: unknown) => {
    throw ioError(error, input.destDir, 0);
  });
  const verdict = await judgePresentFile(
    deps,
    pathInside(input.destDir, name),
    input.plan,
    input.size,
    input.signal,
  );
  if (verdict === 'verified') {
    return {
      kind: 'present',
      name,
      verification: 'skipped',
      note: 'Already in the folder and verified: not downloaded again.',
    };
  }
  if (verdict === 'same-size') {
    return {
      kind: 'present',
      name,
      verification: input.plan.kind === 'unverifiable' ? 'unverifiable' : 'unverified',
      note: 'Already in the folder with the right size (no checksum to compare).',
    };
  }
  // Nothing under the name on disk (just looked): it is free unless another job in the queue has it.
  if (verdict === 'absent' && input.tryClaim(pathInside(input.destDir, name)))
    return { kind: 'download', name };
  const free = await uniqueFileName(name, async (candidate) => {
    const path = pathInside(input.destDir, candidate);
    return (await deps.fs.stat(path)) !== undefined || !input.tryClaim(path);
  });
  return free === name ? { kind: 'download', name } : { kind: 'download', name: free, instead: name };
}
