import { isAbsolute } from 'node:path';
import { AppError, toErrorInfo } from '../../../src-shared/domain/errors.ts';
import type { InvokeOutput } from '../../../src-shared/ipc/contract.ts';
import type { FileSystem } from '../downloads/disk/file-system.ts';
import { pathInside, sanitizeFileName } from '../downloads/disk/naming.ts';
import { planVerification } from '../downloads/hashing/checksum.ts';
import { hashWholeFile } from '../downloads/job/present-file.ts';
import type { Semaphore } from '../downloads/queue/semaphore.ts';
import type { DownloadSource } from '../drs/download-source.ts';

export type FileCheck = InvokeOutput<'files:verify'>['results'][number];

export interface FileCheckDeps {
  /** The file-system seam and open-file limit the queue uses, so a check reads as a download's check does. */
  fs: FileSystem;
  handles: Semaphore;
}

/**
 * files:verify for one id: the file the queue would have saved in `dir` (the same name rules), hashed whole
 * with present-file's hashWholeFile against the strongest checksum the server gives. No verification cache: a
 * re-check is asked for because the bytes on disk are in doubt.
 */
export async function checkFileOnDisk(
  deps: FileCheckDeps,
  source: () => Promise<Pick<DownloadSource, 'target'>>,
  dir: string,
  input: string,
): Promise<FileCheck> {
  const unknown = { input, path: null, size: null, checksum: null };
  try {
    if (!isAbsolute(dir)) throw new AppError('bad-input', `Give the folder as an absolute path, not ${dir}.`);
    const target = await (await source()).target(input);
    const path = pathInside(dir, sanitizeFileName(target.fileName));
    const plan = planVerification(target.checksums);
    const info = await deps.fs.stat(path);
    const known = {
      input,
      path,
      size: info?.size ?? null,
      checksum: plan.kind === 'none' ? null : plan.checksum,
    };
    if (!info) {
      return {
        ...known,
        status: 'failed',
        error: { code: 'not-found', message: `Not in ${dir}: download it first.` },
      };
    }
    if (info.isLink) {
      const message = `${path} is a link, not the file a download saves: remove it and run get again.`;
      return { ...known, size: null, status: 'failed', error: { code: 'path-unsafe', message } };
    }
    if (target.size !== undefined && target.size !== info.size) {
      const message = `Size ${info.size} bytes, expected ${target.size}: the file is incomplete or a different file.`;
      return { ...known, status: 'failed', error: { code: 'checksum-mismatch', message } };
    }
    if (plan.kind !== 'hash') {
      const message =
        plan.kind === 'none' ? 'The server gives no checksum for it.' : `Cannot check: ${plan.reason}.`;
      return { ...known, status: 'unverified', error: { code: 'unverifiable', message } };
    }
    const actual = await hashWholeFile(deps, path, plan.algorithm);
    if (actual !== plan.expected) {
      const message = `${plan.checksum.type} is ${actual}, expected ${plan.expected}: download it again.`;
      return { ...known, status: 'failed', error: { code: 'checksum-mismatch', message } };
    }
    return { ...known, status: 'verified' };
  } catch (error) {
    return { ...unknown, status: 'failed', error: toErrorInfo(error) };
  }
}
