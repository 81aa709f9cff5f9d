import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobStore } from '../../src-main/core/store/job-store.ts';
import { type Harness, md5OfFile, startHarness, waitFor } from './engine-harness.ts';

const MiB = 1024 * 1024;

/** Large files in parallel ranged segments, each resumable on its own. */
describe('segmented downloads', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ settings: { segments: 4, minSegmentSize: MiB } });
  });
  afterEach(async () => {
    expect(h.portal.authorizationSentToStorage()).toBe(false);
    await h.reset();
  });
  afterAll(async () => {
    await h?.close();
  });

  const ranges = () =>
    h.portal
      .storageRequests()
      .map((r) => r.range)
      .sort();

  it('fetches a multi-MB file in four ranges and verifies the whole', async () => {
    const file = h.portal.file('TSTFIDJ0WROH');
    const [job] = await h.download([file.accession]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified', bytesDone: file.size });
    expect(await md5OfFile(job?.path as string)).toBe(file.md5);
    const q = file.size / 4;
    expect(ranges()).toEqual(
      [0, 1, 2, 3].map((i) => `bytes=${Math.floor(i * q)}-${Math.floor((i + 1) * q) - 1}`).sort(),
    );
    expect(h.portal.storageRequests().every((r) => r.status === 206)).toBe(true);
    expect(h.portal.bytesServed(file.fileName)).toBe(file.size);
  });

  it('resumes only the segment whose connection dropped', async () => {
    const file = h.portal.addFile({ size: 6 * MiB + 123, drsShape: 'current' });
    h.portal.setFaults(file.accession, { dropAfterBytes: 300_000, dropTimes: 1 });
    const [job] = await h.download([file.accession]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified' });
    expect(await md5OfFile(job?.path as string)).toBe(file.md5);
    const requests = h.portal.storageRequests();
    expect(requests).toHaveLength(5);
    expect(requests.filter((r) => r.bytesSent < 300_001)).toHaveLength(1);
    expect(h.portal.bytesServed(file.fileName)).toBeLessThan(1.1 * file.size);
    expect(job?.attempts.map((a) => a.error?.code)).toEqual(['network']);
  });

  it('falls back to one stream when storage ignores ranges', async () => {
    const file = h.portal.addFile({ size: 5 * MiB, drsShape: 'legacy' });
    h.portal.setFaults(file.accession, { ignoreRange: true });
    const [job] = await h.download([file.accession]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified' });
    expect(await md5OfFile(job?.path as string)).toBe(file.md5);
    expect(job?.attempts.some((a) => a.action?.includes('downloading in one piece'))).toBe(true);
    // The last request asked for the whole file, without Range.
    const last = h.portal.storageRequests().at(-1);
    expect(last?.status).toBe(200);
    expect(last?.range).toBeUndefined();
  });

  // Four connections; every piece a connection opens first stalls after 1 MiB, so the engine is closed with
  // each of those part-way (and, where there are more pieces than connections, the later ones untouched).
  it.each([
    {
      name: 'resumes every segment after a restart, re-fetching little',
      size: 8 * MiB,
      done: [MiB, MiB, MiB, MiB],
    },
    {
      name: 'takes more pieces than connections in file order and resumes them after a restart',
      size: 48 * MiB + 7,
      done: [MiB, MiB, MiB, MiB, 0, 0],
    },
  ])('$name', async ({ size, done }) => {
    const file = h.portal.addFile({ size, drsShape: 'current' });
    h.portal.setFaults(file.accession, { stallAfterBytes: MiB, stallTimes: 4 });
    await h.engine.close();
    await h.store.close();
    await h.reopen({ stallTimeoutMs: 20_000 });
    const [id] = h.add([file.accession]);
    await waitFor(() => (h.engine.job(id as string)?.bytesDone ?? 0) >= 4 * MiB);
    await h.engine.close();
    await h.store.close();
    const peek = await JobStore.open({ dataDir: h.dataDir });
    const segments = peek.get(id as string)?.transfer?.segments ?? [];
    expect(segments.map((s) => s.done)).toEqual(done);
    expect(peek.get(id as string)?.job.state).toBe('downloading');
    await peek.close();
    h.portal.clearFaults();
    h.portal.resetStats();
    await h.reopen();
    await h.engine.whenIdle();
    const job = h.engine.job(id as string);
    expect(job).toMatchObject({ state: 'done', verification: 'verified' });
    expect(await md5OfFile(job?.path as string)).toBe(file.md5);
    expect(h.portal.bytesServed(file.fileName)).toBe(file.size - 4 * MiB);
    expect(ranges()).toEqual(segments.map((s) => `bytes=${s.start + s.done}-${s.end - 1}`).sort());
  });

  it('meets an expired link once for all its connections: one fresh link, one failure counted', async () => {
    // Six pieces of 8 MiB, four connections, 1 s a piece: the links live 700 ms, so the link the job started
    // with has expired when two connections ask for the fifth and sixth pieces (and the fresh one has not).
    const file = h.portal.addFile({ size: 48 * MiB + 7, drsShape: 'legacy', openData: false });
    h.portal.setFaults(file.accession, { throughputBytesPerSec: 8 * MiB, urlLifetimeMs: 700 });
    const [job] = await h.download([file.accession]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified' });
    expect(await md5OfFile(job?.path as string)).toBe(file.md5);
    expect(job?.attempts.map((a) => a.error?.code)).toEqual(['url-expired']);
    // At least one request met the expired link (two, unless the second connection asked after the fresh one
    // came); either way one failure is counted.
    const refused = h.portal.storageRequests().filter((r) => r.status === 403);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeLessThanOrEqual(2);
    expect(h.portal.bytesServed(file.fileName)).toBe(file.size);
  });
});
