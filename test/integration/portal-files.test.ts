import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { authed, getJson, storageLocation } from '../../sample-portal/test-helpers.ts';

let portal: SamplePortal;
beforeAll(async () => {
  portal = await startSamplePortal();
});
afterAll(() => portal.close());

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

describe('sample portal: generated files', () => {
  it('generates twelve files covering the formats, shapes and statuses clients must handle', () => {
    const files = portal.files;
    expect(files).toHaveLength(12);
    const formats = new Set(files.map((f) => f.fileName.slice(13)));
    for (const ext of ['pairs.gz', 'mcool', 'hic', 'fastq.gz', 'bam', 'bw']) expect(formats).toContain(ext);
    expect(new Set(files.map((f) => f.itemType))).toEqual(
      new Set(['files-processed', 'files-fastq', 'files-reference']),
    );
    expect(files.some((f) => f.status === 'restricted')).toBe(true);
    expect(files.some((f) => f.status === 'uploading')).toBe(true);
    expect(files.some((f) => f.openData)).toBe(true);
    expect(files.some((f) => f.extraFiles.length > 0)).toBe(true);
    const sizes = files.map((f) => f.size);
    expect(Math.min(...sizes)).toBeLessThan(10_000);
    expect(Math.max(...sizes)).toBeGreaterThan(16 * 1024 * 1024);
    for (const file of files) {
      expect(file.accession).toMatch(/^TSTFI[0-9A-Z]{7}$/);
      expect(file.fileName.startsWith(`${file.accession}.`)).toBe(true);
      expect(file.md5).toMatch(/^[0-9a-f]{32}$/);
      expect(file.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(files.map((f) => f.accession)).size).toBe(12);
  });

  it('is deterministic: the same seed gives the same files and bytes, another seed differs', async () => {
    const again = await startSamplePortal({ seed: 1, files: 3 });
    const other = await startSamplePortal({ seed: 2, files: 3 });
    try {
      expect(again.key).toBe(portal.key);
      expect(again.secret).toBe(portal.secret);
      for (let i = 0; i < 3; i++) {
        const a = portal.files[i];
        const b = again.files[i];
        expect([b?.accession, b?.uuid, b?.size, b?.md5]).toEqual([a?.accession, a?.uuid, a?.size, a?.md5]);
      }
      expect(other.files[0]?.accession).not.toBe(portal.files[0]?.accession);
      expect(other.files[0]?.md5).not.toBe(portal.files[0]?.md5);
      expect(other.key).not.toBe(portal.key);
    } finally {
      await Promise.all([again.close(), other.close()]);
    }
  });

  it('reads any byte range of the stored content consistently with its md5', () => {
    const file = portal.files.find((f) => f.size > 3 * 1024 * 1024) as (typeof portal.files)[number];
    const whole = portal.readBytes(file.fileName);
    expect(whole.length).toBe(file.size);
    expect(md5(whole)).toBe(file.md5);
    for (const [start, end] of [
      [0, 8],
      [5, 1_048_580],
      [1_048_576, 1_048_584],
      [file.size - 3, file.size],
    ] as const)
      expect(portal.readBytes(file.fileName, start, end).equals(whole.subarray(start, end))).toBe(true);
    const block0 = whole.subarray(8, 1_048_576);
    const block1 = whole.subarray(1_048_576 + 8, 2 * 1_048_576);
    expect(block0.equals(block1)).toBe(true);
    expect(whole.subarray(0, 8).equals(whole.subarray(1_048_576, 1_048_584))).toBe(false);
    expect(() => portal.readBytes('nope.bam')).toThrow('No stored file named nope.bam');
  });

  it('adds files with chosen properties, an extra file and a fixed accession', async () => {
    const added = portal.addFile({
      size: 70_000,
      format: 'bam',
      drsShape: 'legacy',
      openData: false,
      accession: 'TSTFIADDED01',
      withExtraFile: true,
    });
    expect(added).toMatchObject({
      accession: 'TSTFIADDED01',
      itemType: 'files-processed',
      fileName: 'TSTFIADDED01.bam',
    });
    expect(added.extraFiles).toEqual([
      expect.objectContaining({ fileName: 'TSTFIADDED01.bam.bai', format: 'bai' }),
    ]);
    expect(portal.file('TSTFIADDED01')).toBe(added);
    expect(portal.files).toContain(added);
    expect(() => portal.addFile({ size: 10, accession: 'TSTFIADDED01' })).toThrow(/already exists/);
    expect(() => portal.file('TSTFINOPE000')).toThrow('No sample file TSTFINOPE000');
    const response = await fetch(`${portal.portalUrl}/${added.accession}/@@download`, {
      headers: authed(portal),
    });
    expect(md5(Buffer.from(await response.arrayBuffer()))).toBe(added.md5);
    const fastq = portal.addFile({ size: 100, format: 'fastq' });
    expect(fastq.itemType).toBe('files-fastq');
    expect(fastq.drsShape).toBe('current');
    expect(fastq.openData).toBe(true);
  });

  it('computes the md5 of a big added file lazily and serves it over DRS without blocking', async () => {
    const big = portal.addFile({ size: 80 * 1024 * 1024 + 3, format: 'mcool', openData: false });
    const { body } = await getJson(`${portal.drsBase}/objects/${big.accession}`);
    const checksum = (body.checksums as Array<{ checksum: string }>)[0]?.checksum;
    expect(checksum).toBe(big.md5);
    const hash = createHash('md5');
    const response = await fetch(await storageLocation(portal, big));
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
    expect(hash.digest('hex')).toBe(big.md5);
    expect(portal.bytesServed(big.fileName)).toBe(big.size);
  });

  it('serves an empty file', async () => {
    const empty = portal.addFile({ size: 0, format: 'bw' });
    expect(empty.md5).toBe('d41d8cd98f00b204e9800998ecf8427e');
    const response = await fetch(await storageLocation(portal, empty));
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(0);
    const ranged = await fetch(await storageLocation(portal, empty), { headers: { range: 'bytes=0-' } });
    expect(ranged.status).toBe(416);
  });
});
