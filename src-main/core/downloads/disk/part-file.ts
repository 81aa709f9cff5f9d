import { dirname } from 'node:path';
import { AppError } from '../../../../src-shared/domain/errors.ts';
import type { Semaphore } from '../queue/semaphore.ts';
import { diskFullError, isDiskFullError } from './disk.ts';
import type { FileSystem, OpenFile } from './file-system.ts';
import { folderError, problemOf } from './folder.ts';

/**
 * Start flushing to disk in the background after this many bytes written: the final fsync before the rename
 * then has little left to do (a 1 GiB file's final fsync alone took 0.45 s here), and the flush overlaps the
 * transfer instead of following it.
 */
const FLUSH_EVERY = 64 * 1024 * 1024;

/**
 * The `<name>.part` file a download writes into, beside its final name. Writes land at explicit positions
 * (segments write out of order); a full disk becomes a `disk-full` error that pauses the job, keeping bytes.
 */
export class PartFile {
  readonly path: string;
  private readonly file: OpenFile;
  private readonly release: () => void;
  /** Bytes still to come, for the disk-full message. */
  remaining = 0;
  private unflushed = 0;
  private flushing: Promise<void> | undefined;
  /**
   * Counts the changes (writes, truncations) made; `syncedChanges` is the count the last good fsync covered.
   * -1 at first: bytes found in the .part (left by a run that was killed) may not be on the disk yet.
   */
  private changes = 0;
  private syncedChanges = -1;
  /**
   * The first fsync failure. Never retried on this descriptor: Linux reports a writeback error once, and the
   * pages that failed may be marked clean, so a second fsync can succeed with the bytes lost.
   */
  private syncFailure: unknown;
  /** The file's length once known: only this object writes the .part, so it is kept up to date, not re-read. */
  private knownLength: number | undefined;

  private constructor(path: string, file: OpenFile, release: () => void) {
    this.path = path;
    this.file = file;
    this.release = release;
    this.knownLength = file.sizeAtOpen;
  }

  /** Opens (creating if needed) without truncating: bytes already there are kept for resume. */
  static async open(
    fs: FileSystem,
    path: string,
    handles: Semaphore,
    signal?: AbortSignal,
  ): Promise<PartFile> {
    const release = await handles.acquire(signal);
    try {
      const file = await fs.open(path, 'rw');
      return new PartFile(path, file, release);
    } catch (error) {
      release();
      throw ioError(error, path, 0);
    }
  }

  /** Writes the chunks in order from `position`: one writev, and the rest one chunk at a time if it fell short. */
  async write(chunks: readonly Uint8Array[], position: number): Promise<void> {
    let at = position;
    try {
      let skip = chunks.length > 1 ? (await this.file.writev(chunks, position)).bytesWritten : 0;
      for (const chunk of chunks) {
        let written = Math.min(skip, chunk.length);
        skip -= written;
        while (written < chunk.length) {
          const { bytesWritten } = await this.file.write(
            chunk,
            written,
            chunk.length - written,
            at + written,
          );
          written += bytesWritten;
        }
        at += chunk.length;
      }
    } catch (error) {
      // A write that failed part way may still have lengthened the file.
      this.knownLength = undefined;
      throw ioError(error, this.path, this.remaining);
    } finally {
      // Counted once the write is over: an fsync started while it ran is not taken to cover it.
      this.changes++;
    }
    if (this.knownLength !== undefined) this.knownLength = Math.max(this.knownLength, at);
    this.unflushed += at - position;
    if (this.unflushed >= FLUSH_EVERY && !this.flushing) this.startFlush();
  }

  /**
   * The transfer wrote its last byte: send the rest on its way to the disk now, while the hash catches up, so
   * the fsync before the rename finds nothing left to write (it was 30 to 60 ms after the hash of a large file).
   */
  flushRest(): void {
    if (this.unflushed > 0) this.startFlush();
  }

  /**
   * Durability still comes from sync() before the rename, which also reports a failure of this flush. A flush
   * that covered every change lets sync() skip its own fsync (one fewer per small file).
   */
  private startFlush(): void {
    this.unflushed = 0;
    const flush: Promise<void> = (this.flushing ?? Promise.resolve())
      .then(() => this.syncNow())
      .catch(() => {})
      .then(() => {
        if (this.flushing === flush) this.flushing = undefined;
      });
    this.flushing = flush;
  }

  async length(): Promise<number> {
    if (this.knownLength !== undefined) return this.knownLength;
    try {
      this.knownLength = (await this.file.stat()).size;
      return this.knownLength;
    } catch (error) {
      throw ioError(error, this.path, this.remaining);
    }
  }

  async truncate(length: number): Promise<void> {
    // A new .part is truncated to 0 when its first response starts: nothing to do when it is that long already.
    if (this.knownLength === length) return;
    try {
      await this.file.truncate(length);
      this.knownLength = length;
    } catch (error) {
      this.knownLength = undefined;
      throw ioError(error, this.path, this.remaining);
    } finally {
      this.changes++;
    }
  }

  /**
   * Every byte written so far is on the disk when this resolves (an fsync, unless a flush already did it).
   * After any failed fsync it throws, and the .part is emptied: its bytes on disk cannot be trusted, while the
   * page cache (which a hash reads) may still hold the good ones.
   */
  async sync(): Promise<void> {
    await this.flushing;
    if (this.allSynced) return;
    try {
      await this.syncNow();
    } catch {
      await this.file.truncate(0).catch(() => {});
      this.knownLength = undefined;
      throw ioError(this.syncFailure, this.path, this.remaining);
    }
  }

  /** Every change so far is covered by an fsync that succeeded, and none has failed. */
  private get allSynced(): boolean {
    return this.syncFailure === undefined && this.syncedChanges === this.changes;
  }

  /** The changes counted when the fsync starts are those it covers (a write racing it is counted after). */
  private async syncNow(): Promise<void> {
    if (this.syncFailure !== undefined) throw this.syncFailure;
    const covered = this.changes;
    try {
      await this.file.sync();
    } catch (error) {
      this.syncFailure ??= error;
      throw error;
    }
    this.syncedChanges = Math.max(this.syncedChanges, covered);
  }

  async close(): Promise<void> {
    try {
      await this.flushing;
      // Bytes not yet synced may make the close itself start writeback (ext4 does after a truncation): then
      // not on the event loop (an FdFile closes synchronously only when told it is synced).
      await this.file.close({ synced: this.allSynced });
    } catch {
      /* closing a file we are done with cannot lose data we still need */
    } finally {
      this.release();
    }
  }
}

const FOLDER_REFUSALS = new Set(['EACCES', 'EPERM', 'EROFS']);

export function ioError(error: unknown, path: string, needed: number): AppError {
  if (error instanceof AppError) return error;
  if (isDiskFullError(error)) return diskFullError(needed, dirname(path));
  const code = (error as { code?: string }).code ?? 'unknown';
  // The folder refuses files: say so, and what to do, as for a folder that cannot be made.
  if (FOLDER_REFUSALS.has(code)) return folderError(dirname(path), problemOf(code), dirname(path));
  return new AppError(
    'io-error',
    `Could not write ${path} (${code}). Check the folder exists and is writable.`,
    {
      cause: error,
    },
  );
}
