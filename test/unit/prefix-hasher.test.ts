import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contiguousEnd, PrefixHasher } from '../../src-main/core/downloads/hashing/prefix-hasher.ts';
import type { Segment } from '../../src-main/core/downloads/job/segments.ts';

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
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prefix-hasher-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hashes segments written out of order to the digest of the whole file', async () => {
    const content = randomBytes(40 * 1024 * 1024 + 12_345);
    const size = content.length;
    const quarter = Math.floor(size / 4);
    const segments: Segment[] = [0, 1, 2, 3].map((i) => ({
      start: i * quarter,
      end: i === 3 ? size : (i + 1) * quarter,
      done: 0,
    }));
    const path = join(dir, 'x.part');
    const file = await open(path, 'w+');
    const hasher = new PrefixHasher(path, 'md5', new AbortController().signal);
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
  });

  it('hashes a file written in one stream, sha256 too', async () => {
    const content = randomBytes(20 * 1024 * 1024 + 7);
    const path = join(dir, 'y.part');
    const file = await open(path, 'w+');
    const hasher = new PrefixHasher(path, 'sha256', new AbortController().signal);
    for (let at = 0; at < content.length; at += 1024 * 1024 + 3) {
      const end = Math.min(content.length, at + 1024 * 1024 + 3);
      await file.write(content, at, end - at, at);
      hasher.advance(end);
    }
    await file.close();
    expect(await hasher.finish(content.length)).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('gives no digest, rather than a wrong one, when the file is shorter than asked or gone', async () => {
    const path = join(dir, 'short.part');
    await writeFile(path, randomBytes(1000));
    const short = new PrefixHasher(path, 'md5', new AbortController().signal);
    expect(await short.finish(2000)).toBeUndefined();
    const gone = new PrefixHasher(join(dir, 'missing.part'), 'md5', new AbortController().signal);
    gone.advance(16 * 1024 * 1024);
    expect(await gone.finish(16 * 1024 * 1024)).toBeUndefined();
    // And the worker still serves the next file.
    const fine = new PrefixHasher(path, 'md5', new AbortController().signal);
    expect(await fine.finish(1000)).toBe(
      createHash('md5')
        .update(await readFile(path))
        .digest('hex'),
    );
  });

  it('stops when its download is aborted: finish then has nothing to give', async () => {
    const path = join(dir, 'z.part');
    await writeFile(path, randomBytes(1000));
    const controller = new AbortController();
    const hasher = new PrefixHasher(path, 'md5', controller.signal);
    controller.abort();
    expect(await hasher.finish(1000)).toBeUndefined();
  });

  it('answers a small file while a big prefix is still being hashed, and drops a digest awaited when aborted', async () => {
    // A resumed big download re-hashes its whole prefix; a small one finishing meanwhile must not wait for it.
    const bigPath = join(dir, 'big.part');
    const big = await open(bigPath, 'w+');
    const block = Buffer.alloc(16 * 1024 * 1024, 7);
    for (let i = 0; i < 16; i++) await big.write(block, 0, block.length, i * block.length);
    await big.close();
    const bigSize = 16 * block.length;
    const smallPath = join(dir, 'small.part');
    await writeFile(smallPath, 'small file');

    const bigHasher = new PrefixHasher(bigPath, 'sha256', new AbortController().signal);
    bigHasher.advance(bigSize);
    let bigDone = false;
    const bigDigest = bigHasher.finish(bigSize).then((digest) => {
      bigDone = true;
      return digest;
    });
    const small = new PrefixHasher(smallPath, 'md5', new AbortController().signal);
    expect(await small.finish(10)).toBe(createHash('md5').update('small file').digest('hex'));
    expect(bigDone).toBe(false);
    expect(await bigDigest).toBe(
      createHash('sha256')
        .update(await readFile(bigPath))
        .digest('hex'),
    );

    // Pausing a download whose digest is awaited answers at once, with no digest.
    const controller = new AbortController();
    const again = new PrefixHasher(bigPath, 'sha256', controller.signal);
    const awaited = again.finish(bigSize);
    controller.abort();
    expect(await awaited).toBeUndefined();
  });
});
