import { describe, expect, it } from 'vitest';
import type { ParsedId } from '../../src-shared/domain/ids.ts';
import {
  ACCESSION_RE,
  displayName,
  drsObjectUrl,
  echoInput,
  idKey,
  isFileAccession,
  parseId,
} from '../../src-shared/ids/ids.ts';

const PORTAL = 'https://data.4dnucleome.org';

function ok(text: string): ParsedId {
  const result = parseId(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got: ${result.reason}`);
  return result.id;
}

function reason(text: string): string {
  const result = parseId(text);
  if (result.ok)
    throw new Error(`expected ${JSON.stringify(text)} to be rejected, got ${JSON.stringify(result.id)}`);
  return result.reason;
}

describe('accessions', () => {
  it('recognises 4DN file accessions and test accessions', () => {
    expect(isFileAccession('4DNFIQ8R2EB1')).toBe(true);
    expect(isFileAccession('TSTFI0000001')).toBe(true);
    expect(isFileAccession('4DNFI0000001')).toBe(false); // the portal never issues a zero
    expect(isFileAccession('4DNFIQ8R2EB')).toBe(false);
    expect(isFileAccession('4DNFIQ8R2EB12')).toBe(false);
    expect(isFileAccession('4dnfiq8r2eb1')).toBe(false);
    expect(isFileAccession('4DNESX5H7MQK')).toBe(false);
    expect(ACCESSION_RE.test('TSTFIABCDEFG')).toBe(true);
  });

  it('parses a bare accession, trimming whitespace', () => {
    expect(ok('  4DNFIQ8R2EB1\t')).toEqual({ kind: 'accession', accession: '4DNFIQ8R2EB1' });
    expect(ok('TSTFI0000001')).toEqual({ kind: 'accession', accession: 'TSTFI0000001' });
    expect(ok('\uFEFF4DNFIQ8R2EB1')).toEqual({ kind: 'accession', accession: '4DNFIQ8R2EB1' });
  });

  it('normalises a lower-case bare accession to upper case', () => {
    expect(ok('4dnfiq8r2eb1')).toEqual({ kind: 'accession', accession: '4DNFIQ8R2EB1' });
    expect(ok('tstfi0000abc')).toEqual({ kind: 'accession', accession: 'TSTFI0000ABC' });
  });

  it('explains accessions of other item kinds', () => {
    expect(reason('4DNESX5H7MQK')).toBe(
      '4DNESX5H7MQK is an experiment set, not a file: open it on the portal and add its files, or use the metadata TSV',
    );
    expect(reason('4DNEXB3K9TZP')).toMatch(/^4DNEXB3K9TZP is an experiment, not a file/);
    expect(reason('4DNBSAAAAAAA')).toMatch(/is a biosample, not a file/);
    expect(reason('4DNWFAAAAAAA')).toMatch(/is a workflow, not a file/);
    expect(reason('4DNZZAAAAAAA')).toMatch(/is a 4DN item, not a file/);
  });

  it('explains near-miss accessions', () => {
    expect(reason('4DNFI0ABCDEF')).toMatch(/never contain the digit 0 \(did you mean 4DNFIOABCDEF\?\)/);
    expect(reason('4DNFIABC')).toMatch(/exactly 7 letters or digits \(12 characters in all; this has 8\)/);
    expect(reason('4DNFIABCDEFGH')).toMatch(/this has 13/);
    expect(reason('TSTFI00')).toMatch(/TSTFI is followed by exactly 7/);
  });

  it('suggests drs:// for a bare uuid and https:// for a link without a scheme', () => {
    expect(reason('a3f7e2c1-1234-4abc-9def-0123456789ab')).toMatch(/uuid.*drs:\/\/host\/<uuid>/);
    expect(reason('data.4dnucleome.org/files-processed/4DNFIQ8R2EB1/')).toMatch(/add https:\/\/ in front/);
    expect(reason('/files-processed/4DNFIQ8R2EB1/')).toMatch(/path without a server/);
    expect(reason('hello')).toMatch(/^Not an accession, DRS URI or link/);
    // It names both accession prefixes the parser takes, not only the 4DN portal's.
    expect(reason('hello')).toMatch(/4DNFI, or TSTFI on a test portal, and 7 letters or digits/);
  });
});

describe('drs:// URIs', () => {
  it('maps drs://host/id to the host over https', () => {
    expect(ok('drs://data.4dnucleome.org/4DNFIIA7E3HL')).toEqual({
      kind: 'drs-uri',
      host: 'data.4dnucleome.org',
      objectId: '4DNFIIA7E3HL',
      drsBase: 'https://data.4dnucleome.org/ga4gh/drs/v1',
    });
    expect(ok('drs://DRS.Example.org:8443/abc-123')).toEqual({
      kind: 'drs-uri',
      host: 'drs.example.org:8443',
      objectId: 'abc-123',
      drsBase: 'https://drs.example.org:8443/ga4gh/drs/v1',
    });
  });

  it('uses plain http for loopback test servers', () => {
    expect(ok('drs://127.0.0.1:8080/TSTFI0000001')).toMatchObject({
      host: '127.0.0.1:8080',
      drsBase: 'http://127.0.0.1:8080/ga4gh/drs/v1',
    });
    expect(ok('drs://localhost:9/x')).toMatchObject({ drsBase: 'http://localhost:9/ga4gh/drs/v1' });
    expect(ok('drs://[::1]:9/x')).toMatchObject({ drsBase: 'http://[::1]:9/ga4gh/drs/v1' });
  });

  it('keeps ids with colons and slashes (md5 aliases, Gen3 prefixes), decoded', () => {
    expect(ok('drs://data.4dnucleome.org/md5:3f1c2a9be0d44b6f8a71c5e2d90ab711')).toMatchObject({
      objectId: 'md5:3f1c2a9be0d44b6f8a71c5e2d90ab711',
    });
    expect(ok('drs://nci-crdc.datacommons.io/dg.4DFC/0a1b')).toMatchObject({ objectId: 'dg.4DFC/0a1b' });
    expect(ok('drs://example.org/a%20b')).toMatchObject({ objectId: 'a b' });
  });

  it("reads the portal's legacy self_uri as the accession", () => {
    expect(ok('drs://data.4dnucleome.org/files-processed/4DNFIIA7E3HL/@@drs')).toMatchObject({
      objectId: '4DNFIIA7E3HL',
    });
  });

  it('refuses compact ids with the resolver message', () => {
    const compact =
      'Compact DRS ids (drs://prefix:accession) need a resolver service and are not supported; use drs://host/id or the accession.';
    expect(reason('drs://dg.4503:0a1b2c')).toBe(compact);
    expect(reason('drs://ebi/ena:ERR123')).toBe(compact);
    expect(reason('drs://n2t/drs.anv0:v2_abc')).toBe(compact);
  });

  it('refuses a drs:// URI without an id, with a bad port, or with credentials', () => {
    expect(reason('drs://data.4dnucleome.org')).toMatch(/has no object id/);
    expect(reason('drs://data.4dnucleome.org/')).toMatch(/has no object id/);
    expect(reason('drs://host.org:99999/x')).toMatch(/port/);
    expect(reason('drs://me:secret@host.org/x')).not.toMatch(/secret/);
    expect(reason('drs://me:secret@host.org/x')).toMatch(/user name or password/);
    expect(reason('drs://host.org/a/../b')).toMatch(/"\.\."/);
    expect(reason('drs://host.org/a/%2e%2e/b')).toMatch(/"\.\."/);
  });
});

describe('http(s) links', () => {
  it('reads DRS object links, dropping /access/... and a trailing slash', () => {
    const expected = {
      kind: 'drs-url',
      objectId: '4DNFIIA7E3HL',
      drsBase: 'https://data.4dnucleome.org/ga4gh/drs/v1',
    };
    expect(ok(`${PORTAL}/ga4gh/drs/v1/objects/4DNFIIA7E3HL`)).toEqual(expected);
    expect(ok(`${PORTAL}/ga4gh/drs/v1/objects/4DNFIIA7E3HL/`)).toEqual(expected);
    expect(ok(`${PORTAL}/ga4gh/drs/v1/objects/4DNFIIA7E3HL/access/https`)).toEqual(expected);
    expect(ok(`${PORTAL}/ga4gh/drs/v1/objects/4DNFIIA7E3HL/access`)).toEqual(expected);
    expect(ok('http://127.0.0.1:5000/ga4gh/drs/v1/objects/abc?x=1')).toEqual({
      kind: 'drs-url',
      objectId: 'abc',
      drsBase: 'http://127.0.0.1:5000/ga4gh/drs/v1',
    });
    expect(ok('https://example.org/api/ga4gh/drs/v1/objects/dg.4DFC/0a1b')).toEqual({
      kind: 'drs-url',
      objectId: 'dg.4DFC/0a1b',
      drsBase: 'https://example.org/api/ga4gh/drs/v1',
    });
  });

  it('refuses a DRS link with no object id', () => {
    expect(reason(`${PORTAL}/ga4gh/drs/v1/objects/`)).toMatch(/no object id/);
  });

  it('reads portal item pages under any collection, and /ACC/', () => {
    for (const collection of ['files-processed', 'files-fastq', 'files-reference', 'files-microscopy']) {
      expect(ok(`${PORTAL}/${collection}/4DNFIQ8R2EB1/`)).toEqual({
        kind: 'portal-item',
        origin: PORTAL,
        accession: '4DNFIQ8R2EB1',
        path: `/${collection}/4DNFIQ8R2EB1/`,
      });
    }
    expect(ok(`${PORTAL}/4DNFIQ8R2EB1`)).toEqual({
      kind: 'portal-item',
      origin: PORTAL,
      accession: '4DNFIQ8R2EB1',
      path: '/4DNFIQ8R2EB1/',
    });
    expect(ok('HTTPS://DATA.4dnucleome.org:443/4DNFIQ8R2EB1/?format=json#top')).toMatchObject({
      origin: PORTAL,
      path: '/4DNFIQ8R2EB1/',
    });
    expect(ok('http://127.0.0.1:8123/files-processed/TSTFI0000001/@@drs')).toMatchObject({
      kind: 'portal-item',
      origin: 'http://127.0.0.1:8123',
    });
  });

  it('reads @@download links, with and without a file name', () => {
    expect(ok(`${PORTAL}/4DNFIQ8R2EB1/@@download`)).toEqual({
      kind: 'download-url',
      origin: PORTAL,
      accession: '4DNFIQ8R2EB1',
      url: `${PORTAL}/4DNFIQ8R2EB1/@@download`,
    });
    expect(ok(`${PORTAL}/files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz.px2`)).toEqual({
      kind: 'download-url',
      origin: PORTAL,
      accession: '4DNFIJ7T3LUD',
      fileName: '4DNFIJ7T3LUD.pairs.gz.px2',
      url: `${PORTAL}/files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz.px2`,
    });
    expect(ok(`${PORTAL}/files-fastq/4DNFIQ8R2EB1/@@download/4DNFIQ8R2EB1.fastq.gz/`)).toMatchObject({
      fileName: '4DNFIQ8R2EB1.fastq.gz',
    });
    expect(ok(`${PORTAL}/4DNFIQ8R2EB1/@@download/a%20b.gz`)).toMatchObject({
      fileName: 'a b.gz',
      url: `${PORTAL}/4DNFIQ8R2EB1/@@download/a%20b.gz`,
    });
  });

  it('refuses links that do not point at a file, with a hint when an accession is in them', () => {
    expect(reason(PORTAL)).toMatch(/does not point at a file/);
    expect(reason(`${PORTAL}/search/?type=File&accession=4DNFIQ8R2EB1`)).toMatch(
      /did you mean 4DNFIQ8R2EB1\?/,
    );
    expect(reason(`${PORTAL}/experiment-set-replicates/4DNESX5H7MQK/`)).toMatch(
      /is an experiment set, not a file/,
    );
    expect(reason(`${PORTAL}/files-processed/4dnfiq8r2eb1/`)).toBe(
      'Accessions are upper case: did you mean 4DNFIQ8R2EB1?',
    );
    expect(reason(`${PORTAL}/a/b/4DNFIQ8R2EB1/`)).toMatch(/does not point at a file/);
    expect(reason(`${PORTAL}/4DNFIQ8R2EB1/@@download/a/b`)).toMatch(/names one file/);
    expect(reason(`${PORTAL}/4DNFIQ8R2EB1/@@edit`)).toMatch(/@@edit pages are not downloads/);
    expect(reason(`${PORTAL}/@@download/4DNFIQ8R2EB1.fastq.gz`)).toMatch(/did you mean 4DNFIQ8R2EB1/);
  });

  it('points storage links back to the accession', () => {
    expect(
      reason(
        'https://4dn-open-data-public.s3.amazonaws.com/fourfront-webprod/wfoutput/0f1e/4DNFIIA7E3HL.pairs.gz?X-Amz-Signature=abc',
      ),
    ).toMatch(/storage link.*use the accession 4DNFIIA7E3HL/);
  });

  it('refuses other schemes and malformed links', () => {
    expect(reason('ftp://data.4dnucleome.org/4DNFIQ8R2EB1')).toMatch(/^ftp: links are not supported/);
    expect(reason('s3://bucket/4DNFIQ8R2EB1.pairs.gz')).toMatch(/^s3: links are not supported/);
    expect(reason('javascript:alert(1)')).toMatch(/^javascript: links are not supported/);
    expect(reason('file:///etc/passwd')).toMatch(/^file: links are not supported/);
    expect(reason('https:/data.4dnucleome.org/4DNFIQ8R2EB1/')).toMatch(/Malformed link/);
    expect(reason('https://')).toMatch(/no valid host/);
    expect(reason('https://bad_host.org/4DNFIQ8R2EB1/')).toMatch(/no valid host/);
    expect(reason('https://host.org:0/4DNFIQ8R2EB1/')).toMatch(/port/);
    expect(reason('https://host.org:abc/4DNFIQ8R2EB1/')).toMatch(/port/);
    expect(reason('https://host.org/%zz/4DNFIQ8R2EB1/')).toMatch(/malformed %-escape/);
  });

  it('refuses credentials in links without repeating them', () => {
    for (const link of [
      'https://user:hunter2pass@data.4dnucleome.org/4DNFIQ8R2EB1/',
      'https://hunter2pass@data.4dnucleome.org/4DNFIQ8R2EB1/',
      'http://KEYID123:hunter2pass@127.0.0.1:9/4DNFIQ8R2EB1/@@download',
    ]) {
      const why = reason(link);
      expect(why).toMatch(/user name or password/);
      expect(why).not.toContain('hunter2pass');
    }
  });

  it('refuses traversal, plain or encoded, in paths and file names', () => {
    const traversal = [
      `${PORTAL}/files-processed/../4DNFIQ8R2EB1/`,
      `${PORTAL}/files-processed/%2e%2e/4DNFIQ8R2EB1/`,
      `${PORTAL}/4DNFIQ8R2EB1/@@download/..`,
      `${PORTAL}/4DNFIQ8R2EB1/@@download/%2E%2E`,
      `${PORTAL}/4DNFIQ8R2EB1/@@download/.`,
    ];
    for (const link of traversal) expect(reason(link)).toMatch(/"\." or "\.\." path segment/);
    expect(reason(`${PORTAL}/4DNFIQ8R2EB1/@@download/..%2F..%2Fetc%2Fpasswd`)).toMatch(/%2F/);
    expect(reason(`${PORTAL}/4DNFIQ8R2EB1/@@download/a%5Cb`)).toMatch(/backslash/);
    expect(reason(`${PORTAL}/4DNFIQ8R2EB1/@@download/a%00b`)).toMatch(/control or non-ASCII/);
    expect(reason(`${PORTAL}/4DNFIQ8R2EB1/@@download/%D0%90.gz`)).toMatch(/control or non-ASCII/);
    expect(reason(`${PORTAL}/objects/4DNFIQ8R2EB1/@@download/a%2Fb`)).toMatch(/%2F/);
    expect(reason(`${PORTAL}/ga4gh/drs/v1/objects/a%2F..%2Fb`)).toMatch(/"\.\."/);
  });
});

describe('text checks', () => {
  it('refuses empty input', () => {
    expect(reason('')).toMatch(/^Empty/);
    expect(reason('   \t ')).toMatch(/^Empty/);
  });

  it('refuses over-long input without echoing it', () => {
    const huge = `4DNFI${'A'.repeat(10_000_000)}`;
    const why = reason(huge);
    expect(why).toMatch(/Too long \(10000005 characters\)/);
    expect(why.length).toBeLessThan(200);
    expect(reason(`https://h.org/${'a'.repeat(2100)}`)).toMatch(/at most 2048/);
  });

  it('refuses control characters', () => {
    expect(reason('4DNFIQ8R2EB1\u0000')).toMatch(/control character \(U\+0000\) at position 13/);
    expect(reason('4DNFI\u0007Q8R2EB1')).toMatch(/U\+0007/);
    expect(reason('4DNFIQ8R2\u007fEB1')).toMatch(/U\+007F/);
  });

  it('refuses look-alikes and invisible characters, naming non-ASCII', () => {
    const inputs = [
      '4DNFI\u0410BCDEFG', // Cyrillic А
      '\uFF14DNFIQ8R2EB1', // full-width 4
      '4DNFIQ8R\u200B2EB1', // zero-width space
      '4DNFIQ8R2EB1\u200D', // zero-width joiner at the end (not trimmed)
      'https://dаta.4dnucleome.org/4DNFIQ8R2EB1/', // Cyrillic а in the host
      '4DNFIQ8R2EB1\u00A0x',
    ];
    for (const input of inputs) expect(reason(input)).toMatch(/non-ASCII character \(U\+[0-9A-F]{4}\)/);
    expect(reason('4DNFI\u{1D7CE}AAAAAA')).toMatch(/U\+1D7CE/);
  });

  it('refuses several ids in one', () => {
    expect(reason('4DNFIQ8R2EB1 4DNFIW6N4C2H')).toMatch(/Contains a space/);
  });

  it('survives non-string input from untyped callers', () => {
    expect(parseId(undefined as unknown as string).ok).toBe(false);
  });
});

