import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestResult } from '../../src-shared/domain/ids.ts';
import { parseManifest } from '../../src-shared/manifest/manifest.ts';

const FIXTURE = join(import.meta.dirname, '../../sample-portal/fixtures/metadata_2026-11-20-14h-05m.tsv');
const PORTAL = 'https://data.4dnucleome.org';
const dl = (path: string) => `${PORTAL}/${path}`;

function parse(text: string, fileName?: string) {
  const result = parseManifest(text, fileName === undefined ? {} : { fileName });
  // Whatever comes back must cross IPC: it has to satisfy the contract's schema.
  expect(ManifestResult.safeParse(result).success).toBe(true);
  return result;
}

describe('the portal metadata TSV', () => {
  const text = readFileSync(FIXTURE, 'utf8');

  it('is the exact CRLF file the portal writes', () => {
    expect(text.includes('\r\n')).toBe(true);
    expect(text.startsWith('###\t')).toBe(true);
  });

  it('yields the five downloadable files with their md5 and size, and nothing from commented rows', () => {
    const result = parse(text, 'metadata_2026-11-20-14h-05m.tsv');
    expect(result.format).toBe('metadata-tsv');
    expect(result.rejected).toEqual([]);
    expect(result.duplicates).toEqual([]);
    expect(result.items.map((i) => [i.line, i.input, i.md5, i.size])).toEqual([
      [
        3,
        dl('files-fastq/4DNFIQ8R2EB1/@@download/4DNFIQ8R2EB1.fastq.gz'),
        '3f1c2a9be0d44b6f8a71c5e2d90ab711',
        1843219877,
      ],
      [
        4,
        dl('files-fastq/4DNFIW6N4C2H/@@download/4DNFIW6N4C2H.fastq.gz'),
        '9a0e44d1c3b27f8e6d15aa02b7c4e9f0',
        1851007342,
      ],
      [
        5,
        dl('files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz'),
        'd41b7e0a9c2f4b6183e5a7c90d2f6b34',
        5230041988,
      ],
      [
        6,
        dl('files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz.px2'),
        '7c2e9b1f04a8d3e65b91c0f2a4d7e813',
        60113442,
      ],
      [
        7,
        dl('files-processed/4DNFIK2V9XQ5/@@download/4DNFIK2V9XQ5.mcool'),
        '5e8d2f7a1b04c9e36a7d1f0b8c2e4a95',
        3120558210,
      ],
    ]);
    const px2 = result.items[3];
    expect(px2?.id).toEqual({
      kind: 'download-url',
      origin: PORTAL,
      accession: '4DNFIJ7T3LUD',
      fileName: '4DNFIJ7T3LUD.pairs.gz.px2',
      url: dl('files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz.px2'),
    });
    expect(new Set(result.items.map((i) => i.key)).size).toBe(5);
    const accessions = result.items.map((i) => (i.id.kind === 'download-url' ? i.id.accession : ''));
    expect(accessions).not.toContain('4DNFIM3H8YPC');
    expect(accessions).not.toContain('4DNFIR5B2NDE');
  });

  it('notes the rows the portal commented out: its duplicate row and the files it marked unavailable', () => {
    expect(parse(text).unavailable).toEqual([
      {
        line: 8,
        text: '4DNFIJ7T3LUD',
        reason: 'The portal lists this row as a duplicate of row 5: that row downloads the file',
      },
      {
        line: 9,
        text: '4DNFIM3H8YPC',
        reason: 'The portal lists this file as "Not Yet Uploaded": it cannot be downloaded now',
      },
      {
        line: 10,
        text: '4DNFIR5B2NDE',
        reason: 'The portal lists this file as "No URL currently available": it cannot be downloaded now',
      },
    ]);
  });

  it('reads the same with LF line ends, a BOM, and no file name', () => {
    const lf = parse(`\uFEFF${text.replaceAll('\r\n', '\n')}`);
    expect(lf.format).toBe('metadata-tsv');
    expect(lf.items.map((i) => i.line)).toEqual([3, 4, 5, 6, 7]);
  });

  it('reads an uncommented duplicate row as a duplicate of its first line', () => {
    const lines = text.split('\r\n');
    lines[7] = (lines[7] ?? '').replace('### Duplicate of row 5: ', '');
    const result = parse(lines.join('\r\n'));
    expect(result.items).toHaveLength(5);
    expect(result.duplicates).toEqual([
      { line: 8, firstLine: 5, text: dl('files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz') },
    ]);
  });

  it('reports a broken row with its line number and keeps the good ones', () => {
    const lines = text.split('\r\n');
    lines[3] = (lines[3] ?? '').replace('https://data.4dnucleome.org/files-fastq/', 'ftp://x/');
    const result = parse(lines.join('\r\n'));
    expect(result.items).toHaveLength(4);
    expect(result.rejected).toEqual([
      {
        line: 4,
        text: 'ftp://x/4DNFIW6N4C2H/@@download/4DNFIW6N4C2H.fastq.gz',
        reason: expect.stringMatching(/^ftp: links are not supported/),
      },
    ]);
  });
});

