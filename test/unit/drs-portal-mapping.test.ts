import { describe, expect, it } from 'vitest';
import { searchQueryString, toFacets, toPortalFile } from '../../src-main/core/drs/portal-mapping.ts';

describe('searchQueryString', () => {
  it('builds type, q, filters (repeated and negated), paging and sort', () => {
    const qs = searchQueryString({
      types: ['FileProcessed', 'FileFastq'],
      query: ' hi c ',
      filters: [
        { field: 'file_format.file_format', value: 'pairs' },
        { field: 'file_format.file_format', value: 'mcool' },
        { field: 'status', value: 'restricted', negate: true },
        { field: 'lab.display_title', value: 'A & B' },
      ],
      from: 50,
      limit: 25,
      sort: '-date_created',
    });
    expect(qs).toBe(
      'type=FileProcessed&type=FileFastq&q=hi%20c&file_format.file_format=pairs&file_format.file_format=mcool' +
        '&status!=restricted&lab.display_title=A%20%26%20B&from=50&limit=25&sort=-date_created',
    );
  });

  it('defaults to files, the first page of 25', () => {
    expect(searchQueryString({})).toBe('type=File&from=0&limit=25');
  });

  it('sends ticked Data Type terms as the search types (ORed), in place of the default File', () => {
    const filters = [
      { field: 'type', value: 'FileProcessed' },
      { field: 'type', value: 'FileReference' },
      { field: 'file_format.file_format', value: 'hic' },
    ];
    expect(searchQueryString({ filters })).toBe(
      'type=FileProcessed&type=FileReference&file_format.file_format=hic&from=0&limit=25',
    );
  });
});

describe('portal item mapping', () => {
  it('maps a search result to a PortalFile', () => {
    const file = toPortalFile(
      {
        '@id': '/files-processed/4DNFIIA7E3HL/',
        '@type': ['FileProcessed', 'File', 'Item'],
        accession: '4DNFIIA7E3HL',
        uuid: 'u-1',
        display_title: '4DNFIIA7E3HL.pairs.gz',
        href: '/files-processed/4DNFIIA7E3HL/@@download/4DNFIIA7E3HL.pairs.gz',
        file_format: { file_format: 'pairs', display_title: 'pairs' },
        file_type: 'contact list',
        file_size: 10,
        md5sum: 'abc',
        status: 'released',
        lab: { display_title: 'Example Lab' },
        track_and_facet_info: { experiment_type: 'in situ Hi-C', biosource_name: 'GM12878' },
      },
      'https://data.4dnucleome.org',
    );
    expect(file).toEqual({
      accession: '4DNFIIA7E3HL',
      uuid: 'u-1',
      atId: '/files-processed/4DNFIIA7E3HL/',
      type: ['FileProcessed', 'File', 'Item'],
      displayTitle: '4DNFIIA7E3HL.pairs.gz',
      href: '/files-processed/4DNFIIA7E3HL/@@download/4DNFIIA7E3HL.pairs.gz',
      fileFormat: 'pairs',
      fileType: 'contact list',
      fileSize: 10,
      md5sum: 'abc',
      status: 'released',
      experimentType: 'in situ Hi-C',
      biosource: 'GM12878',
      lab: 'Example Lab',
      url: 'https://data.4dnucleome.org/files-processed/4DNFIIA7E3HL/',
    });
    expect(
      toPortalFile({ '@id': '/files-fastq/4DNFIQ8R2EB1/', file_format: '/file-formats/fastq/' }, 'https://x')
        .fileFormat,
    ).toBe('fastq');
  });

  it('maps term facets and leaves out range facets', () => {
    expect(
      toFacets([
        {
          field: 'file_type',
          title: 'File Type',
          total: 3,
          terms: [
            { key: 'reads', doc_count: 2 },
            { key: 1, doc_count: 1 },
          ],
        },
        { field: 'file_size', title: 'Size', aggregation_type: 'stats' },
      ]),
    ).toEqual([
      {
        field: 'file_type',
        title: 'File Type',
        terms: [
          { key: 'reads', count: 2 },
          { key: '1', count: 1 },
        ],
      },
    ]);
  });
});
