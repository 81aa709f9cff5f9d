import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import {
  fileWhere,
  jsonOf,
  presignedFile,
  rawGet,
  storageLocation,
} from '../../sample-portal/test-helpers.ts';
import { waitUntil } from '../support/child-process.ts';

let portal: SamplePortal;
beforeAll(async () => {
  portal = await startSamplePortal();
});
afterAll(() => portal.close());
afterEach(() => {
  portal.clearFaults();
  portal.resetStats();
});

/** A released file of at least 1 MB behind presigned URLs. */
const target = () => fileWhere(portal, (f) => f.status === 'released' && !f.openData && f.size > 1_000_000);

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  expect(condition()).toBe(true);
}

describe('sample portal: storage fault knobs', () => {
  it('dropAfterBytes cuts each long enough response after N bytes, dropTimes times', async () => {
    const file = target();
    portal.setFaults(file.accession, { dropAfterBytes: 1000, dropTimes: 2 });
    const short = await rawGet(await storageLocation(portal, file), { range: 'bytes=0-499' });
    expect(short.status).toBe(206);
    expect(short.error).toBeUndefined();
    for (let i = 0; i < 2; i++) {
      const cut = await rawGet(await storageLocation(portal, file));
      expect(cut.status).toBe(200);
      expect(cut.error).toMatchObject({ message: 'aborted' }); // node:http's error for a body cut short
      expect(cut.body.equals(portal.readBytes(file.fileName, 0, 1000))).toBe(true);
    }
    const whole = await rawGet(await storageLocation(portal, file));
    expect(whole.error).toBeUndefined();
    expect(whole.body.length).toBe(file.size);
    expect(portal.bytesServed(file.fileName)).toBe(500 + 2000 + file.size);
  });

  it('dropAfterBytes applies to the body of a ranged response', async () => {
    const file = target();
    portal.setFaults(file.accession, { dropAfterBytes: 10 });
    const cut = await rawGet(await storageLocation(portal, file), { range: 'bytes=5000-' });
    expect(cut.status).toBe(206);
    expect(cut.error).toMatchObject({ message: 'aborted' }); // node:http's error for a body cut short
    expect(cut.body.equals(portal.readBytes(file.fileName, 5000, 5010))).toBe(true);
  });

  it('stallAfterBytes without stallMs stops sending until the client gives up', async () => {
    const file = target();
    portal.setFaults(file.accession, { stallAfterBytes: 2048 });
    let seen = 0;
    let abort: (() => void) | undefined;
    const pending = rawGet(await storageLocation(portal, file), {}, (received, stop) => {
      seen = received;
      abort = stop;
    });
    await until(() => seen >= 2048);
    // Meanwhile the same storage server answers a whole other request: the silence is this response's stall,
    // not a server too busy to send.
    const other = fileWhere(portal, (f) => f.status === 'released' && f.accession !== file.accession);
    const meanwhile = await rawGet(await storageLocation(portal, other), { range: 'bytes=0-1023' });
    expect(meanwhile.body.equals(portal.readBytes(other.fileName, 0, 1024))).toBe(true);
    expect(seen).toBe(2048);
    expect(portal.bytesServed(file.fileName)).toBe(2048);
    abort?.();
    const result = await pending;
    expect(result.error).toMatchObject({ message: 'aborted' }); // node:http's error for a body cut short
    const next = await rawGet(await storageLocation(portal, file));
    expect(next.body.length).toBe(file.size);
  });

  it('stallAfterBytes with stallMs pauses, then finishes the body intact', async () => {
    const file = target();
    portal.setFaults(file.accession, { stallAfterBytes: 4096, stallMs: 150, stallTimes: 1 });
    const result = await rawGet(await storageLocation(portal, file));
    expect(result.error).toBeUndefined();
    expect(result.body.equals(portal.readBytes(file.fileName))).toBe(true);
  });

  it('storageStatus answers the next N GETs with that status, XML and Retry-After', async () => {
    const file = target();
    portal.setFaults(file.accession, { storageStatus: { status: 503, retryAfter: 5, times: 2 } });
    for (let i = 0; i < 2; i++) {
      const failed = await rawGet(await storageLocation(portal, file));
      expect(failed.status).toBe(503);
      expect(failed.headers['retry-after']).toBe('5');
      expect(failed.body.toString()).toContain('<Code>SlowDown</Code>');
    }
    expect((await rawGet(await storageLocation(portal, file))).status).toBe(200);
    const statuses = portal.storageRequests().map((entry) => entry.status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('faults of a file also apply to its extra files', async () => {
    const parent = fileWhere(portal, (f) => f.extraFiles.length > 0);
    const extra = parent.extraFiles[0] as (typeof parent.extraFiles)[number];
    portal.setFaults(parent.accession, { storageStatus: { status: 500, times: 1 } });
    const failed = await rawGet(await storageLocation(portal, parent, extra.fileName));
    expect(failed.status).toBe(500);
    expect(failed.body.toString()).toContain('<Code>InternalError</Code>');
  });

  it('ignoreRange answers 200 with the whole body to a ranged GET', async () => {
    const file = target();
    portal.setFaults(file.accession, { ignoreRange: true });
    const result = await rawGet(await storageLocation(portal, file), { range: 'bytes=100-199' });
    expect(result.status).toBe(200);
    expect(result.headers['content-range']).toBeUndefined();
    expect(result.body.length).toBe(file.size);
  });

  it('wrongContentRange answers a 206 that starts elsewhere than asked', async () => {
    const file = target();
    portal.setFaults(file.accession, { wrongContentRange: true });
    const result = await rawGet(await storageLocation(portal, file), { range: 'bytes=100-199' });
    expect(result.status).toBe(206);
    const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(result.headers['content-range']));
    const start = Number(match?.[1]);
    expect(start).not.toBe(100);
    expect(Number(match?.[3])).toBe(file.size);
    expect(result.body.equals(portal.readBytes(file.fileName, start, Number(match?.[2]) + 1))).toBe(true);
  });

  it('flipByteOnce corrupts one byte in the next response covering it, once', async () => {
    const file = target();
    portal.setFaults(file.accession, { flipByteOnce: 700_000 });
    const before = await rawGet(await storageLocation(portal, file), { range: 'bytes=0-999' });
    expect(before.body.equals(portal.readBytes(file.fileName, 0, 1000))).toBe(true);
    const flipped = await rawGet(await storageLocation(portal, file));
    const expected = portal.readBytes(file.fileName);
    expect(flipped.body.length).toBe(expected.length);
    const differences: number[] = [];
    for (let i = 0; i < expected.length; i++) if (flipped.body[i] !== expected[i]) differences.push(i);
    expect(differences).toEqual([700_000]);
    expect(flipped.body[700_000]).toBe((expected[700_000] as number) ^ 0xff);
    const after = await rawGet(await storageLocation(portal, file));
    expect(after.body.equals(expected)).toBe(true);
  });

  it('gzipEncoding labels the stored bytes Content-Encoding: gzip without compressing them', async () => {
    const file = target();
    portal.setFaults(file.accession, { gzipEncoding: true });
    const result = await rawGet(await storageLocation(portal, file), { 'accept-encoding': 'identity' });
    expect(result.headers['content-encoding']).toBe('gzip');
    expect(result.body.equals(portal.readBytes(file.fileName))).toBe(true);
  });

  it('chunked sends Transfer-Encoding: chunked and no Content-Length', async () => {
    const file = target();
    portal.setFaults(file.accession, { chunked: true });
    const result = await rawGet(await storageLocation(portal, file), { range: 'bytes=10-' });
    expect(result.status).toBe(206);
    expect(result.headers['transfer-encoding']).toBe('chunked');
    expect(result.headers['content-length']).toBeUndefined();
    expect(result.body.equals(portal.readBytes(file.fileName, 10))).toBe(true);
  });

  it('urlLifetimeMs makes a working URL expire later', async () => {
    const file = presignedFile(portal);
    portal.setFaults(file.accession, { urlLifetimeMs: 1000 });
    const url = await storageLocation(portal, file);
    const expires = Number(new URL(url).searchParams.get('Expires'));
    const fresh = await rawGet(url, { range: 'bytes=0-0' });
    expect(fresh.status).toBe(206);
    // Asked again and again: served while the URL lives (asked before Expires), refused once it is dead
    // (answered at Expires or later).
    let expired = fresh;
    await waitUntil(
      async () => {
        const sent = Date.now();
        expired = await rawGet(url, { range: 'bytes=0-0' });
        if (expired.status === 206) expect(sent).toBeLessThan(expires);
        return expired.status !== 206;
      },
      10_000,
      () => 'the URL never expired',
    );
    expect(Date.now()).toBeGreaterThanOrEqual(expires);
    expect(expired.status).toBe(403);
    expect(expired.body.toString()).toContain('Request has expired');
  });

  it('throughputBytesPerSec caps what one connection gets', async () => {
    const file = target();
    const rate = 100 * 1024;
    portal.setFaults(file.accession, { throughputBytesPerSec: rate });
    const started = Date.now();
    let abort: (() => void) | undefined;
    const pending = rawGet(await storageLocation(portal, file), {}, (_received, stop) => {
      abort = stop;
    });
    // A quarter of a second's worth at the cap, however long the machine takes to get there.
    await until(() => abort !== undefined && portal.bytesServed(file.fileName) >= rate / 4);
    const served = portal.bytesServed(file.fileName);
    const elapsed = (Date.now() - started) / 1000;
    abort?.();
    await pending;
    expect(served).toBeGreaterThanOrEqual(rate / 4);
    expect(served).toBeLessThanOrEqual(rate * elapsed + rate / 20);
    expect(served).toBeLessThan(file.size);
  });
});

describe('sample portal: the admin endpoints', () => {
  const post = (path: string, body: unknown) =>
    fetch(`${portal.portalUrl}/__admin/${path}`, { method: 'POST', body: JSON.stringify(body) });

  it('sets faults, adds files, reports stats and resets', async () => {
    const file = target();
    const set = await post('faults', {
      accession: file.accession,
      faults: { storageStatus: { status: 502, times: 1 } },
    });
    expect(set.status).toBe(200);
    expect((await rawGet(await storageLocation(portal, file))).status).toBe(502);
    const stats = await jsonOf(await fetch(`${portal.portalUrl}/__admin/stats`));
    expect(stats.storageRequests).toEqual([
      expect.objectContaining({ fileName: file.fileName, status: 502 }),
    ]);
    expect(stats.authorizationSentToStorage).toBe(false);
    portal.setFaults(file.accession, { storageStatus: { status: 500, times: 5 } });
    expect((await post('reset', {})).status).toBe(200);
    expect(portal.storageRequests()).toEqual([]);
    expect((await rawGet(await storageLocation(portal, file), { range: 'bytes=0-0' })).status).toBe(206);
    const added = await jsonOf(await post('files', { size: 3000, format: 'bw' }));
    expect(portal.file(added.accession as string).md5).toBe(added.md5);
  });

  it('rejects unknown accessions, unknown knobs and bad values', async () => {
    const file = target();
    expect((await post('faults', { accession: 'TSTFIZZZZZZZ', faults: {} })).status).toBe(404);
    expect((await post('faults', { accession: file.accession, faults: { explode: true } })).status).toBe(400);
    expect((await post('faults', { accession: file.accession, faults: { dropAfterBytes: -1 } })).status).toBe(
      400,
    );
    expect((await fetch(`${portal.portalUrl}/__admin/faults`)).status).toBe(405);
  });
});
