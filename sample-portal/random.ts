import { createHash } from 'node:crypto';

const BASE32_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ACCESSION_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Deterministic bytes from a seed and a label: SHA-256 in counter mode. Slow next to a real PRNG, but it is only
 * used for identifiers and metadata; file content comes from AES-CTR (content.ts).
 */
export class SeededRandom {
  readonly #prefix: string;
  #counter = 0;
  #pool: Buffer = Buffer.alloc(0);
  #offset = 0;

  constructor(seed: number, label: string) {
    this.#prefix = `${seed}:${label}:`;
  }

  bytes(count: number): Buffer {
    const out = Buffer.allocUnsafe(count);
    for (let i = 0; i < count; i++) {
      if (this.#offset >= this.#pool.length) {
        this.#pool = createHash('sha256')
          .update(`${this.#prefix}${this.#counter++}`)
          .digest();
        this.#offset = 0;
      }
      out[i] = this.#pool[this.#offset++] as number;
    }
    return out;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.bytes(6).readUIntBE(0, 6) / 2 ** 48;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chars(alphabet: string, count: number): string {
    let out = '';
    for (const byte of this.bytes(count)) out += alphabet[byte % alphabet.length];
    return out;
  }

  /** A version-4 style UUID. */
  uuid(): string {
    const b = this.bytes(16);
    b[6] = ((b[6] as number) & 0x0f) | 0x40;
    b[8] = ((b[8] as number) & 0x3f) | 0x80;
    const hex = b.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** `TSTFI` plus 7 characters of [0-9A-Z] for files; other prefixes (TSTES, TSTEX) for other item kinds. */
  accession(prefix: string): string {
    return prefix + this.chars(ACCESSION_CHARS, 7);
  }

  /** Access key id: 8 upper-case base32 characters. */
  accessKey(): string {
    return this.chars(BASE32_UPPER, 8);
  }

  /** Access key secret: 16 lower-case base32 characters. */
  accessSecret(): string {
    return this.chars(BASE32_UPPER, 16).toLowerCase();
  }
}

/** 32 bytes derived from a seed and a label, e.g. an AES key for one file's content. */
export function derivedKey(seed: number, label: string): Buffer {
  return createHash('sha256').update(`${seed}:key:${label}`).digest();
}
