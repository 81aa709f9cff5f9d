import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SampleFile, type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { createDownloadSource, type DownloadTarget } from '../../src-main/core/drs/download-source.ts';
import type { Credentials } from '../../src-main/core/http/credentials.ts';

/** What the download engine asks for: a target per id, and a fresh URL before every start or resume. */
let portal: SamplePortal;
const sleeps: number[] = [];
beforeAll(async () => {
  portal = await startSamplePortal();
});
afterAll(async () => {
  await portal?.close();
});
beforeEach(() => {
  sleeps.length = 0;
  portal.clearFaults();
  portal.resetStats();
});

const keyOf = (p: SamplePortal): Credentials => ({ server: p.portalUrl, keyId: p.key, secret: p.secret });
/** `null`: anonymous. */
const source = (credentials: Credentials | null = keyOf(portal)) =>
  createDownloadSource({
    server: portal.portalUrl,
    credentials: credentials ?? undefined,
    version: '1.2.3',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
const released = (shape: SampleFile['drsShape'], extra = false) => {
  const file = portal.files.find(
    (f) => f.drsShape === shape && f.status === 'released' && (!extra || f.extraFiles.length > 0),
  );
  if (!file) throw new Error(`the sample portal has no released ${shape} file`);
  return file;
};

/** Downloads through freshUrl as the engine will, and returns the md5 of the bytes. */
async function download(
  target: DownloadTarget,
  credentials: Credentials | null = keyOf(portal),
): Promise<string> {
  const { url, headers } = await source(credentials).freshUrl(target);
  expect(new URL(url).origin).toBe(portal.storageUrl);
  const response = await fetch(url, { headers, redirect: 'manual' });
  expect(response.status).toBe(200);
  return createHash('md5')
    .update(Buffer.from(await response.arrayBuffer()))
    .digest('hex');
}

describe('download targets', () => {
  it('an accession with a current DRS object: name, size, md5 and drs:// URI from DRS', async () => {
    const file = released('current');
    const target = await source().target(file.accession);
    expect(target).toMatchObject({
      input: file.accession,
      id: { kind: 'accession', accession: file.accession },
      fileName: file.fileName,
      size: file.size,
      checksums: [{ type: 'md5', value: file.md5 }],
      drsUri: `drs://${new URL(portal.portalUrl).host}/${file.accession}`,
    });
    expect(target.drsObject?.id).toBe(file.accession);
    expect(target.downloadUrl).toBeUndefined();
    expect(await download(target)).toBe(file.md5);
    expect(portal.authorizationSentToStorage()).toBe(false);
  });

  it('a legacy object: the download name comes from the item, bytes through the @@download hop', async () => {
    const file = released('legacy');
    const target = await source().target(`drs://${new URL(portal.portalUrl).host}/${file.accession}`);
    expect(target.fileName).toBe(file.fileName);
    expect(target.checksums).toEqual([{ type: 'md5', value: file.md5 }]);
    expect(await download(target)).toBe(file.md5);
    expect(portal.authorizationSentToStorage()).toBe(false);
  });

  it('a @@download link naming the main file: DRS metadata, access through that link', async () => {
    const file = released('legacy', true);
    const url = `${portal.portalUrl}/${file.itemType}/${file.accession}/@@download/${file.fileName}`;
    const target = await source().target(url);
    expect(target.drsObject?.id).toBe(file.accession);
    expect(target).toMatchObject({ fileName: file.fileName, size: file.size, downloadUrl: url });
    expect(await download(target)).toBe(file.md5);
  });

  it('a @@download link naming an extra file: md5 and size from the item extra_files', async () => {
    const file = released('legacy', true);
    const extra = file.extraFiles[0];
    if (!extra) throw new Error('no extra file');
    const url = `${portal.portalUrl}${extra.href}`;
    const target = await source().target(url);
    expect(target).toMatchObject({
      fileName: extra.fileName,
      size: extra.size,
      checksums: [{ type: 'md5', value: extra.md5 }],
      downloadUrl: url,
    });
    expect(target.drsObject).toBeUndefined();
    expect(extra.md5).not.toBe(file.md5);
    expect(await download(target)).toBe(extra.md5);
    expect(portal.authorizationSentToStorage()).toBe(false);
  });

  it('a @@download link naming no file of that item is not-found', async () => {
    const file = released('current');
    const url = `${portal.portalUrl}/${file.itemType}/${file.accession}/@@download/${file.accession}.nope`;
    await expect(source().target(url)).rejects.toMatchObject({
      code: 'not-found',
      message: `${file.accession}.nope is not a file of ${file.accession} on ${new URL(portal.portalUrl).host}.`,
    });
  });

  it('a file without a DRS object falls back to the portal item', async () => {
    const file = portal.addFile({ size: 4096, drsShape: 'none', status: 'released' });
    const target = await source().target(`${portal.portalUrl}/${file.accession}/`);
    expect(target.drsObject).toBeUndefined();
    expect(target).toMatchObject({
      fileName: file.fileName,
      size: 4096,
      checksums: [{ type: 'md5', value: file.md5 }],
      downloadUrl: `${portal.portalUrl}/${file.itemType}/${file.accession}/@@download/${file.fileName}`,
    });
    expect(await download(target)).toBe(file.md5);
  });

  it('refuses restricted and not-yet-uploaded files up front', async () => {
    const restricted = portal.files.find((file) => file.status === 'restricted');
    const uploading = portal.files.find((file) => file.status === 'uploading');
    await expect(source().target(restricted?.accession ?? '')).rejects.toMatchObject({
      code: 'restricted',
      message: expect.stringMatching(/is restricted on .*: it can be viewed but not downloaded\./),
    });
    await expect(source().target(uploading?.accession ?? '')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('an unknown accession is not-found', async () => {
    await expect(source().target('TSTFI0000000')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('freshUrl', () => {
  it('resolves again before every start or resume, waiting out a busy portal', async () => {
    const file = released('legacy', true);
    const target = await source().target(file.accession);
    portal.setFaults(file.accession, { downloadStatus: { status: 429, retryAfter: 1, times: 1 } });
    expect(await download(target)).toBe(file.md5);
    expect(sleeps).toEqual([1000]);
    portal.setFaults(file.accession, { downloadStatus: { status: 503, retryAfter: 1, times: 1 } });
    expect(await download(target)).toBe(file.md5);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('tells an anonymous user to add a key, and a bad key to update it', async () => {
    const file = released('legacy');
    const target = await source(null).target(file.accession);
    await expect(source(null).freshUrl(target)).rejects.toMatchObject({ code: 'auth-missing' });
    await expect(
      source({ ...keyOf(portal), secret: 'abcdefghijklmnop' }).freshUrl(target),
    ).rejects.toMatchObject({
      code: 'auth-rejected',
    });
  });
});
