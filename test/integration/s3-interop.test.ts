import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { presignV2 } from '../support/s3-presign.ts';
import { type Harness, startHarness } from './engine-harness.ts';

/**
 * The engine against a DRS server whose storage is s3rver, an S3 implementation written by others that
 * verifies signature-v2 presigned URLs: a changed URL or an added x-amz header is caught by its code, not ours.
 * Objects offer only `{type: s3, access_id: s3}`; /access/s3 answers a presigned https-style URL.
 */
const BUCKET = 'drs-bucket';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const RESERVED_KEY = "runs/a+b=c&d;e'f(g)~h,i@j!k$l*m.bin";
const UNICODE_KEY = 'données/naïve-ß 東京.txt';

interface StoredObject {
  key: string;
  bytes: Buffer;
  checksums: Array<{ type: string; checksum: string }>;
  overrides?: Record<string, string>;
  /** How many /access answers are already expired before a good one. */
  expiredAnswers?: number;
}

const hash = (algorithm: string, bytes: Buffer) => createHash(algorithm).update(bytes).digest('hex');
const objectPath = (key: string) => `/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`;

describe('interop with a real S3 (s3rver) behind a DRS server', () => {
  let s3: S3rver;
  let s3Dir: string;
  let endpoint: string;
  let drs: Server;
  let drsBase: string;
  let h: Harness;
  const accessLog: string[] = [];
  const objects = new Map<string, StoredObject>();

  async function put(key: string, bytes: Buffer) {
    const response = await fetch(`${endpoint}${objectPath(key)}`, { method: 'PUT', body: bytes });
    expect(response.status).toBe(200);
  }

  /** A two-part multipart upload through the S3 API (the first part at S3's 5 MiB minimum). */
  async function putMultipart(key: string, parts: Buffer[]) {
    const base = `${endpoint}${objectPath(key)}`;
    const init = await (await fetch(`${base}?uploads`, { method: 'POST' })).text();
    const uploadId = /<UploadId>(.*)<\/UploadId>/.exec(init)?.[1] as string;
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const response = await fetch(`${base}?partNumber=${i + 1}&uploadId=${uploadId}`, {
        method: 'PUT',
        body: part,
      });
      etags.push(response.headers.get('etag') as string);
    }
    const xml = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`);
    const done = await fetch(`${base}?uploadId=${uploadId}`, {
      method: 'POST',
      body: `<CompleteMultipartUpload>${xml.join('')}</CompleteMultipartUpload>`,
    });
    expect(done.status).toBe(200);
  }

  const presign = (object: StoredObject, expires: number) =>
    presignV2({
      endpoint,
      bucket: BUCKET,
      key: object.key,
      ...CREDENTIALS,
      expires,
      ...(object.overrides ? { overrides: object.overrides } : {}),
    });

  beforeAll(async () => {
    s3Dir = await mkdtemp(join(tmpdir(), 's3rver-'));
    s3 = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: s3Dir,
      configureBuckets: [{ name: BUCKET }],
    });
    const address = await s3.run();
    endpoint = `http://127.0.0.1:${address.port}`;

    const reserved = Buffer.from('reserved characters in the key\n'.repeat(2000));
    const unicode = Buffer.from('unicode key ✓\n'.repeat(3000));
    const partA = Buffer.alloc(5 * 1024 * 1024, 7);
    const partB = Buffer.from('the last part of a multipart object\n');
    const multipart = Buffer.concat([partA, partB]);
    objects.set('reserved', {
      key: RESERVED_KEY,
      bytes: reserved,
      checksums: [{ type: 'md5', checksum: hash('md5', reserved) }],
    });
    objects.set('unicode', {
      key: UNICODE_KEY,
      bytes: unicode,
      checksums: [{ type: 'sha-256', checksum: hash('sha256', unicode) }],
      overrides: { 'response-content-disposition': 'attachment; filename="naive.txt"' },
    });
    objects.set('multipart', {
      key: 'big/multipart.bin',
      bytes: multipart,
      // An S3 multipart etag is not an md5 of the file: the sha-256 is what must be checked.
      checksums: [
        { type: 'etag', checksum: `${hash('md5', partA)}-2` },
        { type: 'sha-256', checksum: hash('sha256', multipart) },
      ],
    });
    objects.set('expiring', {
      key: 'runs/expiring.bin',
      bytes: reserved,
      checksums: [{ type: 'md5', checksum: hash('md5', reserved) }],
      expiredAnswers: 1,
    });
    for (const [id, object] of objects) {
      if (id === 'multipart') await putMultipart(object.key, [partA, partB]);
      else await put(object.key, object.bytes);
    }

    drs = createServer((req, res) => {
      const match = /^\/ga4gh\/drs\/v1\/objects\/([^/]+)(\/access\/([^/]+))?$/.exec(req.url ?? '');
      const id = match?.[1] ?? '';
      const object = objects.get(id);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (!object) return send(404, { msg: 'not found', status_code: 404 });
      if (match?.[3]) {
        accessLog.push(`${id}:${match[3]}`);
        const now = Math.floor(Date.now() / 1000);
        const stale = (object.expiredAnswers ?? 0) > 0;
        if (stale) object.expiredAnswers = (object.expiredAnswers ?? 0) - 1;
        return send(200, { url: presign(object, stale ? now - 10 : now + 600) });
      }
      send(200, {
        id,
        self_uri: `drs://example.org/${id}`,
        name: object.key.split('/').pop(),
        size: object.bytes.length,
        created_time: '2026-01-01T00:00:00Z',
        checksums: object.checksums,
        access_methods: [{ type: 's3', access_id: 's3', region: 'us-east-1' }],
      });
    });
    await new Promise<void>((resolve) => drs.listen(0, '127.0.0.1', resolve));
    drsBase = `http://127.0.0.1:${(drs.address() as AddressInfo).port}/ga4gh/drs/v1`;
    h = await startHarness({ portal: { files: 1 }, settings: { segments: 4, minSegmentSize: 1024 * 1024 } });
  }, 60_000);
  afterEach(async () => {
    await h.reset();
    accessLog.length = 0;
  });
  afterAll(async () => {
    await h?.close();
    drs?.closeAllConnections();
    await new Promise<void>((resolve) => (drs ? drs.close(() => resolve()) : resolve()));
    await s3?.close();
    await rm(s3Dir, { recursive: true, force: true });
  });

  it('s3rver itself refuses a changed URL, an added x-amz header and an expired signature', async () => {
    const object = objects.get('reserved') as StoredObject;
    const url = presign(object, Math.floor(Date.now() / 1000) + 60);
    expect((await fetch(url)).status).toBe(200);
    const ranged = await fetch(url, { headers: { range: 'bytes=10-19' } });
    expect([ranged.status, ranged.headers.get('content-range')]).toEqual([
      206,
      `bytes 10-19/${object.bytes.length}`,
    ]);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(object.bytes.subarray(10, 20));
    expect((await fetch(url.replace('Expires=', 'Expires=1'))).status).toBe(403);
    expect((await fetch(url, { headers: { 'x-amz-meta-added': '1' } })).status).toBe(403);
    const expired = await fetch(presign(object, Math.floor(Date.now() / 1000) - 5));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  it('downloads s3-only objects with reserved and unicode keys and a response-content-disposition, verified', async () => {
    const jobs = await h.download([`${drsBase}/objects/reserved`, `${drsBase}/objects/unicode`]);
    for (const [i, id] of ['reserved', 'unicode'].entries()) {
      const job = jobs[i];
      expect(job, JSON.stringify(job?.error)).toMatchObject({ state: 'done', verification: 'verified' });
      expect(await readFile(job?.path as string)).toEqual(objects.get(id)?.bytes);
    }
    // Saved under the key's name, with only the character Windows cannot hold (*) replaced.
    expect(jobs[0]?.name).toBe("a+b=c&d;e'f(g)~h,i@j!k$l_m.bin");
    expect(accessLog).toEqual(['reserved:s3', 'unicode:s3']);
  });

  it('downloads a multipart object in ranged segments and checks its sha-256, not the multipart etag', async () => {
    const [job] = await h.download([`${drsBase}/objects/multipart`]);
    expect(job, JSON.stringify(job?.error)).toMatchObject({
      state: 'done',
      verification: 'verified',
      checksum: { type: 'sha-256' },
    });
    expect(hash('sha256', await readFile(job?.path as string))).toBe(
      hash('sha256', objects.get('multipart')?.bytes as Buffer),
    );
    expect(accessLog[0]).toBe('multipart:s3');
  });

  it('asks /access again when S3 says the presigned URL has expired, and keeps no error body', async () => {
    const [job] = await h.download([`${drsBase}/objects/expiring`]);
    expect(job, JSON.stringify(job?.error)).toMatchObject({ state: 'done', verification: 'verified' });
    expect(await readFile(job?.path as string)).toEqual(objects.get('expiring')?.bytes);
    expect(accessLog.filter((entry) => entry === 'expiring:s3').length).toBeGreaterThanOrEqual(2);
  });
});
