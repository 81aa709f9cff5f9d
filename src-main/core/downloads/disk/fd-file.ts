import { close, closeSync, fstat, fsync, ftruncate, read, write, writev } from 'node:fs';
import type { OpenFile } from './file-system.ts';

/**
 * An OpenFile over a descriptor opened synchronously in a local folder (local-folder.ts), closed the same way
 * there: node's FileHandle can only come from an open through the thread pool. Reads, writes, truncations and
 * fsyncs still go through the pool (they wait for the disk).
 *
 * Like FileHandle, it never lets a call reach a descriptor that was closed (the number may already name another
 * file): close() waits for the calls under way, and any call after it fails with EBADF. One dropped without
 * close() is closed when collected.
 */
export class FdFile implements OpenFile {
  readonly sizeAtOpen: number | undefined;
  private fd: number;
  private readonly closeSynchronously: boolean;
  private running = 0;
  private drained: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(fd: number, options: { sizeAtOpen?: number; closeSynchronously: boolean }) {
    this.fd = fd;
    this.sizeAtOpen = options.sizeAtOpen;
    this.closeSynchronously = options.closeSynchronously;
    leaked.register(this, fd, this);
  }

  write(buffer: Uint8Array, offset: number, length: number, position: number) {
    return this.call<{ bytesWritten: number }>((fd, done) =>
      write(fd, buffer, offset, length, position, (error, bytesWritten) => done(error, { bytesWritten })),
    );
  }

  writev(buffers: readonly Uint8Array[], position: number) {
    return this.call<{ bytesWritten: number }>((fd, done) =>
      writev(fd, buffers as NodeJS.ArrayBufferView[], position, (error, bytesWritten) =>
        done(error, { bytesWritten }),
      ),
    );
  }

  read(buffer: Uint8Array, offset: number, length: number, position: number) {
    return this.call<{ bytesRead: number }>((fd, done) =>
      read(fd, buffer, offset, length, position, (error, bytesRead) => done(error, { bytesRead })),
    );
  }

  truncate(length: number) {
    return this.call<void>((fd, done) => ftruncate(fd, length, (error) => done(error, undefined)));
  }

  stat() {
    return this.call<{ size: number }>((fd, done) =>
      fstat(fd, (error, info) => done(error, { size: info?.size ?? 0 })),
    );
  }

  sync() {
    return this.call<void>((fd, done) => fsync(fd, (error) => done(error, undefined)));
  }

  /**
   * Synchronously where the folder allows it, unless told the writes are not all synced: closing such a file
   * may start its writeback (ext4 does after a truncation), which must not run on the event loop.
   */
  close(options: { synced?: boolean } = {}): Promise<void> {
    this.closing ??= this.closeOnce(this.closeSynchronously && options.synced !== false);
    return this.closing;
  }

  private async closeOnce(synchronously: boolean): Promise<void> {
    if (this.running > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    const fd = this.fd;
    this.fd = -1;
    leaked.unregister(this);
    if (synchronously) closeSync(fd);
    else
      await new Promise<void>((resolve, reject) => close(fd, (error) => (error ? reject(error) : resolve())));
  }

  private call<T>(start: (fd: number, done: (error: Error | null, value: T) => void) => void): Promise<T> {
    if (this.fd < 0 || this.closing) return Promise.reject(badDescriptor());
    this.running++;
    const ended = () => {
      if (--this.running === 0) this.drained?.();
    };
    return new Promise<T>((resolve, reject) => {
      try {
        start(this.fd, (error, value) => {
          ended();
          if (error) reject(error);
          else resolve(value);
        });
      } catch (error) {
        // Refused before it started (bad arguments): nothing is under way.
        ended();
        reject(error);
      }
    });
  }
}

/** Closes the descriptor of an FdFile collected without close(), as node does for a FileHandle. */
const leaked = new FinalizationRegistry<number>((fd) => close(fd, () => {}));

function badDescriptor(): NodeJS.ErrnoException {
  return Object.assign(new Error('EBADF: file already closed'), { code: 'EBADF' });
}
