import dns from 'node:dns';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { DrsClient } from '../../src-main/core/drs/drs-client.ts';
import { createConnectionPool } from '../../src-main/core/http/connection-pool.ts';
import { HttpClient } from '../../src-main/core/http/http-client.ts';
import { fetchStorage } from '../support/fetch-storage.ts';

// A self-signed certificate for 127.0.0.1, made for these tests only (test/fixtures/tls).
const tls = join(import.meta.dirname, '../fixtures/tls');
const cert = readFileSync(join(tls, 'cert.pem'));
const key = readFileSync(join(tls, 'key.pem'));

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

async function listen(server: Server, host = '127.0.0.1'): Promise<number> {
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, host, done));
  return (server.address() as AddressInfo).port;
}

/** A storage GET through a fresh connection pool (trusting `ca` when given), closed when the test ends. */
function fetchThroughNewPool(url: string, headers: Record<string, string>, ca?: Buffer) {
  const pool = createConnectionPool(ca ? { ca } : {});
  onTestFinished(() => pool.close());
  return fetchStorage(pool, url, headers);
}

describe('storage redirects through the transfer stack', () => {
  it('refuses an https storage URL that redirects to plain http, and never asks the http server', async () => {
    const plainHits: string[] = [];
    const plain = createHttpServer((req, res) => {
      plainHits.push(req.url ?? '');
      res.end('bytes that must not be fetched');
    });
    const plainPort = await listen(plain);
    const secure = createHttpsServer({ cert, key }, (_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${plainPort}/bucket/file.bin` }).end();
    });
    const securePort = await listen(secure);

    const { error, written } = await fetchThroughNewPool(
      `https://127.0.0.1:${securePort}/signed/file.bin`,
      {},
      cert,
    );
    expect(error?.code).toBe('bad-response');
    expect(error?.message).toMatch(/from https to plain http \(127\.0\.0\.1:\d+\)/);
    expect(plainHits).toEqual([]);
    expect(written).toEqual([]);
  });
});

describe('the access URL headers on a storage redirect chain', () => {
  it('go along a same-origin hop and never to another origin', async () => {
    const seen: Array<{ port: string; path: string; auth?: string; token?: string }> = [];
    const record = (port: string, req: IncomingMessage) => {
      const entry: (typeof seen)[number] = { port, path: req.url ?? '' };
      if (req.headers.authorization) entry.auth = req.headers.authorization;
      if (req.headers['x-storage-token']) entry.token = String(req.headers['x-storage-token']);
      seen.push(entry);
    };
    const other = createHttpServer((req, res) => {
      record('other', req);
      res.end('the bytes');
    });
    const otherPort = await listen(other);
    const first = createHttpServer((req, res) => {
      record('first', req);
      if (req.url === '/a') res.writeHead(302, { location: '/b' }).end();
      else res.writeHead(307, { location: `http://127.0.0.1:${otherPort}/c` }).end();
    });
    const firstPort = await listen(first);
    const { error, bytes } = await fetchThroughNewPool(`http://127.0.0.1:${firstPort}/a`, {
      authorization: 'Bearer storage-token',
      'x-storage-token': 'abc',
    });
    expect(error).toBeUndefined();
    expect(bytes).toBe('the bytes');
    expect(seen).toEqual([
      { port: 'first', path: '/a', auth: 'Bearer storage-token', token: 'abc' },
      { port: 'first', path: '/b', auth: 'Bearer storage-token', token: 'abc' },
      { port: 'other', path: '/c' },
    ]);
  });

  it('ends a redirect loop with a clear refusal after five hops', async () => {
    let hits = 0;
    const looping = createHttpServer((_req, res) => {
      hits++;
      res.writeHead(302, { location: '/again' }).end();
    });
    const port = await listen(looping);
    const { error } = await fetchThroughNewPool(`http://127.0.0.1:${port}/start`, {});
    expect(error?.code).toBe('bad-response');
    expect(error?.message).toBe('Storage redirected the download too many times.');
    expect(hits).toBe(6);
  });
});

/**
 * A DRS server that is not on this machine by its address: a name the test resolves to 127.0.0.1 itself (node's
 * dns.lookup, which node's requests use), so no traffic leaves loopback while the rule sees a remote host.
 */
const REMOTE_NAME = 'drs.example.org';
const realLookup = dns.lookup;
function resolveRemoteNameLocally(): () => void {
  const patched = ((hostname: string, options: unknown, callback?: unknown) => {
    const cb = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
    const opts = (typeof options === 'object' && options !== null ? options : {}) as { all?: boolean };
    if (hostname !== REMOTE_NAME)
      return (realLookup as (...args: unknown[]) => void)(hostname, options, callback);
    if (opts.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
    else cb(null, '127.0.0.1', 4);
  }) as typeof dns.lookup;
  dns.lookup = patched;
  return () => {
    dns.lookup = realLookup;
  };
}

describe('a DRS server that is not on loopback cannot send us to local services', () => {
  it('refuses its access URL and its redirect to 127.0.0.1, and the local service is never asked', async () => {
    const restoreLookup = resolveRemoteNameLocally();
    onTestFinished(restoreLookup);
    const localHits: string[] = [];
    const local = createHttpServer((req, res) => {
      localHits.push(req.url ?? '');
      res.end('{"secret": "internal admin data"}');
    });
    const localPort = await listen(local);
    const target = `http://127.0.0.1:${localPort}/admin`;
    const drs = createHttpServer((req, res) => {
      if (req.url?.startsWith('/redirect')) {
        res.writeHead(302, { location: target }).end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id: 'OBJ1',
          size: 3,
          checksums: [{ type: 'md5', checksum: '0'.repeat(32) }],
          access_methods: [{ type: 'https', access_url: { url: target } }],
        }),
      );
    });
    const drsPort = await listen(drs);
    const server = `http://${REMOTE_NAME}:${drsPort}`;
    const http = new HttpClient({ retry: { attempts: 1 } });
    const client = new DrsClient({ http, defaultServer: `${server}/ga4gh/drs/v1` });
    const object = await client.resolve(`${server}/ga4gh/drs/v1/objects/OBJ1`);
    const refused = await client.accessUrl(object).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(refused?.code).toBe('bad-response');
    expect(refused?.message).toContain(`points at a local or private address (127.0.0.1:${localPort})`);
    const redirected = await http.request(`${server}/redirect`, { what: 'the probe' }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(redirected?.message).toMatch(
      /redirected the probe elsewhere, which was refused: it points at a local/,
    );
    expect(localHits).toEqual([]);
  });
});
