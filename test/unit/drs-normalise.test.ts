import { describe, expect, it } from 'vitest';
import { headerRecord, normaliseDrsObject } from '../../src-main/core/drs/normalise.ts';

const base = 'https://data.4dnucleome.org/ga4gh/drs/v1';
const md5 = '0123456789abcdef0123456789abcdef';

describe('normaliseDrsObject', () => {
  it('reads the current 4DN shape', () => {
    const raw = {
      id: '4DNFIIA7E3HL',
      self_uri: 'drs://data.4dnucleome.org/4DNFIIA7E3HL',
      created_time: '2020-01-01T00:00:00Z',
      size: 2345462672,
      checksums: [{ checksum: md5.toUpperCase(), type: 'md5' }],
      name: 'out.pairs.gz',
      aliases: ['e3a2b1c0-0000-4000-8000-000000000000'],
      access_methods: [
        {
          type: 'https',
          access_id: 'https',
          access_url: { url: 'https://open.example/4DNFIIA7E3HL.pairs.gz' },
        },
        { type: 's3', access_id: 's3', region: 'us-east-1', access_url: { url: 's3://bucket/key' } },
      ],
    };
    const object = normaliseDrsObject(raw, base);
    expect(object).toMatchObject({
      id: '4DNFIIA7E3HL',
      selfUri: 'drs://data.4dnucleome.org/4DNFIIA7E3HL',
      drsBase: base,
      size: 2345462672,
      checksums: [{ type: 'md5', value: md5 }],
      name: 'out.pairs.gz',
      createdTime: '2020-01-01T00:00:00Z',
      aliases: ['e3a2b1c0-0000-4000-8000-000000000000'],
      accessMethods: [
        {
          type: 'https',
          accessId: 'https',
          accessUrl: { url: 'https://open.example/4DNFIIA7E3HL.pairs.gz', headers: [] },
        },
        {
          type: 's3',
          accessId: 's3',
          region: 'us-east-1',
          accessUrl: { url: 's3://bucket/key', headers: [] },
        },
      ],
      raw,
    });
    expect(object.contents).toBeUndefined();
  });

  it('reads the legacy shape, naming the object by drs_id', () => {
    const object = normaliseDrsObject(
      {
        id: '/files-processed/4DNFIIA7E3HL/',
        drs_id: '4DNFIIA7E3HL',
        self_uri: 'drs://data.4dnucleome.org/files-processed/4DNFIIA7E3HL/@@drs',
        size: 0,
        checksums: [{ checksum: md5, type: 'md5' }],
        access_methods: [
          { type: 'https', access_url: { url: 'https://data.4dnucleome.org/4DNFIIA7E3HL/@@download' } },
          { type: 'http', access_url: { url: 'http://data.4dnucleome.org/4DNFIIA7E3HL/@@download' } },
        ],
      },
      base,
    );
    expect(object.id).toBe('4DNFIIA7E3HL');
    expect(object.size).toBe(0);
    expect(object.accessMethods.map((m) => [m.type, m.accessId])).toEqual([
      ['https', undefined],
      ['http', undefined],
    ]);
  });

  it('reads GA4GH bundles, header lists and odd sizes, and builds a self_uri when missing', () => {
    const object = normaliseDrsObject(
      {
        id: 'bundle-1',
        size: '42',
        checksums: [],
        access_methods: [
          { type: 'HTTPS', access_url: { url: 'https://x/y', headers: ['Authorization: Bearer t', 'bad'] } },
        ],
        contents: [
          { name: 'a', id: 'obj-a', drs_uri: ['drs://x/obj-a'] },
          { name: 'dir', drs_uri: 'drs://x/dir', contents: [{ name: 'b', id: 'obj-b', drs_uri: [] }] },
        ],
      },
      'https://drs.example.org:8443/ga4gh/drs/v1',
    );
    expect(object.selfUri).toBe('drs://drs.example.org:8443/bundle-1');
    expect(object.size).toBe(42);
    expect(object.accessMethods[0]?.type).toBe('https');
    expect(object.contents).toEqual([
      { name: 'a', id: 'obj-a', drsUris: ['drs://x/obj-a'], contents: [] },
      {
        name: 'dir',
        drsUris: ['drs://x/dir'],
        contents: [{ name: 'b', id: 'obj-b', drsUris: [], contents: [] }],
      },
    ]);
  });

  it('refuses an answer without an id', () => {
    expect(() => normaliseDrsObject({ size: 1 }, base)).toThrow(
      expect.objectContaining({ code: 'bad-response' }),
    );
    expect(() => normaliseDrsObject('<html>', base)).toThrow(/without an id/);
  });
});

describe('headerRecord', () => {
  it('splits "Name: value" lines and drops malformed ones', () => {
    expect(
      headerRecord(['Authorization: Bearer a:b', 'X-Y:1', 'no colon', ': empty name', 'bad name: x']),
    ).toEqual({
      Authorization: 'Bearer a:b',
      'X-Y': '1',
    });
  });
});
