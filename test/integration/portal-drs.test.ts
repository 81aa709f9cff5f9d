import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { authed, fileWhere, getJson, jsonOf } from '../../sample-portal/test-helpers.ts';

let portal: SamplePortal;
beforeAll(async () => {
  portal = await startSamplePortal();
});
afterAll(() => portal.close());

type Method = { type: string; access_id?: string; access_url?: { url: string }; region?: string };
const pick = (predicate: Parameters<typeof fileWhere>[1]) => fileWhere(portal, predicate);
const object = (id: string, headers: Record<string, string> = {}) =>
  getJson(`${portal.drsBase}/objects/${encodeURIComponent(id)}`, headers);

describe('sample portal: GA4GH DRS', () => {
  it('has current, legacy, access-id and no-object files in the default set', () => {
    const shapes = new Set(portal.files.map((f) => f.drsShape));
    expect([...shapes].sort()).toEqual(['access-id', 'current', 'legacy', 'none']);
  });

  it('serves the current shape: accession id, md5 checksum, aliases and an https + s3 access_url', async () => {
    const file = pick((f) => f.drsShape === 'current' && f.openData);
    const { status, headers, body } = await object(file.accession);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('application/json');
    const host = new URL(portal.portalUrl).host;
    expect(body).toMatchObject({
      id: file.accession,
      self_uri: `drs://${host}/${file.accession}`,
      size: file.size,
      checksums: [{ checksum: file.md5, type: 'md5' }],
      version: file.md5,
      aliases: [file.uuid],
    });
    expect(typeof body.created_time).toBe('string');
    expect(typeof body.name).toBe('string');
    const methods = body.access_methods as Method[];
    expect(methods.map((m) => [m.type, m.access_id])).toEqual([
      ['https', 'https'],
      ['s3', 's3'],
    ]);
    expect(methods[0]?.access_url?.url).toBe(
      `${portal.storageUrl}/4dn-open-data-public/fourfront-webprod/wfoutput/${file.uuid}/${file.fileName}`,
    );
    expect(methods[1]?.access_url?.url).toMatch(/^s3:\/\/4dn-open-data-public\//);
    expect(methods[1]?.region).toBe('us-east-1');
  });

  it('serves the legacy shape: item path id, drs_id and the portal @@download URLs without access_id', async () => {
    const file = pick((f) => f.drsShape === 'legacy' && f.status === 'released');
    const { body } = await object(file.accession);
    const host = new URL(portal.portalUrl).host;
    expect(body).toMatchObject({
      id: `/${file.itemType}/${file.accession}/`,
      drs_id: file.accession,
      self_uri: `drs://${host}/${file.itemType}/${file.accession}/@@drs`,
      checksums: [{ checksum: file.md5, type: 'md5' }],
      size: file.size,
    });
    const methods = body.access_methods as Method[];
    expect(methods.map((m) => m.type)).toEqual(['https', 'http']);
    for (const method of methods) {
      expect(method.access_id).toBeUndefined();
      expect(method.access_url?.url).toBe(`${portal.portalUrl}/${file.accession}/@@download`);
    }
    const access = await getJson(`${portal.drsBase}/objects/${file.accession}/access/https`);
    expect(access.body).toEqual({ url: `${portal.portalUrl}/${file.accession}/@@download` });
    const byLegacyId = await object(body.id as string);
    expect(byLegacyId.status).toBe(200);
  });

  it('serves the access-id shape, whose /access/https URL is the @@download URL', async () => {
    const file = pick((f) => f.drsShape === 'access-id');
    const { body } = await object(file.accession);
    expect(body.access_methods).toEqual([{ type: 'https', access_id: 'https' }]);
    const href = `${portal.portalUrl}/${file.itemType}/${file.accession}/@@download/${file.fileName}`;
    for (const path of ['/access/https', '/access/', '/access']) {
      const access = await getJson(`${portal.drsBase}/objects/${file.accession}${path}`);
      expect(access.status, path).toBe(200);
      expect(access.body).toEqual({ url: href });
    }
    const download = await fetch(href, { headers: authed(portal), redirect: 'manual' });
    expect(download.status).toBe(307);
  });

  it('gives current-shape files a working /access/https and /access/s3', async () => {
    const file = pick((f) => f.drsShape === 'current' && f.openData);
    const https = await getJson(`${portal.drsBase}/objects/${file.accession}/access/https`);
    expect(https.body.url).toMatch(new RegExp(`^${portal.storageUrl}/`));
    const s3 = await getJson(`${portal.drsBase}/objects/${file.accession}/access/s3`);
    expect(s3.body.url).toMatch(/^s3:\/\//);
    const bogus = await getJson(`${portal.drsBase}/objects/${file.accession}/access/ftp`);
    expect(bogus.status).toBe(404);
  });

  it('finds objects by uuid and by the md5: alias', async () => {
    const file = pick((f) => f.drsShape === 'current');
    expect((await object(file.uuid)).body.id).toBe(file.accession);
    expect((await object(`md5:${file.md5}`)).body.id).toBe(file.accession);
  });

  it('answers OPTIONS with 204', async () => {
    const file = pick((f) => f.drsShape === 'current');
    const response = await fetch(`${portal.drsBase}/objects/${file.accession}`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('answers 404 in the portal error shape for no-object files, unknown ids and unimplemented endpoints', async () => {
    const none = pick((f) => f.drsShape === 'none');
    for (const id of [none.accession, 'TSTFIZZZZZZZ', 'md5:00000000000000000000000000000000']) {
      const { status, body } = await object(id);
      expect(status, id).toBe(404);
      expect(body).toMatchObject({ '@type': ['HTTPNotFound', 'Error'], status: 'error', code: 404 });
    }
    const bulk = await fetch(`${portal.drsBase}/objects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bulk_object_ids: [none.accession] }),
    });
    expect(bulk.status).toBe(404);
    expect((await jsonOf(bulk)).code).toBe(404);
    expect((await getJson(`${portal.drsBase}/service-info`)).status).toBe(404);
    expect((await getJson(`${portal.drsBase}/objects/${none.accession}/access/https`)).status).toBe(404);
  });

  it('keeps restricted files as DRS objects whose download is refused', async () => {
    const file = pick((f) => f.status === 'restricted');
    const { status, body } = await object(file.accession);
    expect(status).toBe(200);
    const url = (body.access_methods as Method[])[0]?.access_url?.url as string;
    const download = await fetch(url, { headers: authed(portal), redirect: 'manual' });
    expect(download.status).toBe(403);
  });

  it('answers JSON even without Accept, and <file path>@@drs like the object', async () => {
    const file = pick((f) => f.drsShape === 'legacy');
    const plain = await fetch(`${portal.drsBase}/objects/${file.accession}`);
    expect(plain.headers.get('content-type')).toContain('application/json');
    const viaView = await fetch(`${portal.portalUrl}/${file.itemType}/${file.accession}/@@drs`);
    expect(await jsonOf(viaView)).toEqual(await jsonOf(plain));
  });

  it('honours drsStatus and accessPending faults, then answers normally', async () => {
    const file = pick((f) => f.drsShape === 'access-id');
    portal.setFaults(file.accession, {
      drsStatus: { status: 503, retryAfter: 2, times: 2 },
      accessPending: { retryAfter: 1, times: 1 },
    });
    try {
      for (let i = 0; i < 2; i++) {
        const failed = await object(file.accession);
        expect(failed.status).toBe(503);
        expect(failed.headers.get('retry-after')).toBe('2');
        expect(failed.body).toMatchObject({ '@type': ['HTTPServiceUnavailable', 'Error'], code: 503 });
      }
      expect((await object(file.accession)).status).toBe(200);
      const pending = await fetch(`${portal.drsBase}/objects/${file.accession}/access/https`);
      expect(pending.status).toBe(202);
      expect(pending.headers.get('retry-after')).toBe('1');
      await pending.arrayBuffer();
      expect((await getJson(`${portal.drsBase}/objects/${file.accession}/access/https`)).status).toBe(200);
    } finally {
      portal.clearFaults(file.accession);
    }
  });

  it('advertises a wrong md5 in checksums under wrongMd5', async () => {
    const file = pick((f) => f.drsShape === 'current');
    portal.setFaults(file.accession, { wrongMd5: true });
    try {
      const { body } = await object(file.accession);
      const checksum = (body.checksums as Array<{ checksum: string }>)[0]?.checksum;
      expect(checksum).toMatch(/^[0-9a-f]{32}$/);
      expect(checksum).not.toBe(file.md5);
      const item = await getJson(`${portal.portalUrl}/${file.itemType}/${file.accession}/`);
      expect(item.body.md5sum).toBe(checksum);
    } finally {
      portal.clearFaults(file.accession);
    }
  });
});
