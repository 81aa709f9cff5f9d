import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { authed, basicAuth, fileWhere, getJson } from '../../sample-portal/test-helpers.ts';

let portal: SamplePortal;
beforeAll(async () => {
  portal = await startSamplePortal();
});
afterAll(() => portal.close());

describe('sample portal: authentication', () => {
  it('has a demo key in the portal format and writes it to keypairs.json', async () => {
    expect(portal.key).toMatch(/^[A-Z2-7]{8}$/);
    expect(portal.secret).toMatch(/^[a-z2-7]{16}$/);
    expect(portal.portalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(portal.storageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(portal.storageUrl).not.toBe(portal.portalUrl);
    expect(portal.drsBase).toBe(`${portal.portalUrl}/ga4gh/drs/v1`);
    const keypairs = JSON.parse(await readFile(portal.keypairsPath, 'utf8'));
    expect(keypairs).toEqual({
      default: { key: portal.key, secret: portal.secret, server: `${portal.portalUrl}/` },
    });
  });

  it('answers 401 with the challenge header and the portal error body to a bad key, on any URL', async () => {
    const file = portal.files[0] as (typeof portal.files)[number];
    const bad = { authorization: basicAuth(portal.key, 'wrongwrongwrong2') };
    const paths = [
      '/',
      '/search/?type=File',
      `/files-processed/${file.accession}/`,
      `/${file.accession}/`,
      `/${file.accession}/@@download`,
      `/ga4gh/drs/v1/objects/${file.accession}`,
      '/metadata/?type=File',
      '/session-properties',
      '/no/such/page',
    ];
    for (const path of paths) {
      const { status, headers, body } = await getJson(portal.portalUrl + path, bad);
      expect(status, path).toBe(401);
      expect(headers.get('www-authenticate')).toBe('Bearer realm="127.0.0.1"; Basic realm="127.0.0.1"');
      expect(body).toMatchObject({ '@type': ['HTTPUnauthorized', 'Error'], status: 'error', code: 401 });
      expect(typeof body.title).toBe('string');
      expect(typeof body.description).toBe('string');
    }
  });

  it('rejects an unknown key id, a malformed header and other schemes with 401', async () => {
    const headers = [
      { authorization: basicAuth('AAAAAAAA', portal.secret) },
      { authorization: 'Basic not-base64!!' },
      { authorization: 'Bearer abc.def.ghi' },
    ];
    for (const header of headers) {
      const { status } = await getJson(`${portal.portalUrl}/search/?type=File`, header);
      expect(status).toBe(401);
    }
  });

  it('lets anonymous clients read metadata of public items', async () => {
    const file = portal.files[0] as (typeof portal.files)[number];
    const item = await getJson(`${portal.portalUrl}/${file.itemType}/${file.accession}/`);
    expect(item.status).toBe(200);
    expect(item.body.accession).toBe(file.accession);
    const search = await getJson(`${portal.portalUrl}/search/?type=File`);
    expect(search.status).toBe(200);
    const tsv = await fetch(`${portal.portalUrl}/metadata/?type=File`);
    expect(tsv.status).toBe(200);
  });

  it('answers an anonymous @@download with 403 "Not logged in." and no challenge', async () => {
    const file = fileWhere(portal, (f) => f.status === 'released');
    const { status, headers, body } = await getJson(`${portal.portalUrl}/${file.accession}/@@download`);
    expect(status).toBe(403);
    expect(headers.get('www-authenticate')).toBeNull();
    expect(body).toMatchObject({
      '@type': ['HTTPForbidden', 'Error'],
      status: 'error',
      code: 403,
      title: 'Not logged in.',
    });
  });

  it('checks credentials at /session-properties', async () => {
    const good = await getJson(`${portal.portalUrl}/session-properties`, authed(portal));
    expect(good.status).toBe(200);
    expect(good.body.details).toMatchObject({ email: 'demo@example.org' });
    const anonymous = await getJson(`${portal.portalUrl}/session-properties`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe(401);
  });

  it('keeps the admin endpoints on the portal origin only', async () => {
    const onStorage = await fetch(`${portal.storageUrl}/__admin/reset`, { method: 'POST' });
    expect(onStorage.status).toBe(404);
    expect(onStorage.headers.get('content-type')).toContain('xml');
    const onPortal = await fetch(`${portal.portalUrl}/__admin/reset`, { method: 'POST' });
    expect(onPortal.status).toBe(200);
  });
});
