import { readFile, realpath, statfs } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FRESH_MS } from './fresh-answers.ts';

/**
 * Which download folders are on a local file system, where a name lookup, a create, a close or a rename is
 * answered in microseconds from memory or the local disk's journal. There the engine makes those calls
 * synchronously: through libuv's thread pool each costs a hand-off to a worker thread and back (a futex wake
 * and a loop wake-up, 40 to 80 us of main-thread CPU each on a 2-core VM), several times what the call itself
 * costs, and a small file makes about six of them (docs/architecture.md, "Small files").
 *
 * Anywhere else (NFS, SMB, FUSE, a cluster file system, any type not listed, a mount with `sync` or `dirsync`
 * whose creates and renames wait for the disk, any OS but Linux, whose statfs does not name the type) every
 * call stays on the pool: a mount that hangs must never block the event loop, whose timers stop stalled
 * downloads and whose signal handlers let Ctrl-C end the program. fsync and data writes always stay on the
 * pool, local or not: they wait for the disk.
 */

/** Linux statfs f_type magic numbers (linux/magic.h) of file systems on local block devices or in memory. */
const LOCAL_TYPES = new Set([
  0xef53, // ext2, ext3, ext4
  0x58465342, // xfs
  0x9123683e, // btrfs
  0xf2f52010, // f2fs
  0x2fc12fc1, // zfs
  0x01021994, // tmpfs
  0x858458f6, // ramfs
  0x794c7630, // overlayfs (containers)
]);

/**
 * How long a verdict is trusted. The engine looks again whenever it makes sure of a folder (once a second at
 * most, fresh-answers.ts), so a busy folder always has a fresh one; a call long after (the rename at the end of
 * an hours-long download) goes through the pool, in case another mount has been put over the folder since.
 */
const TRUSTED_FOR_MS = 2 * FRESH_MS;

const verdicts = new Map<string, { local: boolean; at: number }>();

/** Whether calls for names in `dir` may be made synchronously: only if learnFolder found it local just now. */
export function isLocalFolder(dir: string, now: number = Date.now()): boolean {
  const verdict = verdicts.get(resolve(dir));
  return verdict?.local === true && now - verdict.at < TRUSTED_FOR_MS;
}

/**
 * Looks up `dir`'s file system type and mount options (asynchronously: statfs itself may hang on a dead
 * mount). Never throws: whatever cannot be told is not local.
 */
export async function learnFolder(dir: string): Promise<void> {
  if (process.platform !== 'linux') return;
  const key = resolve(dir);
  let local = false;
  try {
    const [info, real, mounts] = await Promise.all([
      statfs(key),
      realpath(key),
      readFile('/proc/self/mountinfo', 'utf8'),
    ]);
    const options = mountOptions(mounts, real);
    local =
      LOCAL_TYPES.has(info.type) &&
      options !== undefined &&
      !options.includes('sync') &&
      !options.includes('dirsync');
  } catch {
    local = false;
  }
  verdicts.set(key, { local, at: Date.now() });
}

/**
 * The options (per mount and per file system, together) of the mount holding `path` (absolute, links
 * resolved), from /proc/self/mountinfo: the last mount at the longest mount point above it.
 */
export function mountOptions(mountinfo: string, path: string): string[] | undefined {
  let best: { point: string; options: string[] } | undefined;
  for (const line of mountinfo.split('\n')) {
    // ID PARENT MAJOR:MINOR ROOT MOUNT-POINT MOUNT-OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER-OPTIONS
    const fields = line.split(' ');
    const dash = fields.indexOf('-', 6);
    if (dash < 0) continue;
    const point = unescapeOctal(fields[4] ?? '');
    if (!(point === '/' || path === point || path.startsWith(`${point}/`))) continue;
    if (best && point.length < best.point.length) continue;
    best = { point, options: [...(fields[5] ?? '').split(','), ...(fields[dash + 3] ?? '').split(',')] };
  }
  return best?.options;
}

/** mountinfo writes a space, tab, newline or backslash in a path as \040, \011, \012, \134. */
function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}
