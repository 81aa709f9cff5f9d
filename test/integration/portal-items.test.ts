import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { fileWhere, getJson, jsonOf } from '../../sample-portal/test-helpers.ts';

let portal: SamplePortal;
beforeAll(async () => {
  portal = await startSamplePortal();
});
afterAll(() => portal.close());

const pick = (predicate: Parameters<typeof fileWhere>[1]) => fileWhere(portal, predicate);

describe('sample portal: items and representations', () => {
  it('serves HTML by default and JSON for Accept: application/json or ?format=json', async () => {
    const file = pick((f) => f.itemType === 'files-processed');
    const url = `${portal.portalUrl}/files-processed/${file.accession}/`;
    const html = await fetch(url);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain('<!DOCTYPE html>');
    const star = await fetch(url, { headers: { accept: '*/*' } });
    expect(star.headers.get('content-type')).toContain('text/html');
    await star.arrayBuffer();
    for (const response of [
      await fetch(url, { headers: { accept: 'application/json' } }),
      await fetch(`${url}?format=json`),
    ]) {
      expect(response.headers.get('content-type')).toContain('application/json');
      expect((await jsonOf(response)).accession).toBe(file.accession);
    }
  });

  it('redirects /<ACC>/ to the canonical path with 301, keeping the query string', async () => {
    const file = pick((f) => f.itemType === 'files-fastq');
    for (const path of [`/${file.accession}/`, `/${file.accession}`]) {
      const response = await fetch(`${portal.portalUrl}${path}?format=json&frame=object`, {
        redirect: 'manual',
      });
      expect(response.status).toBe(301);
      expect(response.headers.get('location')).toBe(
        `${portal.portalUrl}/files-fastq/${file.accession}/?format=json&frame=object`,
      );
    }
    const byUuid = await fetch(`${portal.portalUrl}/${file.uuid}/`, { redirect: 'manual' });
    expect(byUuid.headers.get('location')).toBe(`${portal.portalUrl}/files-fastq/${file.accession}/`);
    const followed = await fetch(`${portal.portalUrl}/${file.accession}/?format=json`);
    expect((await jsonOf(followed))['@id']).toBe(`/files-fastq/${file.accession}/`);
  });

  it('never redirects paths containing /@@', async () => {
    const file = pick((f) => f.status === 'released');
    const download = await fetch(`${portal.portalUrl}/${file.accession}/@@download`, { redirect: 'manual' });
    expect(download.status).toBe(403);
    const drs = await fetch(`${portal.portalUrl}/${file.accession}/@@drs`, { redirect: 'manual' });
    expect(drs.status).not.toBe(301);
  });

  it('returns file items with every field PORTAL.md lists', async () => {
    const file = pick((f) => f.extraFiles.length > 0);
    const { status, body } = await getJson(`${portal.portalUrl}/${file.itemType}/${file.accession}/`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      accession: file.accession,
      uuid: file.uuid,
      '@id': `/${file.itemType}/${file.accession}/`,
      '@type': ['FileProcessed', 'File', 'Item'],
      display_title: file.fileName,
      href: `/${file.itemType}/${file.accession}/@@download/${file.fileName}`,
      file_format: { file_format: file.format },
      file_size: file.size,
      md5sum: file.md5,
      status: 'released',
      lab: { display_title: expect.any(String) },
    });
    expect(file.accession).toMatch(/^TSTFI[0-9A-Z]{7}$/);
    expect(body.content_md5sum).toMatch(/^[0-9a-f]{32}$/);
    for (const key of ['filename', 'file_type', 'file_classification', 'description', 'date_created'])
      expect(typeof body[key], key).toBe('string');
    expect(body.filename).not.toBe(file.fileName);
    expect(Array.isArray(body.experiments)).toBe(true);
    expect(Array.isArray(body.experiment_sets)).toBe(true);
    const extras = body.extra_files as Array<Record<string, unknown>>;
    const extra = file.extraFiles[0] as (typeof file.extraFiles)[number];
    expect(extras).toEqual([
      expect.objectContaining({
        href: extra.href,
        md5sum: extra.md5,
        file_size: extra.size,
        file_format: expect.objectContaining({ file_format: extra.format }),
      }),
    ]);
    expect(extra.fileName).toBe(`${file.fileName}.px2`);
    expect(extra.format).toBe('pairs_px2');
  });

  it('gives Open Data files an open_data_url on the storage origin', async () => {
    const open = pick((f) => f.openData);
    const { body } = await getJson(`${portal.portalUrl}/${open.itemType}/${open.accession}/`);
    expect(body.open_data_url).toBe(
      `${portal.storageUrl}/4dn-open-data-public/fourfront-webprod/wfoutput/${open.uuid}/${open.fileName}`,
    );
    const closed = pick((f) => !f.openData);
    const other = await getJson(`${portal.portalUrl}/${closed.itemType}/${closed.accession}/`);
    expect(other.body.open_data_url).toBeUndefined();
  });

  it('has no size or md5 for files still uploading, and flags restricted files', async () => {
    const uploading = pick((f) => f.status === 'uploading');
    const item = await getJson(`${portal.portalUrl}/${uploading.itemType}/${uploading.accession}/`);
    expect(item.body.status).toBe('uploading');
    expect(item.body.md5sum).toBeUndefined();
    expect(item.body.file_size).toBeUndefined();
    const restricted = pick((f) => f.status === 'restricted');
    const r = await getJson(`${portal.portalUrl}/${restricted.itemType}/${restricted.accession}/`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'restricted', restricted: true, md5sum: restricted.md5 });
  });

  it('links paired fastq files and gives their paired end', async () => {
    const first = pick((f) => f.format === 'fastq');
    const { body } = await getJson(`${portal.portalUrl}/files-fastq/${first.accession}/`);
    expect(body.paired_end).toBe('1');
    const related = body.related_files as Array<{ relationship_type: string; file: { accession: string } }>;
    expect(related[0]?.relationship_type).toBe('paired with');
    const mate = portal.file(related[0]?.file.accession as string);
    const other = await getJson(`${portal.portalUrl}/files-fastq/${mate.accession}/`);
    expect(other.body.paired_end).toBe('2');
  });

  it('renders linked items as @id strings with frame=object', async () => {
    const file = pick((f) => f.itemType === 'files-processed');
    const { body } = await getJson(`${portal.portalUrl}/files-processed/${file.accession}/?frame=object`);
    expect(body.file_format).toBe(`/file-formats/${file.format}/`);
    expect(typeof body.lab).toBe('string');
  });

  it('answers 404 in the portal error shape for unknown items and the wrong collection', async () => {
    const fastq = pick((f) => f.itemType === 'files-fastq');
    for (const path of [
      '/files-processed/TSTFIZZZZZZZ/',
      `/files-processed/${fastq.accession}/`,
      '/TSTFIZZZZZZZ/',
    ]) {
      const { status, body } = await getJson(portal.portalUrl + path);
      expect(status, path).toBe(404);
      expect(body).toMatchObject({ '@type': ['HTTPNotFound', 'Error'], status: 'error', code: 404 });
    }
  });

  it('serves experiment sets, reachable from the files', async () => {
    const file = pick((f) => f.format === 'fastq');
    const { body } = await getJson(`${portal.portalUrl}/files-fastq/${file.accession}/`);
    const set = (body.experiment_sets as Array<{ '@id': string; accession: string }>)[0];
    expect(set?.accession).toMatch(/^TSTES[0-9A-Z]{7}$/);
    const item = await getJson(`${portal.portalUrl}${set?.['@id']}`);
    expect(item.status).toBe(200);
    expect(item.body['@type']).toEqual(['ExperimentSetReplicate', 'ExperimentSet', 'Item']);
    const redirect = await fetch(`${portal.portalUrl}/${set?.accession}/`, { redirect: 'manual' });
    expect(redirect.headers.get('location')).toBe(`${portal.portalUrl}${set?.['@id']}`);
  });

  it('refuses methods the portal does not offer', async () => {
    const response = await fetch(`${portal.portalUrl}/search/`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect((await jsonOf(response)).code).toBe(405);
  });
});