describe('idKey', () => {
  const key = (text: string) => idKey(ok(text));

  it('treats an accession, its page, an unnamed download and a DRS id for it as one file', () => {
    const expected = 'file:4DNFIQ8R2EB1';
    expect(key('4DNFIQ8R2EB1')).toBe(expected);
    expect(key('4dnfiq8r2eb1')).toBe(expected);
    expect(key(`${PORTAL}/files-processed/4DNFIQ8R2EB1/`)).toBe(expected);
    expect(key(`${PORTAL}/4DNFIQ8R2EB1/`)).toBe(expected);
    expect(key(`${PORTAL}/4DNFIQ8R2EB1/@@download`)).toBe(expected);
    expect(key('drs://data.4dnucleome.org/4DNFIQ8R2EB1')).toBe(expected);
    expect(key(`${PORTAL}/ga4gh/drs/v1/objects/4DNFIQ8R2EB1`)).toBe(expected);
  });

  it('tells a pairs file from its pairs_px2 extra file', () => {
    const pairs = key(`${PORTAL}/files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz`);
    const px2 = key(`${PORTAL}/files-processed/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz.px2`);
    expect(pairs).toBe('file:4DNFIJ7T3LUD/4DNFIJ7T3LUD.pairs.gz');
    expect(px2).toBe('file:4DNFIJ7T3LUD/4DNFIJ7T3LUD.pairs.gz.px2');
    expect(key(`${PORTAL}/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz`)).toBe(pairs);
    expect(pairs).not.toBe(key('4DNFIJ7T3LUD'));
  });

  it('keys other DRS objects by server and id, the same for drs:// and https forms', () => {
    expect(key('drs://example.org/abc')).toBe('drs:https://example.org/ga4gh/drs/v1/objects/abc');
    expect(key('https://example.org/ga4gh/drs/v1/objects/abc')).toBe(key('drs://example.org/abc'));
    expect(key('drs://other.org/abc')).not.toBe(key('drs://example.org/abc'));
  });
});

