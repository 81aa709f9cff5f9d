import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chooseFileName,
  MAX_NAME_BYTES,
  nameFromContentDisposition,
  nameFromUrl,
  pathInside,
  sanitizeFileName,
  splitExtension,
  uniqueFileName,
} from '../../src-main/core/downloads/disk/naming.ts';

describe('sanitizeFileName', () => {
  it('keeps ordinary portal names as they are', () => {
    expect(sanitizeFileName('4DNFIIA7E3HL.pairs.gz')).toBe('4DNFIIA7E3HL.pairs.gz');
    expect(sanitizeFileName('TSTFI1234567.fastq.gz')).toBe('TSTFI1234567.fastq.gz');
  });

  it('keeps only the basename of a path, whatever the separator', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('..\\..\\Windows\\system.ini')).toBe('system.ini');
    expect(sanitizeFileName('/abs/path/file.txt')).toBe('file.txt');
  });

  it('never yields a dot name or an empty name', () => {
    expect(sanitizeFileName('..', 'TSTFI1234567')).toBe('TSTFI1234567');
    expect(sanitizeFileName('.', 'TSTFI1234567')).toBe('TSTFI1234567');
    expect(sanitizeFileName('../', 'x.bin')).toBe('x.bin');
    expect(sanitizeFileName('', '')).toBe('download');
    expect(sanitizeFileName('.bashrc')).toBe('bashrc');
  });

  it('replaces reserved characters and drops control characters', () => {
    expect(sanitizeFileName('a<b>c:d"e|f?g*h.txt')).toBe('a_b_c_d_e_f_g_h.txt');
    expect(sanitizeFileName('line\nbreak\u0000.txt')).toBe('linebreak.txt');
  });

  it('strips trailing dots and spaces (Windows drops them silently)', () => {
    expect(sanitizeFileName('file.txt. . ')).toBe('file.txt');
    expect(sanitizeFileName('  name  ')).toBe('name');
  });

  it('defuses Windows device names, with or without an extension', () => {
    for (const name of ['CON', 'prn', 'AUX.txt', 'nul.tar.gz', 'COM1', 'lpt9.log', 'COM¹']) {
      expect(sanitizeFileName(name)).toBe(`_${name}`);
    }
    expect(sanitizeFileName('CONSOLE.txt')).toBe('CONSOLE.txt');
  });

  it('cuts long names to the byte limit, keeping the extension and whole characters', () => {
    const long = `${'é'.repeat(300)}.pairs.gz`;
    const name = sanitizeFileName(long);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(name.endsWith('.pairs.gz')).toBe(true);
    expect(name).not.toContain('\uFFFD');
    expect(Buffer.byteLength(`${name}.part`)).toBeLessThanOrEqual(255);
  });

  it('normalises unicode to NFC', () => {
    expect(sanitizeFileName('cafe\u0301.txt')).toBe('caf\u00e9.txt');
  });

  it('is always a single safe component (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (raw) => {
        const name = sanitizeFileName(raw, 'fallback');
        expect(name.length).toBeGreaterThan(0);
        expect(name).not.toMatch(/[/\\<>:"|?*\u0000-\u001f]/);
        expect(name).not.toMatch(/^\.|[. ]$/);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
        expect(pathInside('/downloads', name)).toBe(join('/downloads', name));
      }),
    );
  });
});

