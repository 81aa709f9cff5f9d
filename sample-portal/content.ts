import { createCipheriv, createHash, type Hash } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { derivedKey } from './random.ts';

/** Content is generated in blocks of this size; block i is the file's base block with i mixed into 8 bytes. */
export const BLOCK_SIZE = 1024 * 1024;
const HEADER = 8;

/** Keeps recently used base blocks, so serving a file never regenerates its block, within a memory cap. */
export class BlockCache {
  readonly #blocks = new Map<string, Buffer>();
  readonly #capBytes: number;
  #bytes = 0;

  constructor(capBytes = 64 * BLOCK_SIZE) {
    this.#capBytes = capBytes;
  }

  get(label: string, make: () => Buffer): Buffer {
    const hit = this.#blocks.get(label);
    if (hit) {
      this.#blocks.delete(label);
      this.#blocks.set(label, hit);
      return hit;
    }
    const block = make();
    this.#blocks.set(label, block);
    this.#bytes += block.length;
    for (const [key, old] of this.#blocks) {
      if (this.#bytes <= this.#capBytes || key === label) break;
      this.#blocks.delete(key);
      this.#bytes -= old.length;
    }
    return block;
  }
}

/**
 * The bytes of one stored file, never held whole: any range is produced from one pseudo-random base block
 * (AES-CTR keystream, deterministic from seed and label). Pieces handed out are never mutated afterwards, so
 * they can be written to sockets without copying.
 */
export class ContentSource {
  readonly size: number;
  readonly #seed: number;
  readonly #label: string;
  readonly #cache: BlockCache;
  #md5: string | undefined;
  #md5Pending: Promise<string> | undefined;

  constructor(args: { seed: number; label: string; size: number; cache: BlockCache }) {
    if (!Number.isSafeInteger(args.size) || args.size < 0) throw new Error(`Bad file size: ${args.size}`);
    this.size = args.size;
    this.#seed = args.seed;
    this.#label = args.label;
    this.#cache = args.cache;
  }

  #base(): Buffer {
    return this.#cache.get(`${this.#seed}:${this.#label}`, () => {
      const length = Math.min(this.size, BLOCK_SIZE);
      const cipher = createCipheriv('aes-256-ctr', derivedKey(this.#seed, this.#label), Buffer.alloc(16));
      return cipher.update(Buffer.alloc(length));
    });
  }

  /** Pieces covering [start, end) in order (end exclusive). */
  *pieces(start = 0, end = this.size): Generator<Buffer> {
    const stop = Math.min(end, this.size);
    let pos = Math.max(0, start);
    while (pos < stop) {
      const index = Math.floor(pos / BLOCK_SIZE);
      const blockStart = index * BLOCK_SIZE;
      const from = pos - blockStart;
      const to = Math.min(stop - blockStart, BLOCK_SIZE);
      const base = this.#base();
      if (from < HEADER) {
        const header = Buffer.from(base.subarray(0, Math.min(HEADER, base.length)));
        for (let b = 0; b < header.length && b < 4; b++)
          header[b] = (header[b] as number) ^ ((index >>> (8 * b)) & 0xff);
        yield header.subarray(from, Math.min(HEADER, to));
      }
      if (to > HEADER) yield base.subarray(Math.max(from, HEADER), to);
      pos = blockStart + to;
    }
  }

  /** The bytes [start, end), end exclusive. */
  read(start = 0, end = this.size): Buffer {
    return Buffer.concat([...this.pieces(start, end)]);
  }

  /** The md5 if already computed. */
  get knownMd5(): string | undefined {
    return this.#md5;
  }

  /** Computes (once) and returns the md5, blocking the event loop: fine for small files. */
  md5Sync(): string {
    if (this.#md5 === undefined) {
      const hash = createHash('md5');
      for (const piece of this.pieces()) hash.update(piece);
      this.#md5 = hash.digest('hex');
    }
    return this.#md5;
  }

  /** Computes (once) the md5 in slices, so a multi-GB file does not freeze the servers meanwhile. */
  md5(): Promise<string> {
    if (this.#md5 !== undefined) return Promise.resolve(this.#md5);
    this.#md5Pending ??= this.#hashInSlices(createHash('md5')).then((value) => {
      this.#md5 ??= value;
      return this.#md5;
    });
    return this.#md5Pending;
  }

  async #hashInSlices(hash: Hash): Promise<string> {
    const slice = 32 * BLOCK_SIZE;
    for (let start = 0; start < this.size; start += slice) {
      for (const piece of this.pieces(start, start + slice)) hash.update(piece);
      if (this.#md5 !== undefined) return this.#md5;
      await yieldToLoop();
    }
    return hash.digest('hex');
  }
}
