import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DrsClient } from '../../src-main/core/drs/drs-client.ts';
import { HttpClient } from '../../src-main/core/http/http-client.ts';

/**
 * GA4GH DRS behaviour the 4DN portal does not have, against a small DRS server of our own on 127.0.0.1:
 * base64 checksums, bundles and expand, bulk POST /objects, {msg, status_code} errors, 202 on /access.
 */
const bytes = Buffer.from('hello, drs');
const md5 = createHash('md5').update(bytes).digest();
const sha256 = createHash('sha256').update(bytes).digest();

interface Log {
  method: string;
  path: string;
  authorization?: string | undefined;
  body?: string;
}

function startDrsServer(options: { bulk: boolean; pendingAccess?: number }) {
  const log: Log[] = [];
  let pending = options.pendingAccess ?? 0;
  let base = '';
  const object = (id: string): Record<string, unknown> | undefined => {
    if (id === 'obj-1' || id === 'obj-2') {
      return {
        id,
        self_uri: `drs://example.org/${id}`,
        size: bytes.length,
        created_time: '2024-01-01T00:00:00Z',
        checksums: [
          { type: 'sha256', checksum: sha256.toString('base64') },
          { type: 'MD5', checksum: md5.toString('base64') },
        ],
        access_methods: [
          { type: 's3', access_id: 's3', access_url: { url: `s3://bucket/${id}` } },
          { type: 'https', access_id: 'signed' },
        ],
      };
    }
    if (id === 'bundle-1') {
      return {
        id,
        self_uri: 'drs://example.org/bundle-1',
        size: 0,
        created_time: '2024-01-01T00:00:00Z',
        checksums: [{ type: 'sha-256', checksum: sha256.toString('hex') }],
        contents: [
          { name: 'obj-1.txt', id: 'obj-1', drs_uri: ['drs://example.org/obj-1'] },
          { name: 'sub', id: 'bundle-2', drs_uri: ['drs://example.org/bundle-2'] },
        ],
      };
    }
    return undefined;
  };
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', base);
    log.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      body,
    });
    const match = /^\/ga4gh\/drs\/v1\/objects(?:\/([^/]+)(?:\/access\/([^/]+))?)?$/.exec(url.pathname);
    if (!match) return send(res, 404, { msg: 'No route', status_code: 404 });
    const [, id, accessId] = match;
    if (req.method === 'POST' && id === undefined) {
      if (!options.bulk) return send(res, 405, { msg: 'Method not allowed', status_code: 405 });
      const ids = (JSON.parse(body) as { bulk_object_ids: string[] }).bulk_object_ids;
      const found = ids.filter((one) => object(one));
      const missing = ids.filter((one) => !object(one));
      return send(res, 200, {
        summary: { requested: ids.length, resolved: found.length, unresolved: missing.length },
        resolved_drs_object: found.map((one) => object(one)),
        unresolved_drs_objects: missing.length ? [{ error_code: 404, object_ids: missing }] : [],
      });
    }
    if (id === 'boom') return send(res, 500, { msg: 'Database unavailable', status_code: 500 });
    const found = id === undefined ? undefined : object(decodeURIComponent(id));
    if (!found) return send(res, 404, { msg: `Object ${id} not found`, status_code: 404 });
    if (accessId !== undefined) {
      if (pending > 0) {
        pending--;
        return send(res, 202, {}, { 'retry-after': '1' });
      }
      return send(res, 200, { url: `${base}/storage/${id}?sig=abc`, headers: ['X-Token: t-123'] });
    }
    if (id === 'bundle-1' && url.searchParams.get('expand') === 'true') {
      const contents = (found.contents as Array<Record<string, unknown>>).map((entry) =>
        entry.id === 'bundle-2'
          ? { ...entry, contents: [{ name: 'deep.txt', id: 'obj-2', drs_uri: ['drs://example.org/obj-2'] }] }
          : entry,
      );
      return send(res, 200, { ...found, contents });
    }
    return send(res, 200, found);
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => handle(req, res, body));
  });
  return {
    log,
    get base() {
      return base;
    },
    async start() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const sleeps: number[] = [];
const sleep = async (ms: number) => {
  sleeps.push(ms);
};

describe('DRS client against a GA4GH server', () => {
  const bulkServer = startDrsServer({ bulk: true, pendingAccess: 2 });
  const plainServer = startDrsServer({ bulk: false });
  beforeAll(async () => {
    await bulkServer.start();
    await plainServer.start();
  });
  afterAll(async () => {
    await bulkServer.close();
    await plainServer.close();
  });
  beforeEach(() => {
    sleeps.length = 0;
  });
  // A profile on another server: its key must never reach these servers.
  const credentials = { server: 'http://127.0.0.1:1', keyId: 'ABCDEFGH', secret: 'abcdefghijklmnop' };
  const client = (server = bulkServer, bulkSupport = new Map<string, boolean>()) =>
    new DrsClient({ http: new HttpClient({ credentials, sleep }), defaultServer: server.base, bulkSupport });

  it('normalises base64 checksums and type names to lower-case hex', async () => {
    const object = await client().resolve(`${bulkServer.base}/ga4gh/drs/v1/objects/obj-1`);
    expect(object.checksums).toEqual([
      { type: 'sha-256', value: sha256.toString('hex') },
      { type: 'md5', value: md5.toString('hex') },
    ]);
    expect(object.size).toBe(bytes.length);
    expect(object.drsBase).toBe(`${bulkServer.base}/ga4gh/drs/v1`);
    expect(bulkServer.log.every((entry) => entry.authorization === undefined)).toBe(true);
  });

  it('reads bundles, and nests their contents on request', async () => {
    const drs = client();
    const flat = await drs.resolve(`drs://127.0.0.1:${new URL(bulkServer.base).port}/bundle-1`);
    expect(flat.contents?.map((entry) => [entry.name, entry.id, entry.contents.length])).toEqual([
      ['obj-1.txt', 'obj-1', 0],
      ['sub', 'bundle-2', 0],
    ]);
    const expanded = await drs.resolve(`${bulkServer.base}/ga4gh/drs/v1/objects/bundle-1`, { expand: true });
    expect(expanded.contents?.[1]?.contents).toEqual([
      { name: 'deep.txt', id: 'obj-2', drsUris: ['drs://example.org/obj-2'], contents: [] },
    ]);
    expect(bulkServer.log.at(-1)?.path).toBe('/ga4gh/drs/v1/objects/bundle-1?expand=true');
  });

  it('reports GA4GH error bodies: 404 as not-found, 500 as server-error after bounded retries', async () => {
    const drs = client();
    await expect(drs.resolve(`${bulkServer.base}/ga4gh/drs/v1/objects/nope`)).rejects.toMatchObject({
      code: 'not-found',
      message: `DRS object nope was not found on ${new URL(bulkServer.base).host} (Object nope not found).`,
    });
    const before = bulkServer.log.length;
    await expect(drs.resolve(`${bulkServer.base}/ga4gh/drs/v1/objects/boom`)).rejects.toMatchObject({
      code: 'server-error',
      message: expect.stringMatching(
        /answered 500 for DRS object boom after 5 tries \(Database unavailable\)/,
      ),
    });
    expect(bulkServer.log.length - before).toBe(5);
    expect(sleeps).toHaveLength(4);
  });

  it('waits out 202 on /access as Retry-After says, then returns the URL and its headers', async () => {
    const drs = client();
    const object = await drs.resolve(`${bulkServer.base}/ga4gh/drs/v1/objects/obj-1`);
    const access = await drs.accessUrl(object);
    expect(access).toEqual({
      url: `${bulkServer.base}/storage/obj-1?sig=abc`,
      headers: { 'X-Token': 't-123' },
    });
    expect(sleeps).toEqual([1000, 1000]);
    expect(bulkServer.log.filter((entry) => entry.path.endsWith('/access/signed'))).toHaveLength(3);
  });

  it('resolves many through one bulk POST, in input order, with per-id errors', async () => {
    const drs = client();
    const before = bulkServer.log.length;
    const objects = `${bulkServer.base}/ga4gh/drs/v1/objects`;
    const results = await drs.resolveMany([
      `${objects}/obj-2`,
      `${objects}/missing`,
      'not an id',
      `${objects}/obj-1`,
    ]);
    expect(results.map((result) => [result.input, result.ok])).toEqual([
      [`${objects}/obj-2`, true],
      [`${objects}/missing`, false],
      ['not an id', false],
      [`${objects}/obj-1`, true],
    ]);
    expect(results[0]?.ok && results[0].object.id).toBe('obj-2');
    expect(!results[1]?.ok && results[1]?.error.code).toBe('not-found');
    expect(!results[2]?.ok && results[2]?.error.code).toBe('unsupported-id');
    const requests = bulkServer.log.slice(before);
    expect(requests.map((entry) => entry.method)).toEqual(['POST']);
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ bulk_object_ids: ['obj-2', 'missing', 'obj-1'] });
  });

  it('tries bulk once on a server without it, remembers, and falls back to single GETs', async () => {
    const support = new Map<string, boolean>();
    const objects = `${plainServer.base}/ga4gh/drs/v1/objects`;
    const ids = [`${objects}/obj-1`, `${objects}/nope`, `${objects}/obj-2`];
    const first = await client(plainServer, support).resolveMany(ids, { concurrency: 2 });
    expect(first.map((result) => result.ok)).toEqual([true, false, true]);
    const second = await client(plainServer, support).resolveMany(ids);
    expect(second.map((result) => result.ok)).toEqual([true, false, true]);
    const posts = plainServer.log.filter((entry) => entry.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(plainServer.log.filter((entry) => entry.method === 'GET')).toHaveLength(6);
    expect(support.get(`${plainServer.base}/ga4gh/drs/v1`)).toBe(false);
  });

  it('resolves an s3-only object through its access id, since /access/s3 answers an https URL', async () => {
    const drs = client();
    const object = await drs.resolve(`${bulkServer.base}/ga4gh/drs/v1/objects/obj-1`);
    const s3Only = {
      ...object,
      accessMethods: object.accessMethods.filter((method) => method.type === 's3'),
    };
    await expect(drs.accessUrl(s3Only)).resolves.toEqual({
      url: `${bulkServer.base}/storage/obj-1?sig=abc`,
      headers: { 'X-Token': 't-123' },
    });
    expect(bulkServer.log.at(-1)?.path).toBe('/ga4gh/drs/v1/objects/obj-1/access/s3');
  });
});
