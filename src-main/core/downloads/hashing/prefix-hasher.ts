import type { Segment } from '../job/segments.ts';
import type { HashAlgorithm } from './checksum.ts';
import { hashWorker } from './hash-worker.ts';

/** Ask the worker to read on once this much more of the prefix is on disk: fewer, larger reads. */
const STEP = 8 * 1024 * 1024;

/** Where the file's contiguous, fully written prefix ends: segments in order, up to the first unfinished one. */
export function contiguousEnd(segments: readonly Segment[]): number {
  for (const segment of segments) {
    if (segment.start + segment.done < segment.end) return segment.start + segment.done;
  }
  return segments.at(-1)?.end ?? 0;
}

/**
 * Hashes a download while it arrives, one stream or many segments alike: the contiguous prefix is read back
 * from the .part file (fresh in the page cache) by the hash worker as it grows, so verification is mostly done
 * when the last byte lands, and the main thread keeps to the sockets. node's hashes cannot be persisted: after
 * a restart a new hasher starts from byte 0, which is cheap next to downloading the prefix again.
 */
export class PrefixHasher {
  private readonly id: number;
  private readonly signal: AbortSignal;
  private requested = 0;
  private settled = false;
  // A stopped download drops its hash at once, even while its digest is awaited (pause must not wait for it).
  private readonly onAbort = () => hashWorker.close(this.id);

  constructor(path: string, algorithm: HashAlgorithm, signal: AbortSignal) {
    this.id = hashWorker.open(path, algorithm);
    this.signal = signal;
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The bytes before `end` are written (and stay as they are); hashing catches up in the background. */
  advance(end: number): void {
    if (this.settled || end - this.requested < STEP) return;
    this.requested = end;
    hashWorker.hashTo(this.id, end);
  }

  /**
   * Hashes the rest up to `size` and returns the hex digest; undefined when the worker could not (the caller
   * then hashes the finished file itself: a lost worker costs time, never a verification).
   */
  async finish(size: number): Promise<string | undefined> {
    if (this.settled) return undefined;
    this.settled = true;
    try {
      const answer = await hashWorker.finish(this.id, size);
      return answer.error === undefined && answer.hashed === size ? answer.digest : undefined;
    } finally {
      this.signal.removeEventListener('abort', this.onAbort);
    }
  }

  /** Drops the hash: the download stopped, or its file was cut back and a new hasher takes over. */
  dispose(): void {
    if (this.settled) return;
    this.settled = true;
    this.signal.removeEventListener('abort', this.onAbort);
    hashWorker.close(this.id);
  }
}
