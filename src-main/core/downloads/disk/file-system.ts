import { closeSync, constants, fstatSync, lstatSync, openSync, renameSync, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../../../src-shared/domain/errors.ts';
import type { ReadableFile } from '../hashing/checksum.ts';
import { FdFile } from './fd-file.ts';
import { makeFolder } from './folder.ts';
import { freshAnswers } from './fresh-answers.ts';
import { isLocalFolder, learnFolder } from './local-folder.ts';

/** An open file as the engine uses it; node's FileHandle fits. */
export interface OpenFile extends ReadableFile {
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }>;
  /** Several buffers in one call, in order from `position`; may write fewer bytes than given, like `write`. */
  writev(buffers: readonly Uint8Array[], position: number): Promise<{ bytesWritten: number }>;
  truncate(length: number): Promise<void>;
  /** The open file's size (fstat: no lookup by name, no error object for a missing file). */
  stat(): Promise<{ size: number }>;
  /** The size the open itself saw, when it looked (saves the first stat()). */
  readonly sizeAtOpen?: number;
  sync(): Promise<void>;
  /** `synced`: every write is known to be on the disk (a hint FdFile uses; node's FileHandle ignores it). */
  close(options?: { synced?: boolean }): Promise<void>;
}

/** The file operations downloads make: a seam so tests can inject faults (a full disk) without mocking modules. */
export interface FileSystem {
  /**
   * 'r' reads; 'rw' reads and writes, creating the file when missing (exclusively) and never truncating it.
   * Never through a symbolic link, and only a regular file: anything else is a 'path-unsafe' AppError.
   */
  open(path: string, flags: 'r' | 'rw'): Promise<OpenFile>;
  /** Size and modification time of the name itself (a link is not followed), or undefined when nothing has it. */
  stat(
    path: string,
  ): Promise<{ size: number; mtimeMs: number; isFile: boolean; isLink?: boolean } | undefined>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  mkdir(dir: string): Promise<void>;
}

/** 0 where the OS has no O_NOFOLLOW (Windows): there the lstat before the open is the check. */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export const nodeFileSystem: FileSystem = {
  open: (path, flags) => openNoFollow(path, flags),
  async stat(path) {
    let info: Stats | undefined;
    // On a local disk a lookup costs less than the hand-off to the thread pool (see local-folder.ts).
    if (isLocalFolder(dirname(path))) info = lstatSync(path, { throwIfNoEntry: false });
    else {
      try {
        info = await lstat(path);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
      }
    }
    if (!info) return undefined;
    return {
      size: info.size,
      mtimeMs: info.mtimeMs,
      isFile: info.isFile(),
      isLink: info.isSymbolicLink(),
    };
  },
  async rename(from, to) {
    if (isLocalFolder(dirname(from)) && isLocalFolder(dirname(to))) renameSync(from, to);
    else await rename(from, to);
  },
  remove: (path) => rm(path, { force: true }),
  // Never node's recursive mkdir: it spins forever under a parent that refuses children (see folder.ts).
  // Made once a second at most per folder (every small file asked); a .part opened after the folder went is
  // made again by openNoFollow. The folder's file system type is looked at then too.
  mkdir: freshAnswers(async (dir) => {
    await makeFolder(dir);
    await learnFolder(dir);
  }),
};

/**
 * A shared download folder (a lab's project directory) may hold names planted by other users: a `.part` or a
 * final name that is a link to someone's file would have the download written through it. So the name is
 * opened without following a link (O_NOFOLLOW: a link fails with ELOOP), the open file must be a regular file
 * with one name, and a missing .part is created exclusively (O_EXCL), never by opening whatever appears there.
 */
