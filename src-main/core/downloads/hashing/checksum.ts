import { createHash, type Hash } from 'node:crypto';
import type { Checksum } from '../../../../src-shared/domain/drs.ts';
import { DIGEST_BYTES, decodeDigest, normaliseChecksumType } from '../../drs/checksums.ts';

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha512';

/** What a finished download is checked against, decided once per job from the server's checksums. */
export type VerificationPlan =
  | { kind: 'hash'; algorithm: HashAlgorithm; expected: string; checksum: Checksum }
  | { kind: 'unverifiable'; checksum: Checksum; reason: string }
  | { kind: 'none' };

/** The types this app can hash, by their DRS name (drs/checksums.ts normalises what servers send). */
const ALGORITHMS: Record<string, HashAlgorithm> = {
  md5: 'md5',
  'sha-1': 'sha1',
  'sha-256': 'sha256',
  'sha-512': 'sha512',
};
/** Strongest first: when a server offers several, one hash is enough. */
const PREFERENCE = ['sha-256', 'sha-512', 'sha-1', 'md5'];

/** An S3 etag: a single-part one is the md5 of the object; a multipart one (`<hex>-N`) is not. */
function planEtag(checksum: Checksum): VerificationPlan {
  const value = checksum.value.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  if (/^[0-9a-fA-F]{32}$/.test(value)) {
    const md5 = value.toLowerCase();
    return { kind: 'hash', algorithm: 'md5', expected: md5, checksum: { type: 'etag', value: md5 } };
  }
  const reason = /^[0-9a-fA-F]{32}-\d+$/.test(value)
    ? 'its checksum is an S3 multipart etag, which is not a checksum of the file'
    : 'its etag is not an md5 of the file';
  return { kind: 'unverifiable', checksum: { type: 'etag', value }, reason };
}

export function planVerification(checksums: readonly Checksum[]): VerificationPlan {
  if (checksums.length === 0) return { kind: 'none' };
  const normalised = checksums.map((c) => ({ raw: c, type: normaliseChecksumType(c.type) }));
  for (const type of PREFERENCE) {
    const algorithm = ALGORITHMS[type];
    const bytes = DIGEST_BYTES[type];
    if (!algorithm || bytes === undefined) continue;
    for (const entry of normalised) {
      if (entry.type !== type) continue;
      const expected = decodeDigest(entry.raw.value, bytes);
      if (expected) return { kind: 'hash', algorithm, expected, checksum: { type, value: expected } };
    }
  }
  const etag = normalised.find((entry) => entry.type === 'etag');
  if (etag) return planEtag(etag.raw);
  const first = normalised[0] as { raw: Checksum; type: string };
  const reason = ALGORITHMS[first.type]
    ? `its ${first.type} value "${first.raw.value.slice(0, 80)}" is neither hex nor base64 of the right length`
    : `its checksum type "${first.type}" is not one this app can check`;
  return { kind: 'unverifiable', checksum: { type: first.type, value: first.raw.value.trim() }, reason };
}

export function createHasher(algorithm: HashAlgorithm): Hash {
  return createHash(algorithm);
}

/** Minimal read side of a file handle, so a hasher can catch up on bytes already on disk. */
export interface ReadableFile {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/** Feeds bytes [start, end) of a file into `hash`; stops early at end of file. Returns bytes fed. */
export async function hashFileRange(
  file: ReadableFile,
  hash: Hash,
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<number> {
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  let position = start;
  while (position < end) {
    signal?.throwIfAborted();
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, end - position), position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return position - start;
}
