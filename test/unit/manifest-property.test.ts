import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManifestResult } from '../../src-shared/domain/ids.ts';
import { parseManifest } from '../../src-shared/manifest/manifest.ts';
import { accessionArb, lookAlikeArb } from '../fixtures/id-arbitraries.ts';

function lineCount(text: string): number {
  let count = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) count++;
  }
  return count;
}

/**
 * Every line number in a result points into the input, and the result satisfies the IPC schema (checked on
 * a sample for huge results: one expect per entry would make this file slow, not more thorough).
 */
function checkResult(text: string, fileName?: string): ManifestResult {
  const result = parseManifest(text, fileName === undefined ? {} : { fileName });
  const sample = {
    ...result,
    items: result.items.slice(0, 200),
    rejected: result.rejected.slice(0, 200),
    duplicates: result.duplicates.slice(0, 200),
  };
  expect(ManifestResult.safeParse(sample).success).toBe(true);
  const lines = lineCount(text);
  const numbers = [
    ...result.items.map((i) => i.line),
    ...result.rejected.map((r) => r.line),
    ...result.duplicates.flatMap((d) => [d.line, d.firstLine]),
    ...(result.unavailable ?? []).map((u) => u.line),
  ];
  const outside = numbers.filter((n) => !Number.isInteger(n) || n < 1 || n > lines);
  expect(outside).toEqual([]);
  const badRejections = result.rejected.filter((r) => r.reason.length === 0 || r.text.length >= 300);
  expect(badRejections).toEqual([]);
  return result;
}

const fileNameArb = fc.constantFrom(
  undefined,
  'list.txt',
  'x.csv',
  'x.tsv',
  'x.json',
  'metadata.tsv',
  'noext',
);
/** Fragments that steer the parser into each format and its edge cases. */
const fragmentArb = fc.oneof(
  fc.string(),
  accessionArb,
  fc.constantFrom(
    '###',
    '### Not Yet Uploaded: ',
    'File Download URL\tFile Accession\tmd5sum\tSize',
    'accession,url',
    '"',
    '""',
    ',',
    '\t',
    ';',
    '#',
    '\r\n',
    '\n',
    '\r',
    '\uFEFF',
    '[',
    ']',
    '{',
    '}',
    '{"files": [',
    '"@graph"',
    ':',
    'N/A',
    'https://data.4dnucleome.org/',
    '/@@download/',
    'drs://',
    '%2e%2e/',
    '\u0000',
  ),
);
const documentArb = fc.array(fragmentArb, { maxLength: 40 }).map((parts) => parts.join(''));

describe('parseManifest properties', () => {
  it('never throws on random text, and every line number is within the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), documentArb),
        fileNameArb,
        (text, name) => {
          checkResult(text, name);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds every accession of a list, whatever the separators and line ends', () => {
    const sep = fc.constantFrom('\n', '\r\n', '\r', ', ', ' ', ';', '\t', '\n\n# note\n');
    fc.assert(
      fc.property(fc.uniqueArray(accessionArb, { minLength: 1, maxLength: 30 }), sep, (accessions, s) => {
        const result = checkResult(accessions.join(s));
        expect(result.items.map((i) => i.key)).toEqual(accessions.map((a) => `file:${a}`));
        expect(result.rejected).toEqual([]);
      }),
    );
  });

  it('reports each repeat once, pointing at the first occurrence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('4DNFIQ8R2EB1', '4DNFIW6N4C2H', 'TSTFI0000001'), { maxLength: 50 }),
        (ids) => {
          const result = checkResult(ids.join('\n'));
          const unique = new Set(ids);
          expect(result.items).toHaveLength(unique.size);
          expect(result.duplicates).toHaveLength(ids.length - unique.size);
          for (const d of result.duplicates) expect(ids[d.firstLine - 1]).toBe(ids[d.line - 1]);
        },
      ),
    );
  });

  it('rejects look-alike characters on their own line without losing the others', () => {
    fc.assert(
      fc.property(accessionArb, accessionArb, lookAlikeArb, (a, b, ch) => {
        fc.pre(a !== b);
        const result = checkResult(`${a}\n${b.slice(0, 6)}${ch}${b.slice(6)}\n`);
        expect(result.items.map((i) => i.line)).toEqual([1]);
        expect(result.rejected.map((r) => r.line)).toEqual([2]);
        expect(result.rejected[0]?.reason).toMatch(/non-ASCII/);
      }),
    );
  });
});

describe('hostile inputs', () => {
  const tenMB = 10 * 1024 * 1024;

  it('a 10 MB single line is rejected with a short reason and echo', () => {
    const result = checkResult(`4DNFI${'A'.repeat(tenMB)}`);
    expect(result.items).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.reason).toMatch(/^Too long/);
  });

  it('a 10 MB line of short junk is summed up, not reported five million times', () => {
    const result = checkResult(`${'ab '.repeat(tenMB / 3)}\n4DNFIQ8R2EB1`);
    expect(result.items.map((i) => i.line)).toEqual([2]);
    // A line with no id is one rejection, its text echoed short.
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.text.length).toBeLessThan(300);
  });

  it('10 MB of quotes, commas or brackets in CSV, TSV and JSON never throws', () => {
    for (const [text, name] of [
      [`url\n${'"'.repeat(tenMB)}`, 'x.csv'],
      [`url,x\n4DNFIQ8R2EB1,"${'a\n'.repeat(200_000)}`, undefined],
      [`File Download URL\t${'\t'.repeat(tenMB)}`, 'm.tsv'],
      ['['.repeat(tenMB), undefined],
      [`[${'"4DNFIQ8R2EB1",'.repeat(100_000)}"x"]`, undefined],
      [`{"files": [${'{},'.repeat(100_000)}{}]}`, undefined],
    ] as const) {
      const result = checkResult(text, name);
      expect(result.items.length + result.rejected.length + result.duplicates.length).toBeGreaterThan(0);
    }
  });

  it('NUL bytes, traversal and credentials are rejected per line', () => {
    const text = [
      '4DNFIQ8R2EB1\u0000',
      'https://data.4dnucleome.org/4DNFIQ8R2EB1/@@download/..%2F..%2Fetc%2Fpasswd',
      'https://data.4dnucleome.org/files-processed/../../4DNFIQ8R2EB1/',
      'https://me:s3cretpass@data.4dnucleome.org/4DNFIQ8R2EB1/',
      'drs://me:s3cretpass@data.4dnucleome.org/4DNFIQ8R2EB1',
      '4DNFIW6N4C2H',
    ].join('\n');
    const result = checkResult(text);
    expect(result.items.map((i) => i.line)).toEqual([6]);
    expect(result.rejected.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
    expect(JSON.stringify(result)).not.toContain('s3cretpass');
  });

  it('100,000 lines parse with right line numbers', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `TSTFI${String(i).padStart(7, '0')}`);
    const result = checkResult(ids.join('\r\n'));
    expect(result.items).toHaveLength(100_000);
    expect(result.items[99_999]).toMatchObject({ line: 100_000, input: 'TSTFI0099999' });
    const junk = checkResult('x\n'.repeat(100_000));
    expect(junk.rejected).toHaveLength(100_000);
    expect(junk.rejected[99_999]?.line).toBe(100_000);
  });

  it('non-string input from untyped callers yields an empty result', () => {
    const result = parseManifest(null as unknown as string, { fileName: 42 as unknown as string });
    expect(result).toMatchObject({ items: [], rejected: [] });
  });
});
