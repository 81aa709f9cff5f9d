import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayName, drsObjectUrl, idKey, isFileAccession, parseId } from '../../src-shared/ids/ids.ts';
import { accessionArb, lookAlikeArb, restArb } from '../fixtures/id-arbitraries.ts';

const hostArb = fc.constantFrom(
  'data.4dnucleome.org',
  '127.0.0.1:8123',
  'localhost:9',
  'staging.example.org',
);
const collectionArb = fc.constantFrom('', 'files-processed/', 'files-fastq/', 'files-reference/');
const extArb = fc.constantFrom('pairs.gz', 'pairs.gz.px2', 'fastq.gz', 'mcool', 'hic', 'bam.bai');

describe('parseId properties', () => {
  it('never throws on any string, and a rejection always has a short reason', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.webUrl(), fc.string({ unit: 'grapheme' })),
        (s) => {
          const result = parseId(s);
          if (!result.ok) {
            expect(result.reason.length).toBeGreaterThan(0);
            expect(result.reason.length).toBeLessThan(400);
          } else {
            expect(idKey(result.id).length).toBeGreaterThan(0);
            expect(displayName(result.id).length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('round-trips every valid accession, in any case and with surrounding whitespace', () => {
    fc.assert(
      fc.property(accessionArb, fc.boolean(), fc.constantFrom('', ' ', '\t', '  \t'), (acc, lower, pad) => {
        expect(isFileAccession(acc)).toBe(true);
        const result = parseId(`${pad}${lower ? acc.toLowerCase() : acc}${pad}`);
        expect(result).toEqual({ ok: true, id: { kind: 'accession', accession: acc } });
        if (result.ok) expect(idKey(result.id)).toBe(`file:${acc}`);
      }),
    );
  });

  it('reads every link form of an accession to the same accession', () => {
    fc.assert(
      fc.property(accessionArb, hostArb, collectionArb, extArb, (acc, host, collection, ext) => {
        const origin = `${host.includes('.org') ? 'https' : 'http'}://${host}`;
        const page = parseId(`${origin}/${collection}${acc}/`);
        expect(page).toMatchObject({ ok: true, id: { kind: 'portal-item', accession: acc, origin } });
        const named = parseId(`${origin}/${collection}${acc}/@@download/${acc}.${ext}`);
        expect(named).toMatchObject({
          ok: true,
          id: { kind: 'download-url', accession: acc, fileName: `${acc}.${ext}` },
        });
        if (named.ok) expect(drsObjectUrl(named.id, origin)).toBeUndefined();
        const drs = parseId(`drs://${host}/${acc}`);
        expect(drs.ok && idKey(drs.id)).toBe(`file:${acc}`);
        if (page.ok && drs.ok) expect(drsObjectUrl(page.id, 'x')).toBe(drsObjectUrl(drs.id, 'x'));
      }),
    );
  });

  it('rejects accessions with a zero, wrong lengths, and other 4DN item kinds', () => {
    fc.assert(
      fc.property(restArb, fc.integer({ min: 0, max: 6 }), (rest, at) => {
        const withZero = `4DNFI${rest.slice(0, at)}0${rest.slice(at + 1)}`;
        expect(parseId(withZero)).toMatchObject({ ok: false, reason: expect.stringContaining('digit 0') });
        expect(parseId(`4DNFI${rest}X`).ok).toBe(false);
        expect(parseId(`4DNES${rest}`)).toMatchObject({
          ok: false,
          reason: expect.stringContaining('not a file'),
        });
      }),
    );
  });

  it('rejects any non-ASCII character anywhere in an otherwise valid id, naming it', () => {
    fc.assert(
      fc.property(accessionArb, lookAlikeArb, fc.integer({ min: 1, max: 11 }), (acc, ch, at) => {
        const result = parseId(`${acc.slice(0, at)}${ch}${acc.slice(at)}`);
        expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('non-ASCII') });
      }),
    );
  });

  it('never accepts a file name that is not a plain basename', () => {
    const hostile = fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E.',
      '..%2F..%2Fetc%2Fpasswd',
      '%2F',
      'a%5Cb',
      '%00',
      '%0A',
      'a%2Fb',
      '..%5C..%5Cwin.ini',
    );
    fc.assert(
      fc.property(accessionArb, hostile, (acc, name) => {
        expect(parseId(`https://data.4dnucleome.org/${acc}/@@download/${name}`).ok).toBe(false);
      }),
    );
  });

  it('never echoes a password from a link', () => {
    fc.assert(
      fc.property(
        accessionArb,
        fc.stringMatching(/^[A-Za-z0-9]{1,12}$/),
        fc.stringMatching(/^[A-Za-z0-9!$%]{6,20}$/),
        (acc, user, password) => {
          const result = parseId(`https://${user}:${password}@data.4dnucleome.org/${acc}/`);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.reason).not.toContain(password);
        },
      ),
    );
  });
});
