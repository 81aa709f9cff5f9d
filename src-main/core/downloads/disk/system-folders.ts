import { posix, win32 } from 'node:path';

/**
 * Folders that belong to the operating system: downloads there can be written (as root, or on a lax system)
 * but break things or vanish, so Settings warns before saving one. Checked with the platform's own path rules.
 */
const POSIX_SYSTEM = [
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib64',
  '/boot',
  '/dev',
  '/proc',
  '/sys',
  '/run',
  '/var/lib',
  '/System',
  '/Library',
  '/Applications',
];
const WINDOWS_SYSTEM = ['C:\\Windows', 'C:\\Program Files', 'C:\\Program Files (x86)', 'C:\\ProgramData'];

/** A warning naming the system folder `dir` is in, or null when it is an ordinary place for downloads. */
export function systemFolderWarning(
  dir: string,
  platform: NodeJS.Platform = process.platform,
): string | null {
  const windows = platform === 'win32';
  const path = windows ? win32 : posix;
  const target = path.resolve(dir);
  const roots = windows ? WINDOWS_SYSTEM : POSIX_SYSTEM;
  const root = roots.find((candidate) => {
    // win32.relative compares without case, as Windows does.
    const rel = path.relative(candidate, target);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
  if (!root) return null;
  return `${target} is inside ${root}, a system folder: downloads there can break the system or be removed by updates. Choose a folder in your home or on a data disk.`;
}
