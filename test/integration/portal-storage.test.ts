import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import {
  authed,
  fileWhere,
  getJson,
  presignedFile,
  storageLocation,
} from '../../sample-portal/test-helpers.ts';

let portal: SamplePortal;
beforeAll(async () => {
  portal = await startSamplePortal();
});
afterAll(() => portal.close());

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

async function get(url: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await fetch(url, { headers, method });
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

describe('sample portal: the fake S3 storage', () => {
  it('serves the object with S3 headers', async () => {
    const file = presignedFile(portal);
    const { response, body } = await get(await storageLocation(portal, file));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-length')).toBe(String(file.size));
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('etag')).toBe(`"${file.md5}"`);
    // S3's Last-Modified is the object's upload time: here the item's date_created, as an HTTP date.
    const item = await getJson(`${portal.portalUrl}/${file.itemType}/${file.accession}/`, authed(portal));
    expect(response.headers.get('last-modified')).toBe(
      new Date(Date.parse(item.body.date_created as string)).toUTCString(),
    );
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename=${file.fileName}`);
    expect(md5(body)).toBe(file.md5);
  });

  it('keeps the ETag stable across presigned URLs and gives big objects a multipart ETag', async () => {
    const file = presignedFile(portal);
    const a = await fetch(await storageLocation(portal, file), { headers: { range: 'bytes=0-0' } });
    const b = await fetch(await storageLocation(portal, file), { headers: { range: 'bytes=0-0' } });
    await a.arrayBuffer();
    await b.arrayBuffer();
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
    const big = fileWhere(portal, (f) => f.size >= 16 * 1024 * 1024 && f.status === 'released');
    const response = await fetch(await storageLocation(portal, big), { headers: { range: 'bytes=0-0' } });
    await response.arrayBuffer();
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}-\d+"$/);
    expect(response.headers.get('etag')).not.toContain(big.md5);
  });

  it('answers 400 InvalidArgument to a presigned GET that also carries Authorization', async () => {
    const file = presignedFile(portal);
    portal.resetStats();
    const { response, body } = await get(await storageLocation(portal, file), authed(portal));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/xml');
    expect(body.toString()).toContain('<Code>InvalidArgument</Code><Message>Only one auth mechanism allowed');
    expect(portal.authorizationSentToStorage()).toBe(true);
    const open = fileWhere(portal, (f) => f.openData && f.status === 'released');
    const openRefused = await get(await storageLocation(portal, open), { authorization: 'Basic eDp5' });
    expect(openRefused.response.status).toBe(400);
    portal.resetStats();
    expect(portal.authorizationSentToStorage()).toBe(false);
  });

  it('refuses HEAD on presigned URLs with 403 and no body, but allows it on Open Data', async () => {
    const file = presignedFile(portal);
    const head = await fetch(await storageLocation(portal, file), { method: 'HEAD' });
    expect(head.status).toBe(403);
    const open = fileWhere(portal, (f) => f.openData && f.status === 'released');
    const openHead = await fetch(await storageLocation(portal, open), { method: 'HEAD' });
    expect(openHead.status).toBe(200);
    expect(openHead.headers.get('content-length')).toBe(String(open.size));
  });

  it('answers a bad or missing signature with 403 XML', async () => {
    const file = presignedFile(portal);
    const url = new URL(await storageLocation(portal, file));
    url.searchParams.set('Signature', `${url.searchParams.get('Signature')?.slice(0, -2)}xx`);
    const bad = await get(url.href);
    expect(bad.response.status).toBe(403);
    expect(bad.body.toString()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const tampered = new URL(await storageLocation(portal, file));
    tampered.searchParams.set('Expires', String(Date.now() + 1e9));
    expect((await get(tampered.href)).response.status).toBe(403);
    const bare = await get(`${url.origin}${url.pathname}`);
    expect(bare.response.status).toBe(403);
    expect(bare.body.toString()).toContain('<Code>AccessDenied</Code>');
  });

  it('answers an expired URL with 403 AccessDenied "Request has expired"', async () => {
    const file = presignedFile(portal);
    portal.setFaults(file.accession, { urlLifetimeMs: 0 });
    try {
      const { response, body } = await get(await storageLocation(portal, file));
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toBe('application/xml');
      expect(body.toString()).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    } finally {
      portal.clearFaults(file.accession);
    }
  });

  it('expires URLs by the portal-wide lifetime too', async () => {
    const short = await startSamplePortal({ files: 1, urlLifetimeMs: 0, seed: 5 });
    try {
      const file = short.addFile({ size: 5000, openData: false });
      const { response } = await get(await storageLocation(short, file));
      expect(response.status).toBe(403);
    } finally {
      await short.close();
    }
  });

  it('serves ranges with 206 and Content-Range, and 416 when unsatisfiable', async () => {
    const file = presignedFile(portal);
    const url = await storageLocation(portal, file);
    const cases: Array<[string, number, number]> = [
      ['bytes=0-0', 0, 1],
      ['bytes=100-1123', 100, 1124],
      [`bytes=${file.size - 10}-`, file.size - 10, file.size],
      ['bytes=-500', file.size - 500, file.size],
      [`bytes=${file.size - 5}-${file.size + 100}`, file.size - 5, file.size],
      ['bytes=1048570-1048600', 1048570, 1048601],
    ];
    for (const [range, start, end] of cases) {
      const { response, body } = await get(url, { range });
      expect(response.status, range).toBe(206);
      expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end - 1}/${file.size}`);
      expect(response.headers.get('content-length')).toBe(String(end - start));
      expect(body.equals(portal.readBytes(file.fileName, start, end)), range).toBe(true);
    }
    const unsatisfiable = await get(url, { range: `bytes=${file.size}-` });
    expect(unsatisfiable.response.status).toBe(416);
    expect(unsatisfiable.response.headers.get('content-range')).toBe(`bytes */${file.size}`);
    expect(unsatisfiable.body.toString()).toContain('<Code>InvalidRange</Code>');
    const multi = await get(url, { range: 'bytes=0-1,5-6' });
    expect(multi.response.status).toBe(200);
  });

  it('honours If-Range: a matching ETag keeps the range, a stale one gets the whole object', async () => {
    const file = presignedFile(portal);
    const url = await storageLocation(portal, file);
    const matching = await get(url, { range: 'bytes=10-19', 'if-range': `"${file.md5}"` });
    expect(matching.response.status).toBe(206);
    const stale = await get(url, { range: 'bytes=10-19', 'if-range': '"0123456789abcdef0123456789abcdef"' });
    expect(stale.response.status).toBe(200);
    expect(stale.body.length).toBe(file.size);
  });

  it('answers 404 NoSuchKey for unknown objects', async () => {
    const { response, body } = await get(
      `${portal.storageUrl}/elasticbeanstalk-fourfront-webprod-wfoutput/nope/x.bam`,
    );
    expect(response.status).toBe(404);
    expect(body.toString()).toContain('<Code>NoSuchKey</Code>');
  });

  it('counts the bytes it served and logs each request', async () => {
    const file = presignedFile(portal);
    portal.resetStats();
    const url = await storageLocation(portal, file);
    await get(url, { range: 'bytes=0-999' });
    await get(url);
    expect(portal.bytesServed(file.fileName)).toBe(1000 + file.size);
    const log = portal.storageRequests();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      fileName: file.fileName,
      method: 'GET',
      range: 'bytes=0-999',
      status: 206,
      hadAuthorization: false,
      bytesSent: 1000,
    });
    expect(log[1]).toMatchObject({ status: 200, bytesSent: file.size });
    expect(log[1]?.range).toBeUndefined();
    expect(typeof log[0]?.at).toBe('number');
    portal.resetStats();
    expect(portal.storageRequests()).toEqual([]);
    expect(portal.bytesServed(file.fileName)).toBe(0);
  });
});
