import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { getJson } from '../../sample-portal/test-helpers.ts';

let portal: SamplePortal;
beforeAll(async () => {
  portal = await startSamplePortal();
});
afterAll(() => portal.close());

type Item = Record<string, unknown>;
interface Facet {
  field: string;
  title: string;
  total: number;
  terms: Array<{ key: string; doc_count: number }>;
}

async function search(query: string) {
  const { status, body } = await getJson(`${portal.portalUrl}/search/?${query}`);
  return {
    status,
    body,
    graph: (body['@graph'] ?? []) as Item[],
    accessions: ((body['@graph'] ?? []) as Item[]).map((i) => i.accession),
  };
}

const all = () => portal.files;
const sorted = (values: unknown[]) => [...(values as string[])].sort();

describe('sample portal: /search/', () => {
  it('lists every file kind for type=File and only their own kind for FileProcessed and friends', async () => {
    const files = await search('type=File&limit=all');
    expect(files.status).toBe(200);
    expect(files.body.total).toBe(all().length);
    expect(sorted(files.accessions)).toEqual(sorted(all().map((f) => f.accession)));
    for (const [type, itemType] of [
      ['FileProcessed', 'files-processed'],
      ['FileFastq', 'files-fastq'],
      ['FileReference', 'files-reference'],
    ]) {
      const result = await search(`type=${type}&limit=all`);
      expect(sorted(result.accessions), type).toEqual(
        sorted(
          all()
            .filter((f) => f.itemType === itemType)
            .map((f) => f.accession),
        ),
      );
    }
    const both = await search('type=FileFastq&type=FileReference&limit=all');
    expect(both.body.total).toBe(all().filter((f) => f.itemType !== 'files-processed').length);
  });

  it('answers an unknown type with 400 in the portal error shape', async () => {
    const { status, body } = await search('type=NoSuchThing');
    expect(status).toBe(400);
    expect(body).toMatchObject({ '@type': ['HTTPBadRequest', 'Error'], code: 400 });
    expect(body.description).toContain('NoSuchThing');
  });

  it('matches free text against accession, display title and description', async () => {
    const target = all()[3] as (typeof portal.files)[number];
    const byAccession = await search(`type=File&q=${target.accession}`);
    expect(byAccession.accessions).toEqual([target.accession]);
    const byTitle = await search(`type=File&q=${encodeURIComponent(target.fileName.toLowerCase())}`);
    expect(byTitle.accessions).toEqual([target.accession]);
    const byDescription = await search('type=File&q=chromosome+sizes&limit=all');
    expect(byDescription.accessions).toEqual(
      all()
        .filter((f) => f.format === 'chromsizes')
        .map((f) => f.accession),
    );
    const words = await search('type=File&q=ChIP-seq+peaks&limit=all');
    expect(words.accessions).toEqual(
      all()
        .filter((f) => f.format === 'bed')
        .map((f) => f.accession),
    );
  });

  it('ORs repeated filters and ANDs different fields, dotted fields included', async () => {
    const formats = await search(
      'type=File&file_format.file_format=pairs&file_format.file_format=hic&limit=all',
    );
    expect(sorted(formats.accessions)).toEqual(
      sorted(
        all()
          .filter((f) => f.format === 'pairs' || f.format === 'hic')
          .map((f) => f.accession),
      ),
    );
    const anded = await search('type=File&file_format.file_format=hic&status=restricted&limit=all');
    expect(anded.accessions).toEqual(
      all()
        .filter((f) => f.format === 'hic' && f.status === 'restricted')
        .map((f) => f.accession),
    );
    const lab = await search(
      `type=File&lab.display_title=${encodeURIComponent('Second Lab, Other University')}&limit=all`,
    );
    expect(lab.body.total).toBeGreaterThan(0);
    for (const item of lab.graph)
      expect((item.lab as Item).display_title).toBe('Second Lab, Other University');
  });

  it('excludes with field!=value and finds missing fields with "No value"', async () => {
    const notReleased = await search('type=File&status!=released&limit=all');
    expect(sorted(notReleased.accessions)).toEqual(
      sorted(
        all()
          .filter((f) => f.status !== 'released')
          .map((f) => f.accession),
      ),
    );
    const noExperiment = await search('type=File&track_and_facet_info.experiment_type=No+value&limit=all');
    expect(noExperiment.accessions).toEqual(
      all()
        .filter((f) => f.itemType === 'files-reference')
        .map((f) => f.accession),
    );
    const withExperiment = await search('type=File&track_and_facet_info.experiment_type!=No+value&limit=all');
    expect(withExperiment.body.total).toBe(all().length - noExperiment.accessions.length);
  });

  it('filters numeric and date ranges with .from and .to', async () => {
    const sizes = await search('type=File&file_size.from=100000&file_size.to=2000000&limit=all');
    const expected = all().filter(
      (f) => f.status !== 'uploading' && f.size >= 100_000 && f.size <= 2_000_000,
    );
    expect(sorted(sizes.accessions)).toEqual(sorted(expected.map((f) => f.accession)));
    const everything = await search('type=File&limit=all&sort=date_created');
    const dates = everything.graph.map((item) => item.date_created as string);
    const from = dates[2] as string;
    const to = dates[5] as string;
    const range = await search(
      `type=File&date_created.from=${encodeURIComponent(from)}&date_created.to=${encodeURIComponent(to)}&limit=all`,
    );
    expect(range.body.total).toBe(4);
  });

  it('sorts by field and -field, newest first by default', async () => {
    const bySize = await search('type=File&sort=file_size&limit=all&status!=uploading');
    const sizes = bySize.graph.map((item) => item.file_size as number);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    const byAccession = await search('type=File&sort=-accession&limit=all');
    expect(byAccession.accessions).toEqual([...sorted(byAccession.accessions)].reverse());
    const byDefault = await search('type=File&limit=all');
    const dates = byDefault.graph.map((item) => item.date_created as string);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('pages with from and limit (default 25) and limit=all', async () => {
    for (let i = 0; i < 20; i++) portal.addFile({ size: 1000, format: 'bw' });
    {
      const total = portal.files.length;
      const first = await search('type=File&sort=accession');
      expect(first.graph).toHaveLength(25);
      expect(first.body.total).toBe(total);
      const second = await search('type=File&sort=accession&from=25&limit=25');
      expect(second.graph).toHaveLength(total - 25);
      const whole = await search('type=File&sort=accession&limit=all');
      expect([...first.accessions, ...second.accessions]).toEqual(whole.accessions);
      const small = await search('type=File&sort=accession&from=3&limit=2');
      expect(small.accessions).toEqual(whole.accessions.slice(3, 5));
      expect((await search('type=File&limit=-1')).status).toBe(400);
      expect((await search('type=File&from=99999&limit=5')).status).toBe(400);
    }
  });

  it('trims results to the requested fields', async () => {
    const { graph } = await search(
      'type=File&field=accession&field=file_format.file_format&field=lab.display_title&limit=3',
    );
    for (const item of graph) {
      expect(Object.keys(item).sort()).toEqual(['@id', '@type', 'accession', 'file_format', 'lab'].sort());
      expect(Object.keys(item.file_format as Item)).toEqual(['file_format']);
      expect(Object.keys(item.lab as Item)).toEqual(['display_title']);
    }
  });

  it('returns facets with counts over the whole result, plus filters and a notification', async () => {
    const { body } = await search('type=File&limit=1&status=released');
    const facets = body.facets as Facet[];
    const fields = facets.map((facet) => facet.field);
    for (const field of [
      'file_format.file_format',
      'file_type',
      'track_and_facet_info.experiment_type',
      'track_and_facet_info.biosource_name',
      'lab.display_title',
      'status',
    ])
      expect(fields).toContain(field);
    const released = all().filter((f) => f.status === 'released');
    const format = facets.find((facet) => facet.field === 'file_format.file_format') as Facet;
    const pairs = format.terms.find((term) => term.key === 'pairs');
    expect(pairs?.doc_count).toBe(released.filter((f) => f.format === 'pairs').length);
    expect(format.terms.reduce((sum, term) => sum + term.doc_count, 0)).toBe(released.length);
    expect(body.filters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'status', term: 'released', remove: '/search/?type=File&limit=1' }),
      ]),
    );
    expect(body.notification).toBe('Success');
  });

  it("counts each facet without its own field's filter, so a second value of it can be ticked (hic or mcool)", async () => {
    const hic = all().filter((f) => f.format === 'hic');
    const mcool = all().filter((f) => f.format === 'mcool');
    expect(hic.length).toBeGreaterThan(0);
    expect(mcool.length).toBeGreaterThan(0);
    const one = await search('type=File&limit=all&file_format.file_format=hic');
    expect(one.body.total).toBe(hic.length);
    const format = (one.body.facets as Facet[]).find((f) => f.field === 'file_format.file_format') as Facet;
    // Still every format of the whole result, with its own count: mcool can be added to hic.
    expect(format.terms.find((t) => t.key === 'mcool')?.doc_count).toBe(mcool.length);
    expect(format.terms.reduce((sum, t) => sum + t.doc_count, 0)).toBe(all().length);
    // Other facets count only what the format filter leaves.
    const status = (one.body.facets as Facet[]).find((f) => f.field === 'status') as Facet;
    expect(status.terms.reduce((sum, t) => sum + t.doc_count, 0)).toBe(hic.length);
    const both = await search(
      'type=File&limit=all&file_format.file_format=hic&file_format.file_format=mcool',
    );
    expect(sorted(both.accessions)).toEqual(sorted([...hic, ...mcool].map((f) => f.accession)));
  });

  it('answers zero results with 404 and the same JSON body', async () => {
    const { status, body } = await search('type=File&q=nothing-matches-this');
    expect(status).toBe(404);
    expect(body).toMatchObject({ '@graph': [], total: 0, notification: 'No results found' });
    expect(Array.isArray(body.facets)).toBe(true);
    const empty = await search('type=FileMicroscopy');
    expect(empty.status).toBe(404);
  });

  it('finds experiment sets by type and serves HTML without Accept', async () => {
    const sets = await search('type=ExperimentSetReplicate');
    expect(sets.body.total).toBeGreaterThan(0);
    for (const item of sets.graph) expect(item['@type']).toContain('ExperimentSetReplicate');
    const html = await fetch(`${portal.portalUrl}/search/?type=File`);
    expect(html.headers.get('content-type')).toContain('text/html');
    await html.arrayBuffer();
  });
});
