import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src-shared/ipc/contract.ts';
import { type Harness, md5OfFile, partSize, startHarness, waitFor } from './engine-harness.ts';

/** Queue commands on live downloads: pause, resume, cancel, retry, remove, reorder, in bulk. */
describe('queue commands', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ settings: { segments: 1, concurrency: 2 }, engine: { stallTimeoutMs: 2000 } });
  });
  afterEach(async () => {
    expect(h.portal.authorizationSentToStorage()).toBe(false);
    await h.reset();
  });
  afterAll(async () => {
    await h?.close();
  });

  const partOf = (name: string) => partSize(h.downloadDir, name);
  /** The blocker then three small files, in that order: the ids of the four jobs. */
  const queueBehind = (blocker: string) =>
    h.add([blocker, 'TSTFIST62QVI', 'TSTFI3K45PP3', 'TSTFILQPDYXY']) as string[];

  it('pauses keeping the bytes, and resumes where it stopped', async () => {
    const file = h.portal.file('TSTFIEFPL589');
    h.portal.setFaults(file.accession, { stallAfterBytes: 1_000_000 });
    const [id] = h.add([file.accession]) as [string];
    await waitFor(async () => (await partOf(file.fileName)) >= 1_000_000);
    expect(h.engine.pause([id, 'no-such-id'])).toBe(1);
    expect(h.engine.job(id)?.state).toBe('paused');
    await h.engine.whenIdle();
    expect(await partOf(file.fileName)).toBe(1_000_000);
    h.portal.resetStats();
    expect(h.engine.resume([id])).toBe(1);
    await h.engine.whenIdle();
    expect(h.engine.job(id)).toMatchObject({ state: 'done', verification: 'verified' });
    expect(h.portal.storageRequests().map((r) => r.range)).toEqual(['bytes=1000000-']);
  });

  it('cancels deleting the partial file; retry starts it again', async () => {
    const file = h.portal.file('TSTFI0KQKO49');
    h.portal.setFaults(file.accession, { stallAfterBytes: 500_000 });
    const [id] = h.add([file.accession]) as [string];
    await waitFor(async () => (await partOf(file.fileName)) >= 500_000);
    expect(await h.engine.cancel([id])).toBe(1);
    expect(h.engine.job(id)).toMatchObject({ state: 'canceled', bytesDone: 0 });
    expect(existsSync(join(h.downloadDir, `${file.fileName}.part`))).toBe(false);
    expect(await h.engine.cancel([id])).toBe(0);
    h.portal.clearFaults();
    expect(h.engine.retry([id])).toBe(1);
    await h.engine.whenIdle();
    expect(h.engine.job(id)).toMatchObject({ state: 'done', verification: 'verified' });
    expect(await md5OfFile(join(h.downloadDir, file.fileName))).toBe(file.md5);
  });

  it('pauses and resumes everything, and retries all failed jobs', async () => {
    const accessions = ['TSTFIEJJHOK1', 'TSTFI9I1V0TK', 'TSTFI3K45PP3', 'TSTFIST62QVI'];
    for (const a of accessions.slice(0, 2)) h.portal.setFaults(a, { stallAfterBytes: 100_000 });
    const ids = h.add(accessions);
    await waitFor(() => ids.slice(0, 2).every((id) => (h.engine.job(id)?.bytesDone ?? 0) >= 100_000));
    expect(h.engine.pauseAll()).toBe(4);
    expect(h.engine.snapshot().totals).toMatchObject({ paused: 4, active: 0, queued: 0 });
    h.portal.clearFaults();
    expect(h.engine.resumeAll()).toBe(4);
    await h.engine.whenIdle();
    expect(h.engine.snapshot().jobs.map((j) => j.verification)).toEqual(Array(4).fill('verified'));

    const failing = h.add(['TSTFIZZZZZZZ', 'TSTFIYYYYYYY']);
    await h.engine.whenIdle();
    expect(failing.map((id) => h.engine.job(id)?.state)).toEqual(['failed', 'failed']);
    expect(h.engine.retryFailed()).toBe(2);
    await h.engine.whenIdle();
    expect(h.engine.snapshot().totals).toMatchObject({ jobs: 6, done: 4, failed: 2 });
  });

  it('runs jobs in queue order, and reorder changes what runs next', async () => {
    const blocker = h.portal.file('TSTFIEFPL589');
    const finished: string[] = [];
    const off = h.events.on('queue:changed', (e) => {
      for (const job of e.jobs) if (job.state === 'done') finished.push(job.source);
    });
    h.settings.concurrency = 1;
    try {
      const [first, b, c, d] = queueBehind(blocker.accession);
      expect(h.engine.reorder([d as string, c as string], b as string)).toBe(true);
      expect(h.engine.reorder([b as string], b as string)).toBe(false);
      expect(h.engine.snapshot().jobs.map((j) => j.id)).toEqual([first, d, c, b]);
      await h.engine.whenIdle();
      // The last "done" reaches listeners with the next batch of queue events.
      await waitFor(() => finished.length === 4);
      expect(finished).toEqual([blocker.accession, 'TSTFILQPDYXY', 'TSTFI3K45PP3', 'TSTFIST62QVI']);
    } finally {
      off();
      h.settings.concurrency = 2;
    }
  });

  it('moves a queued file to the top: it starts next, its new place is announced and kept', async () => {
    const blocker = h.portal.file('TSTFIEFPL589');
    h.portal.setFaults(blocker.accession, { stallAfterBytes: 200_000 });
    const started: string[] = [];
    const announced: Array<{ id: string; order: number | undefined }> = [];
    const off = h.events.on('queue:changed', (e) => {
      for (const job of e.jobs) {
        if (job.state !== 'queued' && !started.includes(job.source)) started.push(job.source);
        announced.push({ id: job.id, order: job.order });
      }
    });
    h.settings.concurrency = 1;
    try {
      const [first, b, c, d] = queueBehind(blocker.accession);
      await waitFor(async () => (await partOf(blocker.fileName)) >= 200_000);
      announced.length = 0;
      expect(h.engine.moveToTop([d as string, 'no-such-id'])).toBe(1);
      const orders = h.engine.snapshot().jobs.map((j) => [j.id, j.order]);
      expect(orders.map(([id]) => id)).toEqual([d, first, b, c]);
      expect(h.engine.job(d as string)?.order).toBeLessThan(h.engine.job(first as string)?.order as number);
      // Only the moved job changed place, so only it is announced, with its new position.
      await waitFor(() => announced.length > 0);
      expect(announced).toEqual([{ id: d, order: h.engine.job(d as string)?.order }]);
      h.portal.clearFaults();
      await h.engine.whenIdle();
      expect(started).toEqual([blocker.accession, 'TSTFILQPDYXY', 'TSTFIST62QVI', 'TSTFI3K45PP3']);
      await h.engine.close();
      await h.store.close();
      const reopened = await h.reopen();
      expect(reopened.snapshot().jobs.map((j) => j.id)).toEqual([d, first, b, c]);
    } finally {
      off();
      h.settings.concurrency = 2;
    }
  });

  it('removes jobs, deleting the downloaded file only when asked', async () => {
    const [keep, drop] = await h.download(['TSTFI3K45PP3', 'TSTFIST62QVI']);
    const removed: EventPayload<'queue:changed'>[] = [];
    const off = h.events.on('queue:changed', (e) => removed.push(e));
    expect(await h.engine.remove([keep?.id as string])).toBe(1);
    expect(await h.engine.remove([drop?.id as string], { deleteFiles: true })).toBe(1);
    await waitFor(() => removed.flatMap((e) => e.removed).length === 2);
    off();
    expect(existsSync(keep?.path as string)).toBe(true);
    expect(existsSync(drop?.path as string)).toBe(false);
    expect(h.engine.snapshot().jobs).toEqual([]);
    expect(removed.flatMap((e) => e.removed).sort()).toEqual([keep?.id, drop?.id].sort());
    const reopened = (await import('../../src-main/core/store/job-store.ts')).JobStore;
    // One process per journal: the queue is closed before it is read back.
    await h.engine.close();
    await h.store.close();
    const peek = await reopened.open({ dataDir: h.dataDir, fileName: 'queue.jsonl' });
    expect(peek.size).toBe(0);
    await peek.close();
    await h.reopen();
  });

  it('removes an unfinished job keeping its partial file when asked, deleting it otherwise', async () => {
    const kept = h.portal.file('TSTFIEFPL589');
    const dropped = h.portal.file('TSTFI0KQKO49');
    for (const file of [kept, dropped]) h.portal.setFaults(file.accession, { stallAfterBytes: 300_000 });
    const [keepId, dropId] = h.add([kept.accession, dropped.accession]) as [string, string];
    await waitFor(
      async () => (await partOf(kept.fileName)) >= 300_000 && (await partOf(dropped.fileName)) >= 300_000,
    );
    expect(await h.engine.remove([keepId], { keepPartial: true })).toBe(1);
    expect(await h.engine.remove([dropId])).toBe(1);
    expect(await partOf(kept.fileName)).toBe(300_000);
    expect(existsSync(join(h.downloadDir, `${dropped.fileName}.part`))).toBe(false);
    // Added again, the kept bytes are resumed, not fetched twice.
    h.portal.clearFaults();
    h.portal.resetStats();
    await h.download([kept.accession]);
    expect(h.portal.storageRequests().map((r) => r.range)).toEqual(['bytes=300000-']);
    expect(await md5OfFile(join(h.downloadDir, kept.fileName))).toBe(kept.md5);
  });

  it('reports progress a few times a second with speed and totals', async () => {
    const file = h.portal.file('TSTFIEFPL589');
    h.portal.setFaults(file.accession, { stallAfterBytes: 1_000_000 });
    const events: EventPayload<'queue:progress'>[] = [];
    const off = h.events.on('queue:progress', (e) => events.push(e));
    await h.download([file.accession]);
    off();
    const mine = events.flatMap((e) => e.jobs).filter((j) => j.size === file.size);
    expect(mine.some((j) => j.state === 'downloading' && j.bytesDone >= 1_000_000)).toBe(true);
    expect(mine.some((j) => j.speed > 0)).toBe(true);
    // Coalesced: a 2 s stall at 4 updates a second is a handful of events, not one per chunk.
    expect(events.length).toBeLessThan(30);
    expect(events.at(-1)?.totals.jobs).toBe(1);
  });
});