describe('displayName and drsObjectUrl', () => {
  it('labels each form briefly', () => {
    expect(displayName(ok('4DNFIQ8R2EB1'))).toBe('4DNFIQ8R2EB1');
    expect(displayName(ok(`${PORTAL}/files-fastq/4DNFIQ8R2EB1/`))).toBe('4DNFIQ8R2EB1');
    expect(displayName(ok(`${PORTAL}/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz.px2`))).toBe(
      '4DNFIJ7T3LUD.pairs.gz.px2',
    );
    expect(displayName(ok(`${PORTAL}/4DNFIJ7T3LUD/@@download`))).toBe('4DNFIJ7T3LUD');
    expect(displayName(ok('drs://example.org/abc'))).toBe('abc');
  });

  it('names where DRS would resolve each form', () => {
    expect(drsObjectUrl(ok('4DNFIQ8R2EB1'), 'https://data.4dnucleome.org/')).toBe(
      `${PORTAL}/ga4gh/drs/v1/objects/4DNFIQ8R2EB1`,
    );
    expect(drsObjectUrl(ok('TSTFI0000001'), 'http://127.0.0.1:9000///')).toBe(
      'http://127.0.0.1:9000/ga4gh/drs/v1/objects/TSTFI0000001',
    );
    expect(drsObjectUrl(ok('4DNFIQ8R2EB1'), '  ')).toBeUndefined();
    expect(drsObjectUrl(ok('http://127.0.0.1:9/files-processed/TSTFI0000001/'), PORTAL)).toBe(
      'http://127.0.0.1:9/ga4gh/drs/v1/objects/TSTFI0000001',
    );
    expect(drsObjectUrl(ok(`${PORTAL}/4DNFIQ8R2EB1/@@download`), 'http://x')).toBe(
      `${PORTAL}/ga4gh/drs/v1/objects/4DNFIQ8R2EB1`,
    );
    // A named file may be an extra file, which has no DRS object of its own.
    expect(
      drsObjectUrl(ok(`${PORTAL}/4DNFIJ7T3LUD/@@download/4DNFIJ7T3LUD.pairs.gz.px2`), PORTAL),
    ).toBeUndefined();
    expect(drsObjectUrl(ok('drs://127.0.0.1:8080/md5:abc'), PORTAL)).toBe(
      'http://127.0.0.1:8080/ga4gh/drs/v1/objects/md5:abc',
    );
    expect(drsObjectUrl(ok('drs://example.org/a%20b/c%3Fd'), PORTAL)).toBe(
      'https://example.org/ga4gh/drs/v1/objects/a%20b/c%3Fd',
    );
  });
});

describe('echoInput', () => {
  it('redacts credentials and signatures and cuts long text', () => {
    expect(echoInput('https://me:hunter2@h.org/x')).toBe('https://***@h.org/x');
    expect(echoInput('me:hunter2@h.org/x')).toBe('***@h.org/x');
    expect(echoInput('https://s3.org/f?X-Amz-Credential=AKIA&X-Amz-Signature=abc&other=1')).toBe(
      'https://s3.org/f?X-Amz-Credential=***&X-Amz-Signature=***&other=1',
    );
    const cutSecret = echoInput(`https://me:${'p'.repeat(5000)}@h.org/4DNFIQ8R2EB1/`);
    expect(cutSecret).toBe('https://… (5031 characters)');
    const long = echoInput('x'.repeat(10_000));
    expect(long.length).toBeLessThan(250);
    expect(long).toMatch(/… \(10000 characters\)$/);
  });
});
