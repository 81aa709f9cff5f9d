import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BodySockets, type StreamExchange } from '../../src-main/core/http/body-socket.ts';
import { SLAB_BYTES, SlabPool } from '../../src-main/core/http/slab-pool.ts';

/*
 * Storage GETs on our own HTTP/1.1 sockets (body-socket.ts) against raw TCP servers that write exactly the bytes
 * each case needs: framings, splits at awkward places, drops, stale keep-alive sockets, a slow reader.
 */

const execFileAsync = promisify(execFile);
const servers: { close(): void }[] = [];
const pools: BodySockets[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
  for (const server of servers.splice(0)) server.close();
});

interface RawServer {
  url: string;
  connections: number;
  requests: string[];
  sockets: Socket[];
}

/** A TCP server on loopback: `answer` gets each request's head and writes what it likes. */
async function rawServer(
  answer: (socket: Socket, request: string, state: RawServer) => void,
): Promise<RawServer> {
  const state: RawServer = { url: '', connections: 0, requests: [], sockets: [] };
  const server: Server = createServer((socket) => {
    state.connections++;
    state.sockets.push(socket);
    let pending = '';
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      pending += data.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const request = pending.slice(0, end);
        pending = pending.slice(end + 4);
        state.requests.push(request);
        answer(socket, request, state);
      }
    });
  });
  servers.push({ close: () => server.close() });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/file`;
  return state;
}

/**
 * A server whose first connection answers one request and is closed, unanswered, at the second: what a client
 * meets when the server dropped a kept-alive socket just as it was reused. Other connections answer "ok".
 */
async function staleAfterOne() {
  return rawServer((socket, _request, state) => {
    if (socket === state.sockets[0] && state.requests.length > 1) {
      socket.destroy();
      return;
    }
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
  });
}

function sockets(slabs = new SlabPool()) {
  const pool = new BodySockets({ slabs, maxIdle: 16 });
  pools.push(pool);
  return pool;
}

/** Reads a whole answer: status, headers, and the body's bytes (views given back as read). */
async function read(exchange: StreamExchange) {
  const response = await exchange.response;
  const parts: Buffer[] = [];
  for await (const view of response.body) {
    parts.push(Buffer.from(view));
    response.release([view]);
  }
  return { status: response.statusCode, headers: response.headers, body: Buffer.concat(parts) };
}

/** Writes `text` in pieces of `step` bytes, each in its own TCP write a moment apart. */
async function dribble(socket: Socket, text: string | Buffer, step: number) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1');
  for (let at = 0; at < bytes.length; at += step) {
    socket.write(bytes.subarray(at, at + step));
    await new Promise((done) => setImmediate(done));
  }
}

describe('a GET on our own sockets', () => {
  it('sends one clean request: the path and query, Host, the given headers, nothing else', async () => {
    const server = await rawServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
    );
    const answer = await read(
      sockets().get(new URL(`${server.url}?X-Amz-Signature=abc%20d`), { range: 'bytes=5-' }),
    );
    expect(answer.body.toString()).toBe('ok');
    const port = new URL(server.url).port;
    expect(server.requests).toEqual([
      `GET /file?X-Amz-Signature=abc%20d HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nrange: bytes=5-`,
    ]);
  });

  it('reads a head and body split at every byte, and a chunked body split anywhere', async () => {
    const body = 'the quick brown fox jumps over the lazy dog';
    const chunked = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nthe \r\n${(body.length - 4).toString(16)};x=y\r\n${body.slice(4)}\r\n0\r\nTrailer: 1\r\n\r\n`;
    const plain = `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const server = await rawServer((socket, request) => {
      void dribble(socket, request.includes('chunked') ? chunked : plain, 1);
    });
    const pool = sockets();
    expect((await read(pool.get(new URL(server.url), {}))).body.toString()).toBe(body);
    expect((await read(pool.get(new URL(server.url), { x: 'chunked' }))).body.toString()).toBe(body);
    // Both framings ended cleanly: the second GET went on the first one's socket.
    expect(server.connections).toBe(1);
  });

  it('skips an informational answer (100, 103) and reads the real one', async () => {
    const server = await rawServer((socket) =>
      socket.write(
        'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc',
      ),
    );
    const answer = await read(sockets().get(new URL(server.url), {}));
    expect([answer.status, answer.body.toString()]).toEqual([200, 'abc']);
  });

  it('reads a body without a length to the close, and never reuses that socket', async () => {
    const server = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\nuntil the end'));
    const pool = sockets();
    expect((await read(pool.get(new URL(server.url), {}))).body.toString()).toBe('until the end');
    expect((await read(pool.get(new URL(server.url), {}))).body.toString()).toBe('until the end');
    expect(server.connections).toBe(2);
  });

  it('keeps the connection alive: ten GETs in a row on one socket', async () => {
    const server = await rawServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'),
    );
    const pool = sockets();
    for (let i = 0; i < 10; i++)
      expect((await read(pool.get(new URL(server.url), {}))).body.toString()).toBe('hello');
    expect(server.connections).toBe(1);
  });

  it('sends a GET again on a new socket when the kept-alive one turns out closed by the server', async () => {
    const server = await staleAfterOne();
    const pool = sockets();
    await read(pool.get(new URL(server.url), {}));
    expect((await read(pool.get(new URL(server.url), {}))).body.toString()).toBe('ok');
    // The second GET reached the first socket (closed unanswered there), then went out on a new one.
    expect(server.requests).toHaveLength(3);
    expect(server.connections).toBe(2);
  });

  it('fails a body cut short with ECONNRESET, after handing over the bytes that came', async () => {
    const server = await rawServer((socket) =>
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this'),
    );
    const response = await sockets().get(new URL(server.url), {}).response;
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const view of response.body) seen.push(view.toString());
    })().catch((error: unknown) => error as NodeJS.ErrnoException);
    expect(seen.join('')).toBe('only this');
    expect(failure?.code).toBe('ECONNRESET');
  });

  it('fails a connection that closes before any answer with ECONNRESET, and a refused one with its code', async () => {
    const server = await rawServer((socket) => socket.destroy());
    await expect(sockets().get(new URL(server.url), {}).response).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    const closed = await rawServer(() => undefined);
    const port = new URL(closed.url).port;
    servers.pop()?.close();
    await new Promise((done) => setTimeout(done, 20));
    await expect(sockets().get(new URL(`http://127.0.0.1:${port}/x`), {}).response).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('refuses an answer that is not HTTP, and a head over 64 KiB', async () => {
    const notHttp = await rawServer((socket) => socket.write('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
    await expect(sockets().get(new URL(notHttp.url), {}).response).rejects.toThrow(
      /not an HTTP\/1.x status line/,
    );
    const huge = await rawServer((socket) =>
      socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}\r\n`),
    );
    await expect(sockets().get(new URL(huge.url), {}).response).rejects.toThrow(/over 64 KiB/);
  });

  it('refuses a header that would break the request, before connecting', async () => {
    const server = await rawServer(() => undefined);
    await expect(
      sockets().get(new URL(server.url), { 'x-a': 'b\r\nHost: evil' }).response,
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_CHAR',
    });
    await expect(sockets().get(new URL('ftp://127.0.0.1/x'), {}).response).rejects.toMatchObject({
      code: 'ERR_INVALID_PROTOCOL',
    });
    expect(server.connections).toBe(0);
  });

  it('destroyed mid-body: the reader fails with the reason, and the socket is not reused', async () => {
    const server = await rawServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nsome'),
    );
    const pool = sockets();
    const exchange = pool.get(new URL(server.url), {});
    const response = await exchange.response;
    const reading = (async () => {
      for await (const _view of response.body);
    })();
    exchange.destroy(new Error('stalled'));
    await expect(reading).rejects.toThrow('stalled');
    const next = pool.get(new URL(server.url), {});
    await next.response;
    next.destroy();
    expect(server.connections).toBe(2);
  });

  it('reads into slabs it uses again, and stops reading while the reader is behind', async () => {
    const body = Buffer.alloc(48 * 1024 * 1024);
    for (let i = 0; i < body.length; i += 4) body.writeUInt32LE(i, i);
    const server = await rawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.write(body);
    });
    const slabs = new SlabPool();
    const response = await sockets(slabs).get(new URL(server.url), {}).response;
    const memory = new Set<ArrayBufferLike>();
    let offset = 0;
    let most = 0;
    let mismatch = -1;
    for await (const view of response.body) {
      memory.add(view.buffer);
      expect(view.buffer.byteLength).toBe(SLAB_BYTES);
      if (mismatch < 0 && !view.equals(body.subarray(offset, offset + view.length))) mismatch = offset;
      offset += view.length;
      most = Math.max(most, slabs.inUse);
      // A slow disk: the reader holds each view a moment before giving it back.
      await new Promise((done) => setImmediate(done));
      response.release([view]);
    }
    expect(mismatch).toBe(-1);
    expect(offset).toBe(body.length);
    // 48 MiB came through a handful of slabs: the socket waited while 4 MiB were queued, and slabs came back.
    expect(most).toBeLessThanOrEqual(8);
    expect(memory.size).toBeLessThanOrEqual(16);
  });
});

describe('a parked socket', () => {
  it('keeps no process alive: a script that made a GET ends with its last line, not 4 s later', async () => {
    const server = await rawServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
    );
    const module = new URL('../../src-main/core/http/body-socket.ts', import.meta.url).href;
    const slabs = new URL('../../src-main/core/http/slab-pool.ts', import.meta.url).href;
    const script = [
      `const { BodySockets } = await import(${JSON.stringify(module)});`,
      `const { SlabPool } = await import(${JSON.stringify(slabs)});`,
      'const pool = new BodySockets({ slabs: new SlabPool(), maxIdle: 4 });',
      `const response = await pool.get(new URL(${JSON.stringify(server.url)}), {}).response;`,
      'for await (const view of response.body) response.release([view]);',
      "console.log('read', response.statusCode);",
    ].join('\n');
    const started = performance.now();
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script]);
    expect(stdout.trim()).toBe('read 200');
    // The socket waits in the pool for 4 s (unref'd, with its clock): the process did not wait for it.
    expect(performance.now() - started).toBeLessThan(3500);
    expect(server.connections).toBe(1);
  });
});

describe('other requests on our own sockets (the portal and DRS calls)', () => {
  it('sends a POST with its body, and never sends it again on a new socket when the kept one was stale', async () => {
    const server = await staleAfterOne();
    const pool = sockets();
    await read(pool.get(new URL(server.url), {}));
    const post = () =>
      pool.request(new URL(server.url), {
        method: 'POST',
        headers: { 'content-length': '7' },
        body: '{"a":1}',
      });
    // The kept socket was closed unanswered: a POST may have had its effect, so it fails rather than go twice.
    await expect(post().response).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(server.requests).toHaveLength(2);
    expect((await read(post())).body.toString()).toBe('ok');
    expect(server.requests[2]).toMatch(/^POST \/file HTTP\/1.1\r\n/);
  });

  it('bounds a silent answer by the response timeout and a stalled body by the socket timeout', async () => {
    const silent = await rawServer(() => undefined);
    const started = performance.now();
    await expect(
      sockets().request(new URL(silent.url), { headers: {}, timeouts: { response: 150 } }).response,
    ).rejects.toMatchObject({ code: 'ETIMEDOUT', message: "Timeout awaiting 'response' for 150ms" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const stalled = await rawServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'),
    );
    const response = await sockets().request(new URL(stalled.url), { headers: {}, timeouts: { socket: 150 } })
      .response;
    await expect(
      read({ response: Promise.resolve(response), destroy: () => undefined }),
    ).rejects.toMatchObject({
      code: 'ETIMEDOUT',
    });
  });

  it('ends at once with the reason when its signal aborts', async () => {
    const silent = await rawServer(() => undefined);
    const controller = new AbortController();
    const exchange = sockets().request(new URL(silent.url), { headers: {}, signal: controller.signal });
    controller.abort(new Error('stopped by the user'));
    await expect(exchange.response).rejects.toThrow('stopped by the user');
  });
});

/** The test certificate for 127.0.0.1 (test/fixtures/tls). */
const tlsDir = join(import.meta.dirname, '../fixtures/tls');
const cert = readFileSync(join(tlsDir, 'cert.pem'));

/** An https server on loopback answering `text`; `resumed` says, per connection, whether it resumed a session. */
async function httpsServer(text: string) {
  const server = createHttpsServer({ cert, key: readFileSync(join(tlsDir, 'key.pem')) }, (_req, res) =>
    res.end(text),
  );
  const resumed: boolean[] = [];
  server.on('secureConnection', (socket) => resumed.push(socket.isSessionReused()));
  servers.push({ close: () => server.close() });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
  const trusting = new BodySockets({ slabs: new SlabPool(), maxIdle: 4, ca: cert });
  pools.push(trusting);
  return { url, resumed, trusting };
}

describe('a GET over TLS', () => {
  it('checks the certificate against the given CA and reads the body as over plain TCP', async () => {
    const { url, trusting } = await httpsServer('secret bytes');
    expect((await read(trusting.get(url, {}))).body.toString()).toBe('secret bytes');
    await expect(sockets().get(url, {}).response).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });

  it('resumes the TLS session on a new connection to the same origin (an abbreviated handshake)', async () => {
    const { url, resumed, trusting } = await httpsServer('ok');
    expect((await read(trusting.get(url, {}))).body.toString()).toBe('ok');
    // The kept socket is closed, so the next GET needs a connection of its own.
    trusting.close();
    expect((await read(trusting.get(url, {}))).body.toString()).toBe('ok');
    expect(resumed).toEqual([false, true]);
  });
});