describe('files.txt from /batch_download/', () => {
  it('skips the metadata link on line 1 and reads the @@download URLs', () => {
    const text = [
      `${PORTAL}/metadata/type=ExperimentSetReplicate&accession=4DNESX5H7MQK/metadata.tsv`,
      dl('files-fastq/4DNFIQ8R2EB1/@@download/4DNFIQ8R2EB1.fastq.gz'),
      dl('files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz'),
      dl('files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz.px2'),
      '',
    ].join('\n');
    const result = parse(text, 'files.txt');
    expect(result.format).toBe('files-txt');
    expect(result.rejected).toEqual([]);
    expect(result.items.map((i) => i.line)).toEqual([2, 3, 4]);
    expect(result.items.map((i) => i.id.kind)).toEqual(['download-url', 'download-url', 'download-url']);
  });

  it('recognises a metadata link that ends in .tsv', () => {
    const result = parse(`${PORTAL}/batch/metadata_2020.tsv\r\n${PORTAL}/4DNFIQ8R2EB1/@@download\r\n`);
    expect(result.format).toBe('files-txt');
    expect(result.items).toHaveLength(1);
  });
});

describe('plain lists', () => {
  it('reads one id per line with comments, blanks, CRLF, BOM and surrounding whitespace', () => {
    const text = '\uFEFF# my files\r\n\r\n  4DNFIQ8R2EB1  \r\n\t4DNFIW6N4C2H\r\n# 4DNFIK2V9XQ5\r\n';
    const result = parse(text);
    expect(result.format).toBe('plain');
    expect(result.items.map((i) => [i.line, i.input])).toEqual([
      [3, '4DNFIQ8R2EB1'],
      [4, '4DNFIW6N4C2H'],
    ]);
    expect(result.rejected).toEqual([]);
  });

  it('reads several ids on a line separated by spaces, commas or semicolons, and inline comments', () => {
    const result = parse('4DNFIQ8R2EB1, 4DNFIW6N4C2H;4DNFIK2V9XQ5 TSTFI0000001 # four ids\n');
    expect(result.items.map((i) => i.input)).toEqual([
      '4DNFIQ8R2EB1',
      '4DNFIW6N4C2H',
      '4DNFIK2V9XQ5',
      'TSTFI0000001',
    ]);
    expect(result.items.every((i) => i.line === 1)).toBe(true);
  });

  it('reads every accepted form in one list', () => {
    const text = [
      '4DNFIQ8R2EB1',
      'drs://data.4dnucleome.org/4DNFIW6N4C2H',
      `${PORTAL}/ga4gh/drs/v1/objects/4DNFIK2V9XQ5`,
      `${PORTAL}/files-processed/4DNFIJ7T3LUD/`,
      dl('files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz.px2'),
    ].join('\n');
    expect(parse(text).items.map((i) => i.id.kind)).toEqual([
      'accession',
      'drs-uri',
      'drs-url',
      'portal-item',
      'download-url',
    ]);
  });

  it('reports bad lines with their line numbers and reasons, and never stops the good ones', () => {
    const text = '4DNFIQ8R2EB1\nnot-an-id\n4DNESX5H7MQK\n\n4DNFIW6N4C2H\nhttps://u:pw@h.org/4DNFIQ8R2EB1/\n';
    const result = parse(text);
    expect(result.items.map((i) => i.line)).toEqual([1, 5]);
    expect(result.rejected.map((r) => [r.line, r.text])).toEqual([
      [2, 'not-an-id'],
      [3, '4DNESX5H7MQK'],
      [6, 'https://***@h.org/4DNFIQ8R2EB1/'],
    ]);
    expect(result.rejected[1]?.reason).toMatch(/experiment set, not a file/);
    expect(JSON.stringify(result)).not.toContain(':pw@');
  });

  it('reports each duplicate once, with the line it repeats', () => {
    const text = [
      '4DNFIQ8R2EB1',
      `${PORTAL}/files-fastq/4DNFIQ8R2EB1/`,
      '4dnfiq8r2eb1',
      `${PORTAL}/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz`,
      `${PORTAL}/files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz.px2`,
      `${PORTAL}/files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz`,
      'drs://data.4dnucleome.org/4DNFIQ8R2EB1',
    ].join('\r\n');
    const result = parse(text);
    expect(result.items.map((i) => i.line)).toEqual([1, 4, 5]);
    expect(result.duplicates.map((d) => [d.line, d.firstLine])).toEqual([
      [2, 1],
      [3, 1],
      [6, 4],
      [7, 1],
    ]);
  });

  it('reads old Mac line ends and an empty list', () => {
    expect(parse('4DNFIQ8R2EB1\r4DNFIW6N4C2H').items.map((i) => i.line)).toEqual([1, 2]);
    expect(parse('')).toEqual({ format: 'plain', items: [], rejected: [], duplicates: [], unavailable: [] });
    expect(parse('\n\n  \n# only a comment\n').items).toEqual([]);
  });

  it('gives one rejection for a line with no id at all, not one per word', () => {
    const result = parse('4DNFIQ8R2EB1\nhello world, not an id!\n4DNFIW6N4C2H junk\n');
    expect(result.items.map((i) => i.input)).toEqual(['4DNFIQ8R2EB1', '4DNFIW6N4C2H']);
    expect(result.rejected.map((r) => [r.line, r.text])).toEqual([
      [2, 'hello world, not an id!'],
      [3, 'junk'],
    ]);
  });

  it('sums up a line of junk after twenty rejections', () => {
    const result = parse(`4DNFIQ8R2EB1 ${'junk '.repeat(1000)}`);
    expect(result.items).toHaveLength(1);
    expect(result.rejected).toHaveLength(21);
    expect(result.rejected[20]?.reason).toBe('…and 980 more entries on this line that are not ids');
  });
});

