import type { Checksum } from '../../../../src-shared/domain/drs.ts';
import type { JobStore } from '../../store/job-store.ts';
import { type FileSystem, linkRefused } from '../disk/file-system.ts';
import {
  createHasher,
  type HashAlgorithm,
  hashFileRange,
  type VerificationPlan,
} from '../hashing/checksum.ts';
import type { Semaphore } from '../queue/semaphore.ts';

export interface PresentFileDeps {
  fs: FileSystem;
  store: JobStore;
  handles: Semaphore;
}

/**
 * A file already under the final name: `verified` when it matches the checksum (from the verification cache
 * when path, size and mtime are unchanged, else hashed once and cached), `same-size` when there is no checksum
 * to compare but the size matches, otherwise `different` (it is left alone and the download takes another name).
 */
export type PresentVerdict = 'verified' | 'same-size' | 'different' | 'absent';

export async function judgePresentFile(
  deps: PresentFileDeps,
  path: string,
  plan: VerificationPlan,
  size: number | undefined,
  signal?: AbortSignal,
): Promise<PresentVerdict> {
  const info = await deps.fs.stat(path);
  if (!info) return 'absent';
  // A link under the final name is never judged (reading it would read another file) nor replaced.
  if (info.isLink) throw linkRefused(path);
  if (!info.isFile || (size !== undefined && info.size !== size)) return 'different';
  if (plan.kind !== 'hash') return size !== undefined ? 'same-size' : 'different';
  const cached = deps.store.getVerified(path);
  if (
    cached &&
    cached.size === info.size &&
    cached.mtimeMs === info.mtimeMs &&
    sameChecksum(cached.checksum, plan.checksum)
  ) {
    return 'verified';
  }
  const digest = await hashWholeFile(deps, path, plan.algorithm, signal);
  if (digest !== plan.expected) return 'different';
  rememberVerified(deps.store, path, info, plan.checksum);
  return 'verified';
}

export function rememberVerified(
  store: JobStore,
  path: string,
  info: { size: number; mtimeMs: number },
  checksum: Checksum,
): void {
  store.putVerified({ path, size: info.size, mtimeMs: info.mtimeMs, checksum });
}

function sameChecksum(a: Checksum, b: Checksum): boolean {
  return a.type === b.type && a.value.toLowerCase() === b.value.toLowerCase();
}

export async function hashWholeFile(
  deps: Pick<PresentFileDeps, 'fs' | 'handles'>,
  path: string,
  algorithm: HashAlgorithm,
  signal?: AbortSignal,
): Promise<string> {
  const release = await deps.handles.acquire(signal);
  try {
    const file = await deps.fs.open(path, 'r');
    try {
      const hash = createHasher(algorithm);
      await hashFileRange(file, hash, 0, Number.MAX_SAFE_INTEGER, signal);
      return hash.digest('hex');
    } finally {
      await file.close();
    }
  } finally {
    release();
  }
}
