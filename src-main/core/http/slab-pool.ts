/**
 * The memory storage bodies are received into: 1 MiB slabs that the socket reads into directly (net's `onread`
 * user buffers, see body-socket.ts) and that are used again once their bytes are on disk, instead of a fresh
 * ArrayBuffer per socket read for the garbage collector (node:http's way, which cost most of the main thread's
 * CPU on a big file and tens of MiB of dead buffers). docs/architecture.md, "Receiving a body".
 *
 * A body's bytes are handed out as views into a slab; each view (or the pieces it was cut into) must be given back
 * with `release` once nobody reads it any more (the batch writer does so after its write). A slab returns to the
 * free list when the reader has moved past it and every view of it is back.
 */
export const SLAB_BYTES = 1024 * 1024;

/** Below this much room left, a reader moves to a fresh slab rather than ask the kernel for a few bytes. */
export const SLAB_MIN_ROOM = 64 * 1024;

/** Slabs kept for the next reads: beyond these, released ones go to the garbage collector. */
const FREE_KEPT = 16;

interface Slab {
  memory: Buffer;
  /** Bytes handed out in views and not released yet (bytes, so a view may be given back in pieces). */
  lent: number;
  /** The reader is done filling it: it can go back once `lent` is 0. */
  retired: boolean;
}

export class SlabPool {
  private readonly free: Buffer[] = [];
  // Weak: a view dropped without `release` (a write that failed, a body abandoned) only costs its slab's reuse;
  // the slab goes to the garbage collector with its last view.
  private readonly active = new WeakMap<ArrayBufferLike, Slab>();
  private outstanding = 0;

  /** A slab to read into; give it back with `retire` when moving past it. */
  take(): Buffer {
    const memory = this.free.pop() ?? Buffer.allocUnsafeSlow(SLAB_BYTES);
    this.active.set(memory.buffer, { memory, lent: 0, retired: false });
    this.outstanding++;
    return memory;
  }

  /** A view of `length` bytes at `offset` of a slab from `take`, lent until `release`. */
  lend(slab: Buffer, offset: number, length: number): Buffer {
    const entry = this.active.get(slab.buffer);
    if (entry) entry.lent += length;
    return slab.subarray(offset, offset + length);
  }

  /** The reader will not fill this slab any more. */
  retire(slab: Buffer): void {
    const entry = this.active.get(slab.buffer);
    if (!entry) return;
    entry.retired = true;
    this.recycle(entry);
  }

  /** Gives back views from `lend`, whole or split in pieces; views of other memory are ignored. */
  release(views: readonly Uint8Array[]): void {
    for (const view of views) {
      const entry = this.active.get(view.buffer);
      if (!entry) continue;
      entry.lent -= view.byteLength;
      this.recycle(entry);
    }
  }

  /** Slabs taken and not back yet (being filled, lent, or dropped unreleased), for tests. */
  get inUse(): number {
    return this.outstanding;
  }

  private recycle(entry: Slab): void {
    if (!entry.retired || entry.lent > 0) return;
    this.active.delete(entry.memory.buffer);
    this.outstanding--;
    if (this.free.length < FREE_KEPT) this.free.push(entry.memory);
  }
}
