import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contiguousEnd, PrefixHasher } from '../../src-main/core/downloads/prefix-hasher.ts';
import type { Segment } from '../../src-main/core/downloads/segments.ts';

describe('contiguousEnd', () => {
  it('stops at the first unfinished segment', () => {
    const seg = (start: number, end: number, done: number): Segment => ({ start, end, done });
    expect(contiguousEnd([seg(0, 10, 4), seg(10, 20, 10)])).toBe(4);
    expect(contiguousEnd([seg(0, 10, 10), seg(10, 20, 3), seg(20, 30, 10)])).toBe(13);
    expect(contiguousEnd([seg(0, 10, 10), seg(10, 20, 10)])).toBe(20);
    expect(contiguousEnd([])).toBe(0);
  });
});

describe('PrefixHasher', () => {
  it('hashes segments written out of order to the digest of the whole file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prefix-hasher-'));
    try {
      const content = randomBytes(40 * 1024 * 1024 + 12_345);
      const size = content.length;
      const quarter = Math.floor(size / 4);
      const segments: Segment[] = [0, 1, 2, 3].map((i) => ({
        start: i * quarter,
        end: i === 3 ? size : (i + 1) * quarter,
        done: 0,
      }));
      const file = await open(join(dir, 'x.part'), 'w+');
      const hasher = new PrefixHasher(file, 'md5', new AbortController().signal);
      // Later segments first, then the first one in pieces: the prefix only grows at the end.
      for (const segment of [segments[2], segments[3], segments[1], segments[0]] as Segment[]) {
        for (let at = segment.start; at < segment.end; at += 3 * 1024 * 1024) {
          const end = Math.min(segment.end, at + 3 * 1024 * 1024);
          await file.write(content, at, end - at, at);
          segment.done = end - segment.start;
          hasher.advance(contiguousEnd(segments));
        }
      }
      const digest = await hasher.finish(contiguousEnd(segments));
      await file.close();
      expect(digest).toBe(createHash('md5').update(content).digest('hex'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
