import type { Hash } from 'node:crypto';
import { createHasher, type HashAlgorithm } from './checksum.ts';

/** Files up to this size are hashed on the main thread from the chunks written (see ChunkHasher). */
export const CHUNK_HASH_MAX_BYTES = 1024 * 1024;

/**
 * Hashes a small download from the very buffers handed to the .part file's write, in order, on the main thread.
 * For a 64 KiB file the hash worker's round trips (open, finish, close messages, a thread wake-up and a read
 * back) cost more than the md5 itself; a file this small never holds the sockets up for long. The digest is of
 * the bytes on disk: each chunk is fed only after its write completed, at the position it was written to, and
 * any gap, overlap or rewrite (a resume, a cut back) gives no digest at all, so the caller hashes the finished
 * .part file itself: never a verification the bytes on disk would not give.
 */
export class ChunkHasher {
  private hash: Hash | undefined;
  private hashed: number;

  constructor(algorithm: HashAlgorithm, from: number) {
    // Bytes already on disk before this run were never seen here: no digest can cover them.
    this.hash = from === 0 ? createHasher(algorithm) : undefined;
    this.hashed = from;
  }

  /** The chunks were written at `at`, in order, and the write succeeded. */
  written(chunks: readonly Buffer[], at: number): void {
    if (!this.hash) return;
    if (at !== this.hashed) {
      this.hash = undefined;
      return;
    }
    for (const chunk of chunks) {
      this.hash.update(chunk);
      this.hashed += chunk.length;
    }
  }

  /** Nothing to catch up on: the bytes were hashed as they were written. */
  advance(_end: number): void {}

  /** The hex digest when exactly bytes [0, size) were hashed; undefined otherwise. */
  async finish(size: number): Promise<string | undefined> {
    const hash = this.hash;
    this.hash = undefined;
    return hash && this.hashed === size ? hash.digest('hex') : undefined;
  }

  dispose(): void {
    this.hash = undefined;
  }
}
