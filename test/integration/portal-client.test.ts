import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { PortalClient } from '../../src-main/core/drs/portal-client.ts';
import type { Credentials } from '../../src-main/core/http/credentials.ts';
import { HttpClient } from '../../src-main/core/http/http-client.ts';

/** Search, items, the metadata TSV and the session, against the sample portal. */
let portal: SamplePortal;
beforeAll(async () => {
  portal = await startSamplePortal({ files: 24 });
});
afterAll(async () => {
  await portal?.close();
});

const keyOf = (p: SamplePortal): Credentials => ({ server: p.portalUrl, keyId: p.key, secret: p.secret });
/** `null`: anonymous. */
const client = (credentials: Credentials | null = keyOf(portal)) =>
  new PortalClient({
    http: new HttpClient({ credentials: credentials ?? undefined, sleep: async () => {} }),
    server: `${portal.portalUrl}/`,
  });

describe('search', () => {
  it('lists files of a type with their facets', async () => {
    const page = await client().search({ types: ['FileProcessed'], limit: 100 });
    const expected = portal.files.filter((file) => file.itemType === 'files-processed');
    expect(page.total).toBe(expected.length);
    expect(page.items.map((item) => item.accession).sort()).toEqual(
      expected.map((file) => file.accession).sort(),
    );
    const first = page.items[0];
    const sample = portal.file(first?.accession ?? '');
    expect(first).toMatchObject({
      uuid: sample.uuid,
      atId: `/files-processed/${sample.accession}/`,
      displayTitle: sample.fileName,
      fileFormat: sample.format,
      status: sample.status,
      url: `${portal.portalUrl}/files-processed/${sample.accession}/`,
    });
    const formats = page.facets.find((facet) => facet.field === 'file_format.file_format');
    expect(formats?.title).toBe('File Format');
    expect(formats?.terms.reduce((sum, term) => sum + term.count, 0)).toBe(expected.length);
  });

  it('applies filters, repeated (OR) and negated', async () => {
    const pairsOrBam = await client().search({
      filters: [
        { field: 'file_format.file_format', value: 'pairs' },
        { field: 'file_format.file_format', value: 'bam' },
      ],
      limit: 100,
    });
    const expected = portal.files.filter((file) => file.format === 'pairs' || file.format === 'bam');
    expect(pairsOrBam.items.map((item) => item.accession).sort()).toEqual(
      expected.map((f) => f.accession).sort(),
    );
    const notReleased = await client().search({
      filters: [{ field: 'status', value: 'released', negate: true }],
      limit: 100,
    });
    expect(notReleased.total).toBe(portal.files.filter((file) => file.status !== 'released').length);
    expect(notReleased.items.every((item) => item.status !== 'released')).toBe(true);
  });

  it('pages with from and limit, and searchAll gathers every file once', async () => {
    const first = await client().search({ limit: 5, sort: '-date_created' });
    const second = await client().search({ from: 5, limit: 5, sort: '-date_created' });
    expect(first.items).toHaveLength(5);
    expect(second.items).toHaveLength(5);
    const firstIds = new Set(first.items.map((item) => item.uuid));
    expect(second.items.some((item) => firstIds.has(item.uuid))).toBe(false);
    const all = await client().searchAll({}, { pageSize: 7 });
    expect(all).toHaveLength(first.total);
    expect(new Set(all.map((item) => item.uuid)).size).toBe(first.total);
    expect(await client().searchAll({}, { pageSize: 7, max: 10 })).toHaveLength(10);
  });

  it('reads zero results (a 404 with the search body) as an empty page', async () => {
    const page = await client().search({ query: 'no-such-thing-anywhere-zzz' });
    expect(page).toEqual({ items: [], total: 0, facets: [] });
  });

  it('reports an unknown type as bad input with the portal reason', async () => {
    await expect(client().search({ types: ['NoSuchType'] })).rejects.toMatchObject({
      code: 'bad-input',
      message: expect.stringMatching(/Invalid type: NoSuchType/),
    });
  });

  it('offers facets for a type', async () => {
    const facets = await client(null).facets(['File']);
    const statuses = facets.find((facet) => facet.field === 'status');
    const released = portal.files.filter((file) => file.status === 'released').length;
    expect(statuses?.terms).toContainEqual({ key: 'released', count: released });
  });
});

describe('items and manifests', () => {
  it('fetches an item by accession, following the 301 to its canonical path', async () => {
    const file = portal.files[2];
    if (!file) throw new Error('no file');
    const item = await client().item(file.accession);
    expect(item).toMatchObject({
      accession: file.accession,
      '@id': `/${file.itemType}/${file.accession}/`,
      href: `/${file.itemType}/${file.accession}/@@download/${file.fileName}`,
    });
    await expect(client().item('TSTFI0000000')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('fetches the metadata TSV for chosen files', async () => {
    const chosen = portal.files.filter((file) => file.status === 'released').slice(0, 2);
    const tsv = await client().metadataTsv(chosen.map((file) => file.accession));
    const lines = tsv.split('\r\n');
    expect(lines[0]).toMatch(/^###/);
    expect(lines[1]?.split('\t')[0]).toBe('File Download URL');
    for (const file of chosen) {
      expect(
        lines.some((line) =>
          line.startsWith(`${portal.portalUrl}/${file.itemType}/${file.accession}/@@download/`),
        ),
      ).toBe(true);
    }
    expect(tsv).toBe(portal.metadataTsv(chosen.map((file) => file.accession)));
  });
});

describe('session', () => {
  it('tells whose key it is, and why a key does not work', async () => {
    await expect(client().sessionProperties()).resolves.toMatchObject({
      email: 'demo@example.org',
      firstName: 'Demo',
    });
    await expect(client({ ...keyOf(portal), keyId: 'WRONGKEY' }).sessionProperties()).rejects.toMatchObject({
      code: 'auth-rejected',
    });
    await expect(client(null).sessionProperties()).rejects.toMatchObject({ code: 'auth-missing' });
  });
});
