import { describe, expect, it } from 'vitest';
import type { DownloadSource } from '../../src-main/core/drs/download-source.ts';
import type { DrsClient } from '../../src-main/core/drs/drs-client.ts';
import { createObjectsHandlers } from '../../src-main/core/handlers/objects.ts';
import { AppError } from '../../src-shared/domain/errors.ts';

const sha256 = 'ab'.repeat(32);
const md5 = 'cd'.repeat(16);

/** A download source that knows one file with two checksums and refuses everything else. */
const source: DownloadSource = {
  async target(input) {
    if (input !== 'drs://example.org/obj1')
      throw new AppError('not-found', `${String(input)} is not on the server`);
    return {
      input,
      id: {
        kind: 'drs-uri',
        host: 'example.org',
        objectId: 'obj1',
        drsBase: 'https://example.org/ga4gh/drs/v1',
      },
      fileName: 'reads.fastq.gz',
      size: 1234,
      checksums: [
        { type: 'md5', value: md5 },
        { type: 'sha-256', value: sha256 },
      ],
    };
  },
  freshUrl: async () => ({ url: 'https://storage.example.org/reads.fastq.gz', headers: {} }),
};

describe('files:preview', () => {
  const handlers = createObjectsHandlers({
    drsFor: async () => ({}) as DrsClient,
    downloadsFor: async () => source,
  });

  it('lists first the checksum the queue will verify with (the strongest), and answers per id', async () => {
    const { results } = await handlers['files:preview']({
      ids: ['drs://example.org/obj1', 'drs://example.org/x'],
    });
    const [found, missing] = results;
    expect(found).toMatchObject({
      ok: true,
      file: {
        name: 'reads.fastq.gz',
        size: 1234,
        checksums: [
          { type: 'sha-256', value: sha256 },
          { type: 'md5', value: md5 },
        ],
        source: 'portal-item',
      },
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
