import { createHash } from 'node:crypto';
import { readFile, realpath, rm, stat, utimes } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/domain/errors.ts';
import { makeFolder } from '../downloads/disk/folder.ts';
import { writeFileAtomic } from './atomic-file.ts';

export interface QueueLock {
  release(): Promise<void>;
}

/** How often a holder touches its info file, and how old that touch may be before another host takes over. */
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 60_000;

/** What the info file beside the lock says about its holder (for the message, and for other hosts). */
export interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

/**
 * One process per queue journal: the desktop app, the web host and the CLI can all point at the same folder,
 * and two writers would interleave appends and undo each other's compactions.
 *
 * On one machine the lock is a listening local socket (a named pipe on Windows): the kernel closes it the
 * moment its holder dies, even while the dead process waits unreaped as a zombie, and nothing depends on
 * whether a pid is running (pids are reused). A holder on another machine sharing the folder (NFS) cannot be
 * seen that way, so the info file `fileName` names host and pid, and its holder touches it every HEARTBEAT_MS:
 * another host's lock holds while that touch is fresher than STALE_AFTER_MS.
 */
export async function lockQueue(
  dir: string,
  fileName = 'queue.lock',
  options: { heartbeatMs?: number } = {},
): Promise<QueueLock> {
  await makeFolder(dir);
  const infoPath = join(dir, fileName);
  const address = socketAddress(join(await realpath(dir), fileName));
  const server = await listenOnce(address, dir, infoPath);
  try {
    const foreign = await foreignHolder(infoPath);
    if (foreign) throw inUse(dir, foreign);
    const mine: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
    await writeFileAtomic(infoPath, `${JSON.stringify(mine)}\n`);
    const heartbeat = setInterval(() => {
      const now = new Date();
      utimes(infoPath, now, now).catch(() => {});
    }, options.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref();
    let released = false;
    return {
      async release() {
        if (released) return;
        released = true;
        clearInterval(heartbeat);
        // The info file goes first, while the socket still keeps other processes on this host out.
        if (isOurs(await readInfo(infoPath), mine)) await rm(infoPath, { force: true });
        await closeServer(server, address);
      },
    };
  } catch (error) {
    await closeServer(server, address);
    throw error;
  }
}

/** Listens on the lock's address; a live listener there means another holder, a dead one's leftover is removed. */
async function listenOnce(address: string, dir: string, infoPath: string): Promise<Server> {
  for (let attempt = 0; attempt < DYING_CHECKS; attempt++) {
    try {
      return await listen(address);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
    if (await answers(address)) {
      const holder = await readInfo(infoPath);
      // A killed holder's leader thread shows as a zombie while its other threads are still closing its files:
      // its socket answers for a few more milliseconds. Wait for that, never for a live holder.
      if (holder && holder.host === hostname() && (await isDying(holder.pid))) {
        await new Promise((done) => setTimeout(done, 100));
        continue;
      }
      throw inUse(dir, holder ?? { pid: 0, host: hostname(), started: '' });
    }
    // A socket file left by a holder that died (ECONNREFUSED): the kernel no longer listens on it.
    if (!isPipeOrAbstract(address)) await rm(address, { force: true });
  }
  throw new AppError('in-use', `Could not take the queue lock in ${dir}: another process keeps taking it.`);
}

/** At most this many looks (100 ms apart) at a holder that is exiting; then it counts as live. */
const DYING_CHECKS = 30;

/** Whether this host's process `pid` is gone or exiting (a zombie, Linux's /proc state Z or X). */
async function isDying(pid: number): Promise<boolean> {
  if (pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

/** Another host's holder whose heartbeat is still fresh; this host's own are judged by the socket alone. */
async function foreignHolder(infoPath: string): Promise<LockInfo | undefined> {
  const info = await readInfo(infoPath);
  if (!info || info.host === hostname()) return undefined;
  const touched = await stat(infoPath).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  return Date.now() - touched < STALE_AFTER_MS ? info : undefined;
}

async function readInfo(path: string): Promise<LockInfo | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockInfo>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host, started: String(parsed.started ?? '') };
    }
  } catch {
    /* missing, or an older version's "pid host" line: nothing to learn from it */
  }
  return undefined;
}

function isOurs(info: LockInfo | undefined, mine: LockInfo): boolean {
  return info?.pid === mine.pid && info.host === mine.host && info.started === mine.started;
}

function inUse(dir: string, holder: LockInfo): AppError {
  const who = holder.pid > 0 ? ` (pid ${holder.pid} on host ${holder.host})` : '';
  return new AppError(
    'in-use',
    `The download queue in ${dir} is in use by another 4DN Downloader${who}: close that one, or give this one its own folder (--data-dir).`,
  );
}

/**
 * Where the lock listens, keyed by the lock's real path. Windows: a named pipe. Linux: the abstract socket
 * namespace (no file to leave behind, no path length limit). Other Unix: a socket file beside the lock, or
 * under the temporary folder when that path is longer than a socket address may be (about 104 bytes).
 */
export function socketAddress(lockPath: string, platform: NodeJS.Platform = process.platform): string {
  const key = createHash('sha256').update(lockPath).digest('hex').slice(0, 32);
  if (platform === 'win32') return `\\\\?\\pipe\\4dn-downloader-${key}`;
  if (platform === 'linux') return `\0/4dn-downloader/lock-${key}`;
  const beside = `${lockPath}.sock`;
  return Buffer.byteLength(beside) <= 100 ? beside : join(tmpdir(), `4dn-downloader-${key}.sock`);
}

function isPipeOrAbstract(address: string): boolean {
  return address.startsWith('\0') || address.startsWith('\\\\');
}

function listen(address: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      // The lock must not keep a finished process alive.
      server.unref();
      resolve(server);
    });
  });
}

/** True when something listens at `address` (a live holder); false when nobody does (refused, or no file). */
function answers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function closeServer(server: Server, address: string): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!isPipeOrAbstract(address)) await rm(address, { force: true });
}
