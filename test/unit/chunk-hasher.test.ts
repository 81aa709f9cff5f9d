import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChunkHasher } from '../../src-main/core/downloads/hashing/chunk-hasher.ts';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

describe('ChunkHasher', () => {
  const content = randomBytes(200_000);
  const pieces = [content.subarray(0, 70_000), content.subarray(70_000, 150_000), content.subarray(150_000)];

  it('gives the digest of the bytes written in order from byte 0', async () => {
    const hasher = new ChunkHasher('md5', 0);
    hasher.written([pieces[0] as Buffer], 0);
    hasher.written([pieces[1] as Buffer, pieces[2] as Buffer], 70_000);
    expect(await hasher.finish(content.length)).toBe(md5(content));
  });

  it('gives no digest when the file did not start at byte 0 in this run (a resume)', async () => {
    const hasher = new ChunkHasher('md5', 70_000);
    hasher.written([pieces[1] as Buffer, pieces[2] as Buffer], 70_000);
    expect(await hasher.finish(content.length)).toBeUndefined();
  });

  it('gives no digest after a gap or a rewrite, even if the total adds up', async () => {
    const gap = new ChunkHasher('md5', 0);
    gap.written([pieces[0] as Buffer], 0);
    gap.written([pieces[2] as Buffer], 150_000);
    expect(await gap.finish(content.length)).toBeUndefined();
    const rewrite = new ChunkHasher('md5', 0);
    rewrite.written([pieces[0] as Buffer], 0);
    rewrite.written([pieces[0] as Buffer], 0);
    expect(await rewrite.finish(140_000)).toBeUndefined();
  });

  it('gives no digest for fewer bytes than the size asked for', async () => {
    const hasher = new ChunkHasher('md5', 0);
    hasher.written([pieces[0] as Buffer], 0);
    expect(await hasher.finish(content.length)).toBeUndefined();
  });
});
