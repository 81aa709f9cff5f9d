import { access, statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AppError } from '../../../../src-shared/domain/errors.ts';
import { formatBytes } from '../../../../src-shared/format.ts';
import { freshAnswers } from './fresh-answers.ts';

/** Free space where a file will be written; a seam so tests can pretend a disk is full. */
export interface DiskSpace {
  freeBytes(dir: string): Promise<number>;
}

/** statfs on the folder, or on its nearest existing parent when the folder is not created yet. */
export const statfsDiskSpace: DiskSpace = {
  async freeBytes(dir) {
    const stats = await statfs(await nearestExisting(resolve(dir)));
    return stats.bavail * stats.bsize;
  },
};

/**
 * Reuses a folder's free-space answer for a second: 1,000 small files each asked statfs (and access) before
 * starting. The answer is only an early warning; a write that meets a full disk pauses the job just the same
 * (ENOSPC becomes disk-full), and space promised to running downloads is subtracted by the caller each time.
 */
export function cachedDiskSpace(inner: DiskSpace, now: () => number = Date.now): DiskSpace {
  return { freeBytes: freshAnswers((dir) => inner.freeBytes(dir), now) };
}

export const nodeDiskSpace: DiskSpace = cachedDiskSpace(statfsDiskSpace);

export async function nearestExisting(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      await access(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

export function isDiskFullError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export function diskFullError(needed: number, dir: string): AppError {
  return new AppError(
    'disk-full',
    `Disk full: ${formatBytes(needed)} needed on ${dir}. Free some space, then resume.`,
  );
}
