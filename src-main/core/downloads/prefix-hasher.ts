import type { Hash } from 'node:crypto';
import { createHasher, type HashAlgorithm, hashFileRange, type ReadableFile } from './checksum.ts';
import type { Segment } from './segments.ts';

/** Read back and hash once this much more of the prefix is on disk: fewer, larger reads. */
const STEP = 8 * 1024 * 1024;

/** Where the file's contiguous, fully written prefix ends: segments in order, up to the first unfinished one. */
export function contiguousEnd(segments: readonly Segment[]): number {
  for (const segment of segments) {
    if (segment.start + segment.done < segment.end) return segment.start + segment.done;
  }
  return segments.at(-1)?.end ?? 0;
}

/**
 * Hashes a segmented download while it arrives: the contiguous prefix is read back from the .part file (fresh
 * in the page cache) as it grows, so verification is mostly done when the last segment lands, instead of a
 * second pass over the whole file afterwards. After a restart it simply starts from byte 0.
 */
export class PrefixHasher {
  private readonly file: ReadableFile;
  private readonly hash: Hash;
  private readonly signal: AbortSignal;
  private hashed = 0;
  private wanted = 0;
  private running: Promise<void> | undefined;

  constructor(file: ReadableFile, algorithm: HashAlgorithm, signal: AbortSignal) {
    this.file = file;
    this.hash = createHasher(algorithm);
    this.signal = signal;
  }

  /** The prefix now reaches `end`; hashing catches up in the background once it is a step ahead. */
  advance(end: number): void {
    this.wanted = Math.max(this.wanted, end);
    if (!this.running && this.wanted - this.hashed >= STEP) this.running = this.catchUp();
  }

  /** Hashes the rest up to `size` and returns the hex digest. */
  async finish(size: number): Promise<string> {
    await this.running;
    this.wanted = size;
    await this.catchUp();
    return this.hash.digest('hex');
  }

  private async catchUp(): Promise<void> {
    try {
      while (this.hashed < this.wanted && !this.signal.aborted) {
        const end = this.wanted;
        this.hashed += await hashFileRange(this.file, this.hash, this.hashed, end, this.signal);
      }
    } catch {
      // A stopped job (abort) ends here quietly; the next run of the job starts a new hasher.
    } finally {
      this.running = undefined;
    }
  }
}
