import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeFolder } from '../downloads/disk/folder.ts';

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

/** The fsync running for each folder, and the one queued after it that later callers share. */
const running = new Map<string, Promise<void>>();
const queued = new Map<string, Promise<void>>();

/**
 * Makes the renames done in `dir` durable. One fsync of a folder covers every rename made before it starts, so
 * callers that arrive while one runs share the next one instead of each paying for their own (1,000 small
 * downloads finishing eight at a time made 1,000 folder fsyncs before).
 */
export function syncDirectory(dir: string): Promise<void> {
  const next = queued.get(dir);
  if (next) return next;
  const current = running.get(dir);
  if (!current) return startSync(dir);
  const after = current.then(() => {
    queued.delete(dir);
    return startSync(dir);
  });
  queued.set(dir, after);
  return after;
}

function startSync(dir: string): Promise<void> {
  const sync = fsyncDirectory(dir).finally(() => {
    if (running.get(dir) === sync) running.delete(dir);
  });
  running.set(dir, sync);
  return sync;
}

/** Not every platform can open a folder for fsync, so it is best effort (and never rejects). */
async function fsyncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}
