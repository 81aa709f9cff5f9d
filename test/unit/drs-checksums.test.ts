import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseChecksums, normaliseChecksumType } from '../../src-main/core/drs/checksums.ts';

describe('checksum normalisation', () => {
  it('maps server spellings of types to the DRS names', () => {
    expect(normaliseChecksumType('sha256')).toBe('sha-256');
    expect(normaliseChecksumType('SHA1')).toBe('sha-1');
    expect(normaliseChecksumType('sha_512')).toBe('sha-512');
    expect(normaliseChecksumType('MD5')).toBe('md5');
    expect(normaliseChecksumType('blake3')).toBe('blake3');
  });

  it('turns hex of any case and base64 (standard or url-safe) into lower-case hex', () => {
    const md5 = createHash('md5').update('hello').digest();
    const sha256 = createHash('sha256').update('hello').digest();
    const out = normaliseChecksums([
      { type: 'md5', checksum: md5.toString('hex').toUpperCase() },
      { type: 'sha256', checksum: sha256.toString('base64') },
      { type: 'sha-1', checksum: createHash('sha1').update('x').digest('base64url') },
    ]);
    expect(out).toEqual([
      { type: 'md5', value: md5.toString('hex') },
      { type: 'sha-256', value: sha256.toString('hex') },
      { type: 'sha-1', value: createHash('sha1').update('x').digest('hex') },
    ]);
  });

  it('keeps values it cannot decode as given, and multipart etags as they are', () => {
    const out = normaliseChecksums([
      { type: 'md5', checksum: 'not-a-digest' },
      { type: 'etag', checksum: '"9B2CF535F27731C974343645A3985328-12"' },
      { type: 'md5', checksum: 'abc' },
    ]);
    expect(out).toEqual([
      { type: 'md5', value: 'not-a-digest' },
      { type: 'etag', value: '9b2cf535f27731c974343645a3985328-12' },
      { type: 'md5', value: 'abc' },
    ]);
  });

  it('skips malformed entries and duplicates', () => {
    const hex = 'd41d8cd98f00b204e9800998ecf8427e';
    expect(
      normaliseChecksums([
        null,
        { type: 'md5' },
        { checksum: hex },
        { type: 'md5', checksum: hex },
        { type: 'MD5', checksum: hex.toUpperCase() },
      ]),
    ).toEqual([{ type: 'md5', value: hex }]);
    expect(normaliseChecksums('nope')).toEqual([]);
  });

  it('gives the same hex for the hex and base64 forms of any digest', () => {
    const sizes = { md5: 16, 'sha-1': 20, 'sha-256': 32, 'sha-512': 64 } as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(sizes) as Array<keyof typeof sizes>)),
        fc.infiniteStream(fc.nat(255)),
        (type, stream) => {
          const bytes = Buffer.from([...stream.take(sizes[type])]);
          const [fromHex, fromBase64] = normaliseChecksums([
            { type, checksum: bytes.toString('hex').toUpperCase() },
            { type: type.replace('-', ''), checksum: bytes.toString('base64') },
          ]);
          expect(fromHex).toEqual({ type, value: bytes.toString('hex') });
          // The second entry is the same checksum, so it is de-duplicated away.
          expect(fromBase64).toBeUndefined();
        },
      ),
    );
  });
});
