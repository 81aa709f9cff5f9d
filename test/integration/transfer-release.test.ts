import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchWriter } from '../../src-main/core/downloads/transfer/batch-writer.ts';
import { releaseChunks } from '../../src-main/core/downloads/transfer/release-chunks.ts';
import { createConnectionPool } from '../../src-main/core/http/connection-pool.ts';
import { fetchStorage } from '../support/fetch-storage.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

/** 4 MiB of bytes that differ chunk by chunk, served in 64 KiB writes. */
const body = Buffer.alloc(4 * 1024 * 1024);
for (let i = 0; i < body.length; i += 4) body.writeUInt32LE(i, i);

async function serveBody(): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': String(body.length) });
    for (let at = 0; at < body.length; at += 65536) res.write(body.subarray(at, at + 65536));
    res.end();
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.bin`;
}

describe("a storage GET frees the socket's chunks once they are written", () => {
  it('hands the sink intact chunks, then detaches each one that owned its memory, and no byte is lost', async () => {
    const url = await serveBody();
    const pool = createConnectionPool();
    const { error, written, lent, received } = await fetchStorage(pool, url);
    pool.close();
    expect(error).toBeUndefined();
    expect(received).toBe(body.length);
    // What the sink copied while it held the chunks is the file, byte for byte.
    expect(Buffer.concat(written).equals(body)).toBe(true);
    // Node gives each body piece its own memory: the chunks lent to the sink were freed after their write. Only
    // a small Buffer from node's shared pool (a few tiny pieces the stream joined) may be left to the collector.
    expect(lent.length).toBe(written.length);
    expect(lent.length).toBeGreaterThan(1);
    const kept = lent.filter((chunk) => chunk.byteLength !== 0);
    expect(kept.filter((chunk) => chunk.byteLength >= 4096)).toEqual([]);
    const freedBytes = written.filter((_, i) => lent[i]?.byteLength === 0).reduce((n, c) => n + c.length, 0);
    expect(freedBytes).toBeGreaterThan(body.length - 64 * 1024);
  });
});

describe('releaseChunks', () => {
  it('leaves views into shared memory alone: a slice, a pooled small Buffer', () => {
    const whole = Buffer.alloc(65536, 7);
    const shared = Buffer.alloc(65536, 9);
    const slice = shared.subarray(0, 1024);
    const pooled = Buffer.from('a pooled small buffer');
    releaseChunks([whole, slice, pooled]);
    expect(whole.byteLength).toBe(0);
    expect(slice.byteLength).toBe(1024);
    expect(shared.every((b) => b === 9)).toBe(true);
    expect(pooled.toString()).toBe('a pooled small buffer');
  });

  it('in the batch writer: a failed write frees nothing (its bytes are not on disk)', async () => {
    const chunk = Buffer.alloc(65536, 1);
    const writer = new BatchWriter(async () => {
      throw new Error('disk full');
    }, 0);
    writer.add(chunk);
    await expect(writer.drain()).rejects.toThrow('disk full');
    expect(chunk.byteLength).toBe(65536);
  });
});