describe('CSV and TSV with a header', () => {
  it('reads the accession column of a CSV, with quoted fields holding commas and escaped quotes', () => {
    const text = [
      'Name,"File Accession",Notes',
      '"Hi-C, rep 1",4DNFIQ8R2EB1,"said ""ok"""',
      '"Hi-C, rep 2","4DNFIW6N4C2H",plain',
      'empty,,nothing here',
      'lower,4dnfik2v9xq5,',
    ].join('\n');
    const result = parse(text, 'list.csv');
    expect(result.format).toBe('csv');
    expect(result.items.map((i) => [i.line, i.input])).toEqual([
      [2, '4DNFIQ8R2EB1'],
      [3, '4DNFIW6N4C2H'],
      [5, '4dnfik2v9xq5'],
    ]);
    expect(result.rejected).toEqual([
      { line: 4, text: 'empty,,nothing here', reason: expect.stringMatching(/^This row has no id/) },
    ]);
  });

  it('keeps line numbers right when a quoted field spans lines', () => {
    const text = 'accession,description\n4DNFIQ8R2EB1,"two\nlines"\n4DNFIW6N4C2H,x\n';
    expect(parse(text).items.map((i) => i.line)).toEqual([2, 4]);
  });

  it('reports a stray quote rather than let it swallow the lines after it', () => {
    const reason = 'A quoted field is not closed on this line: add the closing quote (") or remove it';
    const swallowing = parse('url,notes\n4DNFIQ8R2EB1,"oops\n4DNFIW6N4C2H,fine\n4DNFIK2V9XQ5,"ok"\n');
    expect(swallowing.rejected.map((r) => [r.line, r.reason])).toEqual([[2, reason]]);
    expect(swallowing.items.map((i) => i.line)).toEqual([3, 4]);
    const unterminated = parse('url,notes\n4DNFIQ8R2EB1,"oops\n4DNFIW6N4C2H,fine\n4DNFIK2V9XQ5,"x\n');
    expect(unterminated.rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, reason],
      [4, reason],
    ]);
    expect(unterminated.items.map((i) => i.line)).toEqual([3]);
  });

  it('prefers a URL column to an accession column, and falls back when the URL is empty', () => {
    const text = [
      'File Accession\tFile Download URL\tmd5sum\tSize',
      `4DNFIJ7T3LUD\t${dl('files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz')}\tN/A\tN/A`,
      `4DNFIJ7T3LUD\t${dl('files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz.px2')}\tD41B7E0A9C2F4B6183E5A7C90D2F6B34\t12`,
      '4DNFIK2V9XQ5\t\tnot-an-md5\t-5',
    ].join('\n');
    const result = parse(text, 'mine.tsv');
    expect(result.format).toBe('tsv');
    expect(result.items.map((i) => [i.line, i.key, i.md5, i.size])).toEqual([
      [2, 'file:4DNFIJ7T3LUD/4DNFIJ7T3LUD.pairs.gz', undefined, undefined],
      [3, 'file:4DNFIJ7T3LUD/4DNFIJ7T3LUD.pairs.gz.px2', 'd41b7e0a9c2f4b6183e5a7c90d2f6b34', 12],
      [4, 'file:4DNFIK2V9XQ5', undefined, undefined],
    ]);
  });

  it('recognises header names case-insensitively: drs_uri, url, id, a single column', () => {
    expect(parse('sample;DRS_URI\na;drs://example.org/abc\n').items.map((i) => i.id.kind)).toEqual([
      'drs-uri',
    ]);
    expect(parse('URL\n4DNFIQ8R2EB1\n').format).toBe('csv');
    expect(parse('"id"\n4DNFIQ8R2EB1\n', 'x.tsv').format).toBe('tsv');
    expect(parse('ID,size\r\n4DNFIQ8R2EB1,1024\r\n').items[0]).toMatchObject({ line: 2, size: 1024 });
  });

  it('refuses a row longer than 64 KiB, and a quoted field running past that', () => {
    const long = parse(`accession,notes\n4DNFIQ8R2EB1,${'x'.repeat(70_000)}\n4DNFIW6N4C2H,ok\n`);
    expect(long.rejected).toEqual([
      { line: 2, text: '', reason: 'This row is too long (70013 characters) to be part of a list' },
    ]);
    expect(long.items.map((i) => i.line)).toEqual([3]);
    const running = parse(`accession,notes\n4DNFIQ8R2EB1,"${'x\n'.repeat(40_000)}"\n`);
    expect(running.rejected[0]?.line).toBe(2);
    expect(running.items).toEqual([]);
  });

  it('reads the id column of a headerless .csv file and ignores the others', () => {
    const result = parse('my note,4DNFIQ8R2EB1,123\nother,4DNFIW6N4C2H,456\n', 'ids.csv');
    expect(result.format).toBe('csv');
    expect(result.items.map((i) => i.input)).toEqual(['4DNFIQ8R2EB1', '4DNFIW6N4C2H']);
    expect(result.rejected).toEqual([]);
  });
});

