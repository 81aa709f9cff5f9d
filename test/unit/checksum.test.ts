import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createHasher,
  hashFileRange,
  planVerification,
} from '../../src-main/core/downloads/hashing/checksum.ts';
import { decodeDigest, normaliseChecksum, normaliseChecksumType } from '../../src-main/core/drs/checksums.ts';

const data = Buffer.from('the stored bytes of a 4DN file\n');
const digest = (algorithm: string, encoding: 'hex' | 'base64' = 'hex') =>
  createHash(algorithm).update(data).digest(encoding);

describe('checksum types', () => {
  it('normalises the spellings servers use', () => {
    expect(normaliseChecksumType('SHA256')).toBe('sha-256');
    expect(normaliseChecksumType('sha_256')).toBe('sha-256');
    expect(normaliseChecksumType('sha1')).toBe('sha-1');
    expect(normaliseChecksumType('SHA-512')).toBe('sha-512');
    expect(normaliseChecksumType('MD5')).toBe('md5');
    expect(normaliseChecksumType('ETag')).toBe('etag');
    expect(normaliseChecksumType('blake3')).toBe('blake3');
  });

  it.each([
    ['md5', 'md5', 16],
    ['sha-1', 'sha1', 20],
    ['sha-256', 'sha256', 32],
    ['sha-512', 'sha512', 64],
  ] as const)('plans %s given as hex or base64', (type, algorithm, bytes) => {
    const hex = digest(algorithm);
    for (const value of [hex, hex.toUpperCase(), digest(algorithm, 'base64')]) {
      const plan = planVerification([{ type, value }]);
      expect(plan).toEqual({ kind: 'hash', algorithm, expected: hex, checksum: { type, value: hex } });
    }
    expect(decodeDigest(hex, bytes)).toBe(hex);
  });

  it('accepts URL-safe base64 and rejects digests of the wrong length', () => {
    const raw = Buffer.from(digest('sha256'), 'hex');
    const urlSafe = raw.toString('base64url');
    expect(decodeDigest(urlSafe, 32)).toBe(raw.toString('hex'));
    expect(decodeDigest('abc', 16)).toBeUndefined();
    expect(decodeDigest(digest('md5'), 32)).toBeUndefined();
    expect(decodeDigest('not base64!', 16)).toBeUndefined();
  });

  it('prefers the strongest usable checksum', () => {
    const plan = planVerification([
      { type: 'md5', value: digest('md5') },
      { type: 'sha-256', value: digest('sha256') },
      { type: 'sha1', value: digest('sha1') },
    ]);
    expect(plan.kind === 'hash' && plan.algorithm).toBe('sha256');
  });

  it('skips an undecodable value when another checksum works', () => {
    const plan = planVerification([
      { type: 'sha-256', value: 'garbage' },
      { type: 'md5', value: digest('md5') },
    ]);
    expect(plan.kind === 'hash' && plan.algorithm).toBe('md5');
  });

  it('treats a single-part S3 etag as md5, quoted or not', () => {
    const md5 = digest('md5');
    for (const value of [md5, `"${md5}"`, `W/"${md5.toUpperCase()}"`]) {
      const plan = planVerification([{ type: 'etag', value }]);
      expect(plan).toMatchObject({ kind: 'hash', algorithm: 'md5', expected: md5 });
    }
  });

  it('reports a multipart etag as not verifiable, never as verified', () => {
    const plan = planVerification([{ type: 'etag', value: `"${digest('md5')}-12"` }]);
    expect(plan.kind).toBe('unverifiable');
    expect(plan.kind === 'unverifiable' && plan.reason).toMatch(/multipart/);
  });

  it('reports unknown types and undecodable values as not verifiable', () => {
    expect(planVerification([{ type: 'crc32c', value: 'AAAAAA==' }]).kind).toBe('unverifiable');
    const bad = planVerification([{ type: 'md5', value: 'xyz' }]);
    expect(bad.kind).toBe('unverifiable');
    expect(bad.kind === 'unverifiable' && bad.reason).toMatch(/neither hex nor base64/);
  });

  it('has nothing to check without checksums', () => {
    expect(planVerification([])).toEqual({ kind: 'none' });
  });

  it('shows checksums normalised', () => {
    expect(normaliseChecksum({ type: 'SHA256', value: digest('sha256', 'base64') })).toEqual({
      type: 'sha-256',
      value: digest('sha256'),
    });
    expect(normaliseChecksum({ type: 'etag', value: ' "abc-2" ' })).toEqual({
      type: 'etag',
      value: 'abc-2',
    });
  });
});

describe('hashing a file prefix', () => {
  it('feeds exactly the range asked for, stopping at end of file', async () => {
    const file = {
      read: async (buffer: Uint8Array, offset: number, length: number, position: number) => {
        const slice = data.subarray(position, position + length);
        buffer.set(slice, offset);
        return { bytesRead: slice.length };
      },
    };
    const hash = createHasher('md5');
    expect(await hashFileRange(file, hash, 0, 10)).toBe(10);
    expect(await hashFileRange(file, hash, 10, 1_000_000)).toBe(data.length - 10);
    expect(hash.digest('hex')).toBe(digest('md5'));
  });
});
