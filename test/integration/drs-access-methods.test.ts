import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DrsShape } from '../../sample-portal/server.ts';
import { DrsClient } from '../../src-main/core/drs/drs-client.ts';
import { HttpClient } from '../../src-main/core/http/http-client.ts';
import { type Harness, md5OfFile, startHarness } from './engine-harness.ts';

/**
 * Access methods of other DRS servers' shapes, through the real engine: any access_id is asked at
 * /access/{access_id} whatever its type, methods are tried in the stated order, and s3:// or gs:// answers
 * fail with a reason naming the type and what would be needed.
 */
describe('DRS access methods of every type', () => {
  let h: Harness;
  const accessions: Partial<Record<DrsShape, string>> = {
    's3-only': 'TSTFIS3ONLY1',
    gs: 'TSTFIGSHTTP1',
    'gs-uri': 'TSTFIGSURI01',
    several: 'TSTFISEVERA1',
    'several-ids': 'TSTFISEVIDS1',
  };
  const accession = (shape: DrsShape) => accessions[shape] as string;
  beforeAll(async () => {
    h = await startHarness({ portal: { files: 2 } });
    for (const shape of ['s3-only', 'gs', 'gs-uri', 'several', 'several-ids'] as const)
      h.portal.addFile({ size: 40_000, drsShape: shape, accession: accession(shape) });
  });
  afterEach(async () => {
    expect(h.portal.authorizationSentToStorage()).toBe(false);
    await h.reset();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function expectVerified(shape: DrsShape) {
    const file = h.portal.file(accession(shape));
    const [job] = await h.download([file.accession]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified', name: file.fileName });
    expect(await md5OfFile(job?.path as string)).toBe(file.md5);
    return file;
  }

  it('downloads an object whose only method is {type: s3, access_id: s3}, through /access/s3', async () => {
    const file = await expectVerified('s3-only');
    expect(h.portal.drsAccessRequests()).toEqual([`${file.accession}:s3`]);
  });

  it('downloads a gs object whose access id answers an https URL', async () => {
    const file = await expectVerified('gs');
    expect(h.portal.drsAccessRequests()).toEqual([`${file.accession}:gs`]);
  });

  it('with several methods, uses the direct https access_url first and asks no access id', async () => {
    await expectVerified('several');
    expect(h.portal.drsAccessRequests()).toEqual([]);
  });

  it('passes over an access id that answers s3:// and takes the next one that answers https', async () => {
    const file = await expectVerified('several-ids');
    expect(h.portal.drsAccessRequests()).toEqual([`${file.accession}:s3`, `${file.accession}:gs`]);
  });

  it('fails a gs:// only object with a reason naming gs and what it would need', async () => {
    const file = h.portal.file(accession('gs-uri'));
    const [job] = await h.download([file.accession]);
    expect(job?.state).toBe('failed');
    expect(job?.error?.code).toBe('unsupported-id');
    expect(job?.error?.message).toContain(`DRS object ${file.accession} offers no access this app can use`);
    expect(job?.error?.message).toContain('gs (gs://sample-bucket/');
    expect(job?.error?.message).toContain('Google Cloud Storage client with Google credentials');
    expect(h.portal.storageRequests()).toEqual([]);
  });

  it('asks an https access id before other types, and names every unusable method', async () => {
    const drs = new DrsClient({ http: new HttpClient({}), defaultServer: h.portal.portalUrl });
    const object = await drs.resolve(accession('several'));
    const idsOnly = { ...object, accessMethods: object.accessMethods.filter((m) => m.accessId) };
    h.portal.resetStats();
    const target = await drs.accessUrl(idsOnly);
    expect(target.url.startsWith(h.portal.storageUrl)).toBe(true);
    expect(h.portal.drsAccessRequests()).toEqual([`${object.id}:https`]);
    const none = {
      ...object,
      accessMethods: [{ type: 's3', accessUrl: { url: 's3://bucket/key', headers: [] } }, { type: 'globus' }],
    };
    await expect(drs.accessUrl(none)).rejects.toMatchObject({
      code: 'unsupported-id',
      message:
        `DRS object ${object.id} offers no access this app can use: s3 (s3://bucket/key) would need an S3 ` +
        'client with AWS credentials for that bucket (for example `aws s3 cp`); this app downloads over https ' +
        'only; globus without a URL or access id would need a Globus transfer; this app downloads over https only.',
    });
  });
});