describe('JSON', () => {
  it('reads an array of strings, with the line each one is on', () => {
    const text = '[\n  "4DNFIQ8R2EB1",\n  "drs://data.4dnucleome.org/4DNFIW6N4C2H",\n  "nope"\n]';
    const result = parse(text);
    expect(result.format).toBe('json');
    expect(result.items.map((i) => i.line)).toEqual([2, 3]);
    expect(result.rejected.map((r) => [r.line, r.text])).toEqual([[4, 'nope']]);
  });

  it('reads an array of objects by accession, url, drs_uri or id, with md5 and size hints', () => {
    const text = JSON.stringify(
      [
        { accession: '4DNFIQ8R2EB1', md5sum: '3f1c2a9be0d44b6f8a71c5e2d90ab711', file_size: 1843219877 },
        { url: dl('4DNFIW6N4C2H/@@download/4DNFIW6N4C2H.fastq.gz') },
        { drs_uri: 'drs://example.org/obj-1', size: 0 },
        {
          id: 'drs://example.org/obj-2',
          checksums: [{ type: 'MD5', checksum: '9A0E44D1C3B27F8E6D15AA02B7C4E9F0' }],
          size: '77',
        },
        { name: 'no id here' },
        42,
        ['nested'],
      ],
      null,
      2,
    );
    const result = parse(text, 'list.json');
    expect(result.items.map((i) => [i.id.kind, i.md5, i.size])).toEqual([
      ['accession', '3f1c2a9be0d44b6f8a71c5e2d90ab711', 1843219877],
      ['download-url', undefined, undefined],
      ['drs-uri', undefined, undefined],
      ['drs-uri', '9a0e44d1c3b27f8e6d15aa02b7c4e9f0', 77],
    ]);
    expect(result.rejected.map((r) => [r.text, r.reason])).toEqual([
      ['{name}', 'This object has no accession, url, drs_uri or id field'],
      ['42', 'Expected an id string, or an object with an accession, url or drs_uri'],
      ['[…]', 'Expected an id string, or an object with an accession, url or drs_uri'],
    ]);
    const lines = text.split('\n');
    for (const r of [...result.items, ...result.rejected]) {
      expect(r.line).toBeGreaterThanOrEqual(1);
      expect(r.line).toBeLessThanOrEqual(lines.length);
    }
    expect(lines[(result.items[1]?.line ?? 0) - 1]).toBe('  {');
  });

  it('reads {"files": [...]} and {"@graph": [...]} of portal items, preferring the accession to @id', () => {
    const graph = {
      '@graph': [
        {
          '@id': '/files-processed/4DNFIJ7T3LUD/',
          accession: '4DNFIJ7T3LUD',
          href: '/files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz',
          md5sum: 'd41b7e0a9c2f4b6183e5a7c90d2f6b34',
          file_size: 5230041988,
          extra_files: [{ href: '/x', md5sum: '7c2e9b1f04a8d3e65b91c0f2a4d7e813' }],
        },
        { '@id': '/experiment-set-replicates/4DNESX5H7MQK/', accession: '4DNESX5H7MQK' },
      ],
      total: 2,
    };
    const result = parse(JSON.stringify(graph));
    expect(result.items.map((i) => [i.input, i.md5, i.size])).toEqual([
      ['4DNFIJ7T3LUD', 'd41b7e0a9c2f4b6183e5a7c90d2f6b34', 5230041988],
    ]);
    expect(result.rejected[0]?.reason).toMatch(/experiment set, not a file/);
    const files = parse('{"note": "x", "files": [\n"4DNFIQ8R2EB1",\n"4DNFIQ8R2EB1"\n]}');
    expect(files.items.map((i) => i.line)).toEqual([2]);
    expect(files.duplicates).toEqual([{ line: 3, firstLine: 2, text: '4DNFIQ8R2EB1' }]);
  });

  it('lets content decide over the extension', () => {
    expect(parse('4DNFIQ8R2EB1\n4DNFIW6N4C2H\n', 'ids.json')).toMatchObject({
      format: 'plain',
      rejected: [],
    });
    expect(parse('["4DNFIQ8R2EB1"]', 'ids.txt').format).toBe('json');
    expect(parse('accession\n4DNFIQ8R2EB1\n', 'ids.txt').format).toBe('csv');
  });

  it('reads a single item, a DRS object, and a bare JSON string', () => {
    expect(parse('{"accession": "4DNFIQ8R2EB1"}').items).toHaveLength(1);
    const drsObject = {
      id: '4DNFIIA7E3HL',
      self_uri: 'drs://data.4dnucleome.org/4DNFIIA7E3HL',
      size: 2345462672,
      checksums: [{ checksum: '3f1c2a9be0d44b6f8a71c5e2d90ab711', type: 'md5' }],
    };
    expect(parse(JSON.stringify([drsObject])).items[0]).toMatchObject({
      id: { kind: 'drs-uri', objectId: '4DNFIIA7E3HL' },
      md5: '3f1c2a9be0d44b6f8a71c5e2d90ab711',
      size: 2345462672,
    });
    expect(parse('"4DNFIQ8R2EB1"', 'one.json').items).toHaveLength(1);
  });

  it('reports invalid JSON once, on the line of the error, without quoting V8', () => {
    const result = parse('[\n"4DNFIQ8R2EB1",\n"4DNFIW6N4C2H"\n"x"\n]');
    expect(result.format).toBe('json');
    expect(result.items).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.line).toBe(4);
    expect(result.rejected[0]?.reason).toBe(
      'Not valid JSON: check for a missing comma, quote or bracket on or before this line',
    );
    expect(parse('[1, 2', 'x.json').rejected).toHaveLength(1);
    const deep = parse(`{"files": \n${'['.repeat(100)}`);
    expect(deep.rejected).toEqual([
      {
        line: 2,
        text: `${'['.repeat(100)}`,
        reason: 'This JSON is nested more than 64 levels deep: a list of ids never is',
      },
    ]);
    expect(parse('{"files": 3}').rejected[0]?.reason).toMatch(/no accession, url, drs_uri or id/);
    expect(parse('null').rejected[0]?.text).toBe('null');
  });
});