describe('where names come from', () => {
  it('takes the storage URL basename when it names a file', () => {
    expect(
      nameFromUrl('https://s3.example/bucket/wfoutput/uuid/4DNFIIA7E3HL.pairs.gz?X-Amz-Signature=abc'),
    ).toBe('4DNFIIA7E3HL.pairs.gz');
    expect(nameFromUrl('https://s3.example/bucket/a%20b.txt')).toBe('a b.txt');
    expect(nameFromUrl('https://storage.example/objects/0a1b2c')).toBeUndefined();
    expect(nameFromUrl('not a url')).toBeUndefined();
  });

  it('reads Content-Disposition in its plain, quoted and RFC 5987 forms', () => {
    expect(nameFromContentDisposition('attachment; filename=TSTFI1234567.hic')).toBe('TSTFI1234567.hic');
    expect(nameFromContentDisposition('attachment; filename="a \\"q\\".txt"')).toBe('a "q".txt');
    expect(
      nameFromContentDisposition(`attachment; filename="x.txt"; filename*=UTF-8''%C3%A9t%C3%A9.txt`),
    ).toBe('été.txt');
    expect(nameFromContentDisposition('inline')).toBeUndefined();
    expect(nameFromContentDisposition(undefined)).toBeUndefined();
    expect(nameFromContentDisposition('attachment;filename="semi;colon.txt" ; size=3')).toBe(
      'semi;colon.txt',
    );
    expect(nameFromContentDisposition('attachment; FILENAME = spaced.txt ')).toBe('spaced.txt');
    expect(nameFromContentDisposition(`attachment; filename*=UTF-8''%E0%A4; filename=b.txt`)).toBe('b.txt');
  });

  it('reads a hostile 100 kB Content-Disposition in linear time', () => {
    const spaces = ' '.repeat(100_000);
    const headers = [
      `attachment; filename*=${spaces}`,
      `attachment; filename*=a${spaces}'`,
      `attachment; filename=${spaces}`,
      `attachment; filename="${spaces}`,
      spaces,
      'filename;'.repeat(11_000),
    ];
    const started = performance.now();
    for (const header of headers) expect(nameFromContentDisposition(header)).toBeUndefined();
    // The name inside the cap is still read; one past it is not a name a server means.
    expect(nameFromContentDisposition(`attachment; filename=${'a'.repeat(100)}.txt;${spaces}`)).toBe(
      `${'a'.repeat(100)}.txt`,
    );
    // The old pattern took over ten seconds on the first header alone; linear parsing takes milliseconds.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('drops control and bidi characters from file names, so a name cannot pass for another', () => {
    expect(sanitizeFileName('report\u202Efdp.exe')).toBe('reportfdp.exe');
    expect(sanitizeFileName('a\u200e\u200fb\u2066\u2069\u202a.txt')).toBe('ab.txt');
    expect(sanitizeFileName('esc\u001b[31mred\u009b\u0085.txt')).toBe('esc[31mred.txt');
  });

  it('prefers storage URL, then Content-Disposition, then the DRS name, then the fallback', () => {
    const url = 'https://s3/x/ACC.bam';
    const opaque = 'https://s3/objects/123';
    const cd = 'attachment; filename=FromHeader.bam';
    expect(
      chooseFileName({ storageUrl: url, contentDisposition: cd, sourceName: 'drs.bam', fallback: 'f' }),
    ).toBe('ACC.bam');
    expect(
      chooseFileName({ storageUrl: opaque, contentDisposition: cd, sourceName: 'drs.bam', fallback: 'f' }),
    ).toBe('FromHeader.bam');
    expect(chooseFileName({ storageUrl: opaque, sourceName: 'drs.bam', fallback: 'f' })).toBe('drs.bam');
    expect(chooseFileName({ storageUrl: opaque, fallback: 'ACC' })).toBe('ACC');
    expect(
      chooseFileName({
        storageUrl: opaque,
        contentDisposition: 'attachment; filename="../../x.sh"',
        fallback: 'f',
      }),
    ).toBe('x.sh');
  });
});

describe('collisions and containment', () => {
  it('splits compound extensions', () => {
    expect(splitExtension('ACC.pairs.gz')).toEqual({ stem: 'ACC', ext: '.pairs.gz' });
    expect(splitExtension('ACC.bam')).toEqual({ stem: 'ACC', ext: '.bam' });
    expect(splitExtension('README')).toEqual({ stem: 'README', ext: '' });
  });

  it('numbers a taken name before its extension', async () => {
    const taken = new Set(['ACC.pairs.gz', 'ACC (1).pairs.gz']);
    expect(await uniqueFileName('ACC.pairs.gz', (c) => taken.has(c))).toBe('ACC (2).pairs.gz');
    expect(await uniqueFileName('free.txt', async () => false)).toBe('free.txt');
  });

  it('keeps numbered names within the byte limit', async () => {
    const long = sanitizeFileName(`${'x'.repeat(400)}.bam`);
    const next = await uniqueFileName(long, (c) => c === long);
    expect(next.endsWith(' (1).bam')).toBe(true);
    expect(Buffer.byteLength(next)).toBeLessThanOrEqual(MAX_NAME_BYTES);
  });

  it('proves a path stays inside the folder', () => {
    expect(pathInside('/data/dl', 'a.txt')).toBe(resolve('/data/dl/a.txt'));
    for (const bad of ['../a.txt', '../../etc/passwd', '/etc/passwd', 'sub/a.txt', '', '.']) {
      expect(() => pathInside('/data/dl', bad)).toThrow(/outside/);
    }
  });
});
