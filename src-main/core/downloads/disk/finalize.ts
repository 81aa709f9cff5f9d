import { dirname } from 'node:path';
import type { Job } from '../../../../src-shared/domain/job.ts';
import { syncDirectory } from '../../store/atomic-file.ts';
import type { JobStore } from '../../store/job-store.ts';
import type { VerificationPlan } from '../hashing/checksum.ts';
import { rememberVerified } from '../job/present-file.ts';
import { type FileSystem, linkRefused } from './file-system.ts';
import { pathInside, uniqueFileName } from './naming.ts';
import { ioError } from './part-file.ts';

/**
 * Moves a checked .part file to its final name. A file that appeared under that name meanwhile is never
 * replaced: the download takes the next free name instead. Verified files enter the verification cache.
 */
export async function finalizeDownload(
  deps: { fs: FileSystem; store: JobStore },
  job: Job,
  partPath: string,
  plan: VerificationPlan,
  tryClaim: (path: string) => boolean,
): Promise<{ name: string; path: string }> {
  let name = job.name;
  let path = job.path ?? pathInside(job.destDir, name);
  // The .part was checked when opened; a link swapped in since would become the final name.
  const part = await deps.fs.stat(partPath);
  if (part?.isLink) throw linkRefused(partPath);
  const present = await deps.fs.stat(path);
  // Never rename over a link: the file would seem saved where the link's owner chose.
  if (present?.isLink) throw linkRefused(path);
  if (present) {
    name = await uniqueFileName(name, async (candidate) => {
      const full = pathInside(job.destDir, candidate);
      return (await deps.fs.stat(full)) !== undefined || !tryClaim(full);
    });
    path = pathInside(job.destDir, name);
  }
  try {
    await deps.fs.rename(partPath, path);
  } catch (error) {
    throw ioError(error, path, 0);
  }
  await syncDirectory(dirname(path));
  // A rename keeps the file's size and modification time: the .part's, looked at above, are the final file's.
  if (plan.kind === 'hash' && part) rememberVerified(deps.store, path, part, plan.checksum);
  return { name, path };
}
