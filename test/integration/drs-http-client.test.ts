import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src-main/core/http/http-client.ts';

/**
 * The shared HTTP setup against two servers on 127.0.0.1 (a "portal" and a "storage" on another port):
 * credentials scoped by origin across redirects, bytes as stored, retries, errors.
 */
interface Seen {
  server: 'portal' | 'storage';
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}
const seen: Seen[] = [];
const gzipped = gzipSync(Buffer.from('stored bytes'));
let flaky = 0;

function start(
  name: Seen['server'],
  handler: (path: string, res: import('node:http').ServerResponse) => void,
) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ server: name, method: req.method ?? '', path: req.url ?? '', headers: req.headers });
      handler(req.url ?? '', res);
    });
  });
  return server;
}

let portal: Server;
let storage: Server;
let portalUrl = '';
let storageUrl = '';

beforeAll(async () => {
  storage = start('storage', (path, res) => {
    if (path === '/gz') {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/octet-stream' });
      res.end(gzipped);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"from":"storage"}');
  });
  portal = start('portal', (path, res) => {
    if (path === '/to-storage') {
      res.writeHead(307, { location: `${storageUrl}/object?sig=1` });
      res.end();
    } else if (path === '/to-self') {
      res.writeHead(301, { location: '/landed' });
      res.end();
    } else if (path === '/post-see-other') {
      res.writeHead(303, { location: '/landed' });
      res.end();
    } else if (path === '/flaky') {
      flaky++;
      if (flaky <= 2) {
        res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/json' });
        res.end('{"status":"error","code":503,"title":"Service Unavailable","description":"busy"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    } else if (path === '/loop') {
      res.writeHead(302, { location: '/loop' });
      res.end();
    } else if (path === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"from":"portal"}');
    }
  });
  for (const server of [portal, storage])
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
  storageUrl = `http://127.0.0.1:${(storage.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const server of [portal, storage]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
beforeEach(() => {
  seen.length = 0;
  flaky = 0;
});

const sleeps: number[] = [];
const client = () =>
  new HttpClient({
    credentials: { server: `${portalUrl}/`, keyId: 'ABCDEFGH', secret: 'abcdefghijklmnop' },
    version: '9.9.9',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
const basic = `Basic ${Buffer.from('ABCDEFGH:abcdefghijklmnop').toString('base64')}`;

describe('HttpClient', () => {
  it('sends Basic auth to the portal and never to storage on another port, even across a redirect', async () => {
    const response = await client().json(`${portalUrl}/to-storage`);
    expect(response.data).toEqual({ from: 'storage' });
    expect(response.url).toBe(`${storageUrl}/object?sig=1`);
    expect(seen.map((s) => [s.server, s.headers.authorization])).toEqual([
      ['portal', basic],
      ['storage', undefined],
    ]);
    expect(seen.every((s) => s.headers['user-agent'] === '4dn-downloader/9.9.9')).toBe(true);
    expect(seen.every((s) => s.headers['accept-encoding'] === 'identity')).toBe(true);
  });

  it('drops a caller Authorization header on a cross-origin redirect', async () => {
    await client().request(`${portalUrl}/to-storage`, {
      headers: { Authorization: 'Bearer abc', 'X-Keep': '1' },
    });
    expect(seen[1]?.headers.authorization).toBeUndefined();
    expect(seen[1]?.headers['x-keep']).toBe('1');
  });

  it('can stop at a redirect (the @@download hop) without reading its body', async () => {
    const response = await client().request(`${portalUrl}/to-storage`, { followRedirects: false });
    expect(response.status).toBe(307);
    expect(response.headers.location).toBe(`${storageUrl}/object?sig=1`);
    expect(seen).toHaveLength(1);
  });

  it('follows same-origin redirects with credentials, and turns POST into GET on 303', async () => {
    await client().json(`${portalUrl}/to-self`);
    await client().json(`${portalUrl}/post-see-other`, { method: 'POST', json: { a: 1 } });
    expect(seen.map((s) => [s.method, s.path, s.headers.authorization === basic])).toEqual([
      ['GET', '/to-self', true],
      ['GET', '/landed', true],
      ['POST', '/post-see-other', true],
      ['GET', '/landed', true],
    ]);
  });

  it('keeps bytes as stored: no decompression', async () => {
    const response = await client().request(`${storageUrl}/gz`, { accept: '*/*' });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.body.equals(gzipped)).toBe(true);
  });

  it('retries a 503 after its Retry-After and gives the final answer', async () => {
    sleeps.length = 0;
    const response = await client().json(`${portalUrl}/flaky`);
    expect(response.data).toEqual({ ok: true });
    expect(response.attempts).toBe(3);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('fails clearly on redirect loops and on non-JSON answers', async () => {
    await expect(client().request(`${portalUrl}/loop`)).rejects.toMatchObject({
      code: 'bad-response',
      message: expect.stringMatching(/redirected too many times/),
    });
    await expect(client().json(`${portalUrl}/html`, { what: 'item X' })).rejects.toMatchObject({
      code: 'bad-response',
      message: expect.stringMatching(/sent something other than JSON for item X/),
    });
  });

  it('reports a canceled request as canceled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(client().request(`${portalUrl}/x`, { signal: controller.signal })).rejects.toMatchObject({
      code: 'canceled',
    });
  });
});
