import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, md5OfFile, startHarness, waitFor } from './engine-harness.ts';

const KiB = 1024;

/**
 * The bandwidth cap against the real engine and portal: a floor on how long capped downloads take (a slow
 * machine only makes them longer, so this cannot flake the other way), and a cap lifted mid-download.
 */
describe('bandwidth cap', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ settings: { segments: 1, concurrency: 4 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('holds several downloads together under one cap, and they still verify', async () => {
    h.settings.bandwidthLimit = 512 * KiB;
    try {
      const files = [h.portal.addFile({ size: 512 * KiB }), h.portal.addFile({ size: 512 * KiB })];
      const started = performance.now();
      const jobs = await h.download(files.map((f) => f.accession));
      const seconds = (performance.now() - started) / 1000;
      for (const [i, job] of jobs.entries()) {
        expect(job).toMatchObject({ state: 'done', verification: 'verified' });
        expect(await md5OfFile(job.path as string)).toBe(files[i]?.md5);
      }
      // 1 MiB at 512 KiB/s, less the quarter second of burst the bucket starts with: at least 1.75 s. Each file
      // alone would have been allowed the whole cap, so this also shows the cap is shared, not per download.
      expect(seconds).toBeGreaterThan(1.6);
    } finally {
      h.settings.bandwidthLimit = 0;
      await h.reset();
    }
  });

  it('applies a new cap at once: lifting it mid-download lets the rest come at full speed', async () => {
    h.settings.bandwidthLimit = 64 * KiB;
    try {
      const file = h.portal.addFile({ size: 2048 * KiB });
      const [id] = h.add([file.accession]);
      await waitFor(() => (h.engine.job(id as string)?.bytesDone ?? 0) > 64 * KiB);
      const lifted = performance.now();
      h.settings.bandwidthLimit = 0;
      // Capped, the remaining ~1.9 MiB would need about 30 s more; uncapped it is a blink.
      await waitFor(() => h.engine.job(id as string)?.state === 'done', 15_000);
      expect((performance.now() - lifted) / 1000).toBeLessThan(15);
      expect(h.engine.job(id as string)).toMatchObject({ verification: 'verified' });
    } finally {
      h.settings.bandwidthLimit = 0;
      await h.reset();
    }
  });
});
