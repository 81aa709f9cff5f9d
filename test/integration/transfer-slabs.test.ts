import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchWriter } from '../../src-main/core/downloads/transfer/batch-writer.ts';
import { createConnectionPool } from '../../src-main/core/http/connection-pool.ts';
import { SLAB_BYTES } from '../../src-main/core/http/slab-pool.ts';
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

describe('a storage GET lends the sink views of the receive slabs, and reads into them again', () => {
  it('hands over every byte intact, and the next GET lands in the same memory', async () => {
    const url = await serveBody();
    const pool = createConnectionPool();
    const first = await fetchStorage(pool, url);
    const second = await fetchStorage(pool, url);
    pool.close();
    for (const run of [first, second]) {
      expect(run.error).toBeUndefined();
      expect(run.received).toBe(body.length);
      // What the sink copied while it held the views is the file, byte for byte.
      expect(Buffer.concat(run.written).equals(body)).toBe(true);
    }
    // Views of 1 MiB slabs, not a buffer per socket read: 4 MiB came through a handful of them.
    const slabsOf = (lent: Buffer[]) => new Set(lent.map((view) => view.buffer));
    for (const slab of slabsOf(first.lent)) expect(slab.byteLength).toBe(SLAB_BYTES);
    expect(slabsOf(first.lent).size).toBeLessThanOrEqual(6);
    // The slabs the first GET's bytes were written from came back, and the second GET read into them.
    const reused = [...slabsOf(second.lent)].filter((slab) => slabsOf(first.lent).has(slab));
    expect(reused.length).toBeGreaterThan(0);
  });
});

describe('the batch writer', () => {
  it('gives back the views of a write once it succeeded, and none of a failed one (its bytes are not on disk)', async () => {
    const given: Buffer[][] = [];
    const good = new BatchWriter(
      async () => undefined,
      0,
      (chunks) => given.push([...chunks]),
    );
    const chunk = Buffer.alloc(65536, 1);
    good.add(chunk);
    await good.drain();
    expect(given).toEqual([[chunk]]);

    given.length = 0;
    const failing = new BatchWriter(
      async () => {
        throw new Error('disk full');
      },
      0,
      (chunks) => given.push([...chunks]),
    );
    failing.add(chunk);
    await expect(failing.drain()).rejects.toThrow('disk full');
    expect(given).toEqual([]);
  });
});
