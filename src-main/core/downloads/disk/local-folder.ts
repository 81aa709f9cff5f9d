import { statfs } from 'node:fs/promises';

/**
 * Which download folders are on a local file system, where a name lookup, a create, a close or a rename is
 * answered in microseconds from memory or the local disk's journal. There the engine makes those calls
 * synchronously: through libuv's thread pool each costs a hand-off to a worker thread and back (a futex wake
 * and a loop wake-up, 40 to 80 us of main-thread CPU each on a 2-core VM), several times what the call itself
 * costs, and a small file makes about six of them (docs/architecture.md, "Small files").
 *
 * Anywhere else (NFS, SMB, FUSE, a cluster file system, any type not listed, any OS but Linux, whose statfs
 * does not name the type) every call stays on the pool: a network mount that hangs must never block the event
 * loop, whose timers stop stalled downloads and whose signal handlers let Ctrl-C end the program.
 * fsync and data writes always stay on the pool, local or not: they wait for the disk.
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

const verdicts = new Map<string, boolean>();

/** Whether calls for names in `dir` may be made synchronously: only once learnFolder found it local. */
export function isLocalFolder(dir: string): boolean {
  return verdicts.get(dir) === true;
}

/**
 * Looks up `dir`'s file system type (asynchronously: statfs itself may hang on a dead mount). Called where the
 * engine makes sure a download folder exists, once a second at most per folder, so a mount made over the
 * folder meanwhile is noticed within a second. Never throws: an unknown type is not local.
 */
export async function learnFolder(dir: string): Promise<void> {
  if (process.platform !== 'linux') return;
  try {
    verdicts.set(dir, LOCAL_TYPES.has((await statfs(dir)).type));
  } catch {
    verdicts.set(dir, false);
  }
}