async function openNoFollow(path: string, flags: 'r' | 'rw'): Promise<OpenFile> {
  if (NOFOLLOW === 0 && (await lstat(path).catch(() => undefined))?.isSymbolicLink()) throw linkRefused(path);
  const base = (flags === 'r' ? constants.O_RDONLY : constants.O_RDWR) | NOFOLLOW;
  let opened: { handle: FileHandle; created: boolean };
  try {
    if (flags === 'rw' && NOFOLLOW !== 0 && isLocalFolder(dirname(path))) {
      const local = openLocally(path, base);
      if (local) return local;
    }
    opened =
      flags === 'rw' && NOFOLLOW !== 0
        ? await openOrCreate(path, base)
        : { handle: await openOrCreateExclusively(path, base, flags), created: false };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw linkRefused(path);
    throw error;
  }
  const { handle, created } = opened;
  // A file this open created (O_EXCL) is a new, empty, regular file with one name: nothing to look at.
  if (created) return Object.assign(handle, { sizeAtOpen: 0 });
  const info = await handle.stat();
  if (!plainFileOfItsOwn(info, flags)) {
    await handle.close();
    throw linkRefused(path);
  }
  return Object.assign(handle, { sizeAtOpen: info.size });
}

/** What an opened name must be: a regular file and, to be written, its only name (no hard link elsewhere). */
function plainFileOfItsOwn(info: Stats, flags: 'r' | 'rw'): boolean {
  return info.isFile() && !(flags === 'rw' && info.nlink > 1);
}

/**
 * openOrCreate's steps made synchronously, for a folder on a local disk (see local-folder.ts), into an FdFile.
 * Undefined when a name is missing (the folder went): the pool's path then makes the folder again.
 */
function openLocally(path: string, base: number): FdFile | undefined {
  let fd: number;
  try {
    fd = openSync(path, base | constants.O_CREAT | constants.O_EXCL, 0o644);
    return new FdFile(fd, { sizeAtOpen: 0, closeSynchronously: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code !== 'EEXIST') throw error;
  }
  try {
    fd = openSync(path, base);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let info: Stats;
  try {
    info = fstatSync(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (!plainFileOfItsOwn(info, 'rw')) {
    closeSync(fd);
    throw linkRefused(path);
  }
  return new FdFile(fd, { sizeAtOpen: info.size, closeSynchronously: true });
}

/**
 * Creates the file exclusively (the usual case: a new .part, and then no fstat is needed), else opens what is
 * there, refusing a link (O_NOFOLLOW: ELOOP, dangling or not); what is found is judged after the open.
 * A folder removed since it was made (the mkdir answer is reused for a second) is made again, once; a name
 * removed between the two opens is created on the next turn.
 */
async function openOrCreate(path: string, base: number): Promise<{ handle: FileHandle; created: boolean }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return { handle: await open(path, base | constants.O_CREAT | constants.O_EXCL, 0o644), created: true };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && attempt === 0) {
        await makeFolder(dirname(path));
        continue;
      }
      if (code !== 'EEXIST') throw error;
    }
    try {
      return { handle: await open(path, base), created: false };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 1) throw error;
    }
  }
}

/**
 * Where the OS has no O_NOFOLLOW, an existing name is opened as it is (the lstat before was the link check)
 * and a missing one is created exclusively, never by opening whatever appeared there meanwhile.
 */
async function openOrCreateExclusively(path: string, base: number, flags: 'r' | 'rw'): Promise<FileHandle> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await open(path, base);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || flags === 'r' || attempt > 0) throw error;
      try {
        return await open(path, base | constants.O_CREAT | constants.O_EXCL, 0o644);
      } catch (created) {
        // Someone made the name between the two opens: judge what is there now, once.
        if ((created as NodeJS.ErrnoException).code !== 'EEXIST') throw created;
      }
    }
  }
}

/** The job's failure when a name in the download folder is a link (or not a plain file of its own). */
export function linkRefused(path: string): AppError {
  return new AppError(
    'path-unsafe',
    `Refused to use ${path}: it is a link or not a plain file, so writing there could change a file elsewhere. Nothing was written through it. Remove it, or choose a folder only you can write to.`,
  );
}
