import { close, closeSync, fstat, fsync, ftruncate, read, write, writev } from 'node:fs';
import type { OpenFile } from './file-system.ts';

/**
 * An OpenFile over a descriptor opened synchronously in a local folder (local-folder.ts), closed the same way
 * there: node's FileHandle can only come from an open through the thread pool. Reads, writes, truncations and
 * fsyncs still go through the pool (they wait for the disk).
 *
 * Like FileHandle, it never lets a call reach a descriptor that was closed (the number may already name another
 * file): close() waits for the calls under way, and any call after it fails with EBADF.
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

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    if (this.running > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    const fd = this.fd;
    this.fd = -1;
    if (this.closeSynchronously) closeSync(fd);
    else
      await new Promise<void>((resolve, reject) => close(fd, (error) => (error ? reject(error) : resolve())));
  }

  private call<T>(start: (fd: number, done: (error: Error | null, value: T) => void) => void): Promise<T> {
    if (this.fd < 0 || this.closing) return Promise.reject(badDescriptor());
    this.running++;
    return new Promise<T>((resolve, reject) => {
      start(this.fd, (error, value) => {
        if (--this.running === 0) this.drained?.();
        if (error) reject(error);
        else resolve(value);
      });
    });
  }
}

function badDescriptor(): NodeJS.ErrnoException {
  return Object.assign(new Error('EBADF: file already closed'), { code: 'EBADF' });
}
