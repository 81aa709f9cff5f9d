import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src-main/core/downloads/http-client.ts';
import { runTransfer } from '../../src-main/core/downloads/transfer.ts';

// A self-signed certificate for 127.0.0.1, made for these tests only (test/fixtures/tls).
const tls = join(import.meta.dirname, '../fixtures/tls');
const cert = readFileSync(join(tls, 'cert.pem'));
const key = readFileSync(join(tls, 'key.pem'));

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
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

    const client = createHttpClient();
    const deps = {
      http: { ...client, got: client.got.extend({ https: { certificateAuthority: cert } }) },
    };
    const written: Buffer[] = [];
    const error = await runTransfer(
      deps,
      {
        url: `https://127.0.0.1:${securePort}/signed/file.bin`,
        headers: {},
        start: 0,
        ranged: true,
        wholeOk: true,
        stallTimeoutMs: 30_000,
        signal: new AbortController().signal,
      },
      {
        begin: () => undefined,
        write: async (chunks) => {
          written.push(...chunks);
        },
      },
    ).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    client.close();
    expect(error?.code).toBe('bad-response');
    expect(error?.message).toMatch(/from https to plain http \(127\.0\.0\.1:\d+\)/);
    expect(plainHits).toEqual([]);
    expect(written).toEqual([]);
  });
});
