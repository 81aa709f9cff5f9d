import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FdFile } from '../downloads/disk/fd-file.ts';
import { makeFolder } from '../downloads/disk/folder.ts';
import { isLocalFolder } from '../downloads/disk/local-folder.ts';
import { GroupCommit } from './group-commit.ts';

/**
 * Replaces a file so that a crash at any moment leaves either the old or the new content, never a mix:
 * write a temporary sibling, fsync it, rename it over the target, fsync the folder.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await makeFolder(dirname(path));
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'w', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** The folder fsyncs running or waiting, by folder. */
const folderSyncs = new Map<string, GroupCommit>();

/**
 * Makes the renames done in `dir` durable. One fsync of a folder covers every rename made before it starts, so
 * callers that arrive while one runs share the next one instead of each paying for their own (1,000 small
 * downloads finishing eight at a time made 1,000 folder fsyncs before).
 */
export function syncDirectory(dir: string): Promise<void> {
  let sync = folderSyncs.get(dir);
  if (!sync) {
    sync = new GroupCommit(() => fsyncDirectory(dir));
    folderSyncs.set(dir, sync);
  }
  const done = sync.next();
  const own = sync;
  void done.then(() => {
    if (own.idle && folderSyncs.get(dir) === own) folderSyncs.delete(dir);
  });
  return done;
}

/** Not every platform can open a folder for fsync, so it is best effort (and never rejects). */
async function fsyncDirectory(dir: string): Promise<void> {
  try {
    // On a local disk the folder is opened and closed without the thread pool (see local-folder.ts).
    const handle = isLocalFolder(dir)
      ? new FdFile(openSync(dir, 'r'), { closeSynchronously: true })
      : await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}
