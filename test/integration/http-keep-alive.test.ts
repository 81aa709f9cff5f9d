import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { resolvePortalDownload } from '../../src-main/core/drs/portal-download.ts';
import { HttpClient } from '../../src-main/core/http/http-client.ts';

/**
 * The @@download hop answers a redirect whose body nobody reads. A short one with a stated length is drained, so
 * the next hop reuses the connection (one TCP connection per file cost as much as the rest of a small file's
 * download); a long or unsized one is still cut off with its connection.
 */
let server: Server;
let base = '';
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const location = `${base}/storage/object?sig=1`;
    if (req.url?.startsWith('/short/')) {
      const text = `307 Temporary Redirect\n\nThe resource has been moved to ${location}\n`;
      res.writeHead(307, {
        location,
        'content-type': 'text/plain',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    } else if (req.url?.startsWith('/unsized/')) {
      res.writeHead(307, { location, 'content-type': 'text/plain' });
      res.write('x'.repeat(64 * 1024));
      // Never ends: a client that waited for this body would hang.
    } else {
      res.writeHead(404).end();
    }
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  connections = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('reuses one connection for hops whose short redirect bodies go unread', async () => {
  const http = new HttpClient();
  for (let i = 0; i < 5; i++) {
    const target = await resolvePortalDownload(http, `${base}/short/${i}/@@download`, `file ${i}`);
    expect(target.url).toBe(`${base}/storage/object?sig=1`);
  }
  expect(connections).toBe(1);
});

it('cuts off an unsized redirect body with its connection instead of waiting for it', async () => {
  const http = new HttpClient();
  for (let i = 0; i < 3; i++) {
    const target = await resolvePortalDownload(http, `${base}/unsized/${i}/@@download`, `file ${i}`);
    expect(target.url).toBe(`${base}/storage/object?sig=1`);
  }
  // The first may ride on a connection the test before left in the pool; each cut one needs a new one after.
  expect(connections).toBeGreaterThanOrEqual(2);
});
