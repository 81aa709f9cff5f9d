import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { authed, fileWhere, getJson, storageLocation } from '../../sample-portal/test-helpers.ts';

let portal: SamplePortal;
beforeAll(async () => {
  portal = await startSamplePortal();
});
afterAll(() => portal.close());

const pick = (predicate: Parameters<typeof fileWhere>[1]) => fileWhere(portal, predicate);
const md5 = (bytes: ArrayBuffer | Buffer) =>
  createHash('md5')
    .update(Buffer.from(bytes as ArrayBuffer))
    .digest('hex');

describe('sample portal: @@download', () => {
  it('answers 307 to a presigned storage URL for every path form', async () => {
    const file = pick((f) => f.status === 'released' && !f.openData);
    const forms = [
      `/${file.itemType}/${file.accession}/@@download/${file.fileName}`,
      `/${file.itemType}/${file.accession}/@@download`,
      `/${file.accession}/@@download`,
      `/${file.accession}/@@download/${file.fileName}`,
    ];
    for (const path of forms) {
      const response = await fetch(portal.portalUrl + path, { headers: authed(portal), redirect: 'manual' });
      expect(response.status, path).toBe(307);
      const location = new URL(response.headers.get('location') as string);
      expect(location.origin).toBe(portal.storageUrl);
      expect(location.pathname.endsWith(`/${file.uuid}/${file.fileName}`)).toBe(true);
      // Signature v2's shape: an HMAC-SHA256 in base64url (43 characters), with a temporary (ASIA) key id beside it.
      expect(location.searchParams.get('Signature')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(location.searchParams.get('AWSAccessKeyId')).toMatch(/^ASIA[A-Z0-9]{16}$/);
      expect(Number(location.searchParams.get('Expires'))).toBeGreaterThan(Date.now() + 35 * 3600 * 1000);
    }
  });

  it('sends Open Data files to the unsigned Open Data URL', async () => {
    const file = pick((f) => f.status === 'released' && f.openData);
    const location = await storageLocation(portal, file);
    expect(location).toBe(
      `${portal.storageUrl}/4dn-open-data-public/fourfront-webprod/wfoutput/${file.uuid}/${file.fileName}`,
    );
  });

  it('delivers the stored bytes: md5 equals the advertised md5 and readBytes()', async () => {
    for (const file of portal.files.filter((f) => f.status === 'released').slice(0, 4)) {
      const response = await fetch(`${portal.portalUrl}/${file.accession}/@@download`, {
        headers: authed(portal),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename=${file.fileName}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBe(file.size);
      expect(md5(bytes)).toBe(file.md5);
      expect(bytes.equals(portal.readBytes(file.fileName))).toBe(true);
    }
    expect(portal.authorizationSentToStorage()).toBe(false);
  });

  it('refuses restricted files with 403 and unknown file names with 404', async () => {
    const restricted = pick((f) => f.status === 'restricted');
    const refused = await getJson(`${portal.portalUrl}/${restricted.accession}/@@download`, authed(portal));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ '@type': ['HTTPForbidden', 'Error'], code: 403 });
    const file = pick((f) => f.status === 'released');
    const wrong = await getJson(
      `${portal.portalUrl}/${file.itemType}/${file.accession}/@@download/other.txt`,
      authed(portal),
    );
    expect(wrong.status).toBe(404);
    expect(wrong.body).toMatchObject({ '@type': ['HTTPNotFound', 'Error'], code: 404 });
    const unknown = await getJson(`${portal.portalUrl}/TSTFIZZZZZZZ/@@download`, authed(portal));
    expect(unknown.status).toBe(404);
  });

  it('checks login before restriction before the file name', async () => {
    const restricted = pick((f) => f.status === 'restricted');
    const anonymous = await getJson(`${portal.portalUrl}/${restricted.accession}/@@download/wrong.name`);
    expect(anonymous.body.title).toBe('Not logged in.');
    const loggedIn = await getJson(
      `${portal.portalUrl}/${restricted.accession}/@@download/wrong.name`,
      authed(portal),
    );
    expect(loggedIn.status).toBe(403);
  });

  it('downloads extra files by name, with their own md5 and size', async () => {
    const parent = pick((f) => f.extraFiles.length > 0);
    const extra = parent.extraFiles[0] as (typeof parent.extraFiles)[number];
    const response = await fetch(portal.portalUrl + extra.href, { headers: authed(portal) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename=${extra.fileName}`);
    const bytes = await response.arrayBuffer();
    expect(bytes.byteLength).toBe(extra.size);
    expect(md5(bytes)).toBe(extra.md5);
    expect(extra.md5).not.toBe(parent.md5);
  });

  it('redirects an uploading file to storage, which has no such key', async () => {
    const file = pick((f) => f.status === 'uploading');
    const response = await fetch(`${portal.portalUrl}/${file.accession}/@@download`, {
      headers: authed(portal),
    });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('<Code>NoSuchKey</Code>');
  });

  it('honours the downloadStatus fault with Retry-After, then redirects again', async () => {
    const file = pick((f) => f.status === 'released');
    portal.setFaults(file.accession, { downloadStatus: { status: 429, retryAfter: 3, times: 1 } });
    try {
      const failed = await getJson(`${portal.portalUrl}/${file.accession}/@@download`, authed(portal));
      expect(failed.status).toBe(429);
      expect(failed.headers.get('retry-after')).toBe('3');
      expect(failed.body).toMatchObject({ '@type': ['HTTPTooManyRequests', 'Error'], code: 429 });
      const again = await fetch(`${portal.portalUrl}/${file.accession}/@@download`, {
        headers: authed(portal),
        redirect: 'manual',
      });
      expect(again.status).toBe(307);
    } finally {
      portal.clearFaults(file.accession);
    }
  });

  it('gives a fresh signed URL every time, with the file lifetime fault applied', async () => {
    const file = pick((f) => f.status === 'released' && !f.openData);
    portal.setFaults(file.accession, { urlLifetimeMs: 60_000 });
    try {
      const before = Date.now();
      const expires = Number(new URL(await storageLocation(portal, file)).searchParams.get('Expires'));
      expect(expires).toBeGreaterThanOrEqual(before + 60_000);
      expect(expires).toBeLessThan(before + 3_600_000);
    } finally {
      portal.clearFaults(file.accession);
    }
  });
});
