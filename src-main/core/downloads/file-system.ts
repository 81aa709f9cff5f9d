import { constants } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import type { ReadableFile } from './checksum.ts';
import { makeFolder } from './folder.ts';

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
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The file operations downloads make: a seam so tests can inject faults (a full disk) without mocking modules. */
export interface FileSystem {
  /** 'r' reads; 'rw' reads and writes, creating the file when missing and never truncating it. */
  open(path: string, flags: 'r' | 'rw'): Promise<OpenFile>;
  /** Size and modification time, or undefined when nothing has that name. */
  stat(path: string): Promise<{ size: number; mtimeMs: number; isFile: boolean } | undefined>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  mkdir(dir: string): Promise<void>;
}

export const nodeFileSystem: FileSystem = {
  open: (path, flags) => open(path, flags === 'r' ? 'r' : constants.O_RDWR | constants.O_CREAT, 0o644),
  async stat(path) {
    try {
      const info = await stat(path);
      return { size: info.size, mtimeMs: info.mtimeMs, isFile: info.isFile() };
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path, { force: true }),
  // Never node's recursive mkdir: it spins forever under a parent that refuses children (see folder.ts).
  mkdir: (dir) => makeFolder(dir),
};
