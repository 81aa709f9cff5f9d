import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/domain/errors.ts';

export interface QueueLock {
  release(): Promise<void>;
}

/**
 * One process per queue journal: the desktop app, the web host and the CLI can all point at the same folder,
 * and two writers would interleave appends and undo each other's compactions. The lock file names its owner;
 * a lock left by a process that no longer runs (a crash, kill -9) is taken over.
 */
export async function lockQueue(dir: string, fileName = 'queue.lock'): Promise<QueueLock> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, fileName);
  const owner = `${process.pid} ${hostname()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(owner);
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readOwner(path);
    if (holder && holder.host === hostname() && isRunning(holder.pid)) {
      throw new AppError(
        'in-use',
        `The download queue in ${dir} is in use by another 4DN Downloader (process ${holder.pid}): close that one, or give this one its own folder (--data-dir).`,
      );
    }
    await rm(path, { force: true });
  }
  throw new AppError('in-use', `Could not take the queue lock in ${dir}: another process keeps taking it.`);
}

async function readOwner(path: string): Promise<{ pid: number; host: string } | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const [pid, host] = text.trim().split(' ');
  const number = Number(pid);
  return Number.isInteger(number) && number > 0 ? { pid: number, host: host ?? '' } : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
