import { constants } from 'node:fs';
import { access, mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../../../../src-shared/domain/errors.ts';

/**
 * Creating and judging a download folder without Node's `mkdir({ recursive: true })`, which never returns
 * (a libuv worker at 100% of a core, so nothing else on the file system pool finishes and the process cannot
 * exit) when a parent exists but refuses children with ENOENT, as /proc does (`mkdir -p /proc/nope/x`).
 * Here each missing level is made on its own, from the nearest existing parent down, so every failure ends.
 */

/** Why a folder cannot hold downloads; each with a sentence saying what to do. */
export type FolderProblem =
  | 'not-absolute'
  | 'permission'
  | 'not-a-folder'
  | 'read-only'
  | 'no-space'
  | 'cannot-create';

export type FolderVerdict =
  | { ok: true; exists: boolean }
  | { ok: false; problem: FolderProblem; message: string };

/**
 * Makes `dir` and its missing parents one level at a time; throws an AppError('io-error') naming the folder.
 * `mode` applies to the levels it creates (0o700 for state folders).
 */
export async function makeFolder(dir: string, mode?: number): Promise<void> {
  const target = resolve(dir);
  const found = await nearestFolder(target);
  if ('blockedBy' in found) throw folderError(target, 'not-a-folder', found.blockedBy);
  for (const level of found.missing) {
    try {
      await mkdir(level, mode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await kindOf(level)) === 'folder') continue;
      throw folderError(target, problemOf(code), level);
    }
  }
}

/**
 * Whether downloads can be saved in `dir`: absolute, creatable and writable (a probe file is created and
 * removed in it, or in its nearest existing parent when it does not exist yet, so read-only mounts and
 * root-owned folders are caught as well as permission bits). Creates nothing that stays.
 */
export async function checkFolder(dir: string): Promise<FolderVerdict> {
  if (!isAbsolute(dir)) {
    return refuse('not-absolute', dir, dir);
  }
  const target = resolve(dir);
  const found = await nearestFolder(target);
  if ('blockedBy' in found) return refuse('not-a-folder', target, found.blockedBy);
  const existing = found.folder;
  try {
    await access(existing, constants.W_OK | constants.X_OK);
    const probe = join(existing, `.4dn-dl-probe-${process.pid}-${Date.now()}`);
    if (existing !== target) {
      // Make (and remove) the first missing level, to catch parents that refuse children (/proc, /sys).
      await mkdir(probe);
      await rm(probe, { recursive: true, force: true });
    } else {
      const handle = await open(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      await handle.close();
      await rm(probe, { force: true });
    }
  } catch (error) {
    return refuse(problemOf((error as NodeJS.ErrnoException).code), target, existing);
  }
  return { ok: true, exists: existing === target };
}

function refuse(problem: FolderProblem, target: string, where: string): FolderVerdict {
  return { ok: false, problem, message: folderMessage(target, problem, where) };
}

export function folderError(target: string, problem: FolderProblem, where: string): AppError {
  return new AppError(
    problem === 'no-space' ? 'disk-full' : 'io-error',
    folderMessage(target, problem, where),
  );
}

function folderMessage(target: string, problem: FolderProblem, where: string): string {
  const at = where === target ? '' : ` (at ${where})`;
  switch (problem) {
    case 'not-absolute':
      return `${target} is not a full path: give the folder from the root, such as /home/you/downloads.`;
    case 'permission':
      return `Cannot write to ${target}${at}: permission denied. Choose a folder you own, or ask its owner for write access.`;
    case 'not-a-folder':
      return `Cannot save into ${target}: ${where} is a file, not a folder. Choose another folder.`;
    case 'read-only':
      return `Cannot write to ${target}${at}: the file system is read-only. Choose a folder on a writable disk.`;
    case 'no-space':
      return `Cannot write to ${target}${at}: the disk is full. Free some space or choose another disk.`;
    case 'cannot-create':
      return `Cannot create ${target}${at}: this location does not hold ordinary folders. Choose a folder in your home or data disk.`;
  }
}

export function problemOf(code: string | undefined): FolderProblem {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'not-a-folder';
    case 'EROFS':
      return 'read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'no-space';
    default:
      return 'cannot-create';
  }
}

/**
 * The nearest existing folder at or above `target` and the levels below it still to make (top first), or the
 * first path on the way up that exists but is not a folder.
 */
async function nearestFolder(
  target: string,
): Promise<{ folder: string; missing: string[] } | { blockedBy: string }> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    const kind = await kindOf(current);
    if (kind === 'folder') return { folder: current, missing };
    if (kind === 'other') return { blockedBy: current };
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) return { folder: current, missing };
    current = parent;
  }
}

async function kindOf(path: string): Promise<'folder' | 'other' | 'missing'> {
  try {
    // The chosen folder and its parents may be links (macOS's /tmp, a lab's /data); links *inside* the
    // download folder are another matter, refused where files are opened.
    const info = await stat(path);
    return info.isDirectory() ? 'folder' : 'other';
  } catch {
    return 'missing';
  }
}
