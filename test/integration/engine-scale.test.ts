import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStore } from '../../src-main/core/store/job-store.ts';
import { type Harness, listDir, startHarness, toItem } from './engine-harness.ts';

/**
 * A 10,000-file list: 2,000 small files really downloaded 16 at a time, 8,000 more held in the queue (paused),
 * all persisted. Open file descriptors stay bounded throughout (no EMFILE however long the list).
 */
describe('a 10,000-file list', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ portal: { files: 0 }, settings: { concurrency: 16, segments: 1 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('downloads 2,000 files and keeps 8,000 more queued, without running out of file handles', async () => {
    const real = Array.from({ length: 2000 }, (_, i) =>
      h.portal.addFile({ size: 512 + (i % 97) * 13, drsShape: 'current' }),
    );
    const held = Array.from(
      { length: 8000 },
      (_, i) => `TSTFI${(1_000_000 + i).toString(36).toUpperCase().padStart(7, '0').slice(-7)}`,
    );
    let maxFds = 0;
    const sampler = setInterval(() => {
      maxFds = Math.max(maxFds, readdirSync('/proc/self/fd').length);
    }, 10);
    const { jobIds } = h.engine.add([...real.map((f) => f.accession), ...held].map(toItem), {
      destDir: h.downloadDir,
    });
    expect(jobIds).toHaveLength(10_000);
    expect(h.engine.pause(jobIds.slice(2000))).toBe(8000);
    await h.engine.whenIdle();
    clearInterval(sampler);

    const { jobs, totals } = h.engine.snapshot();
    expect(totals).toMatchObject({ jobs: 10_000, done: 2000, paused: 8000, failed: 0 });
    expect(jobs.slice(0, 2000).every((j) => j.verification === 'verified')).toBe(true);
    expect((await listDir(h.downloadDir)).length).toBe(2000);
    expect(h.portal.authorizationSentToStorage()).toBe(false);
    expect(maxFds).toBeGreaterThan(0);
    expect(maxFds).toBeLessThan(400);

    // One process per journal: the queue is closed before it is read back.
    await h.engine.close();
    await h.store.close();
    const again = await JobStore.open({ dataDir: h.dataDir });
    expect(again.size).toBe(10_000);
    expect(again.list().filter((r) => r.job.state === 'done')).toHaveLength(2000);
    await again.close();
    await h.reopen();
  }, 120_000);
});
