import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadSourceLike, SourceTarget } from '../../src-main/core/downloads/job/source.ts';
import { type Harness, listDir, md5OfFile, startHarness, waitFor } from './engine-harness.ts';

/**
 * Each storage and DRS fault the sample portal can play, one file each: the engine must end with the exact
 * stored bytes on disk (or a clear failure), re-fetching little, and never send credentials to storage.
 */
describe('engine under faults', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ settings: { segments: 1 } });
  });
  afterEach(async () => {
    expect(h.portal.authorizationSentToStorage()).toBe(false);
    await h.reset();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Where each storage request started; a drop can lose the last few KiB the socket had buffered. */
  const starts = () =>
    h.portal
      .storageRequests()
      .map((r) => [r.status, r.range === undefined ? 0 : Number(/\d+/.exec(r.range)?.[0])]);
  const near = (n: number) => expect.toSatisfy((v: number) => v <= n && v > n - 64 * 1024);

  const expectVerified = async (accession: string) => {
    const file = h.portal.file(accession);
    const [job] = await h.download([accession]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified', bytesDone: file.size });
    expect(await md5OfFile(job?.path as string)).toBe(file.md5);
    expect(existsSync(`${job?.path}.part`)).toBe(false);
    return { job: job as NonNullable<typeof job>, file };
  };

  it('resumes after dropped connections instead of starting over', async () => {
    h.portal.setFaults('TSTFIEFPL589', { dropAfterBytes: 1_000_000, dropTimes: 2 });
    const { job, file } = await expectVerified('TSTFIEFPL589');
    expect(h.portal.bytesServed(file.fileName)).toBeLessThan(1.6 * file.size);
    expect(starts()).toEqual([
      [200, 0],
      [206, near(1_000_000)],
      [206, expect.toSatisfy((v: number) => v > 1_900_000 && v <= 2_000_000)],
    ]);
    expect(job.attempts.map((a) => a.error?.code)).toEqual(['network', 'network']);
    expect(job.note).toMatch(/^Connection dropped: .*resumed at 1\.9 MiB$/);
  });

  it('resumes a stalled connection after the stall timeout', async () => {
    h.portal.setFaults('TSTFI8FEHXH1', { stallAfterBytes: 400_000, stallMs: 20_000 });
    const { job, file } = await expectVerified('TSTFI8FEHXH1');
    expect(h.portal.bytesServed(file.fileName)).toBeLessThan(1.6 * file.size);
    expect(job.attempts[0]?.error?.code).toBe('stalled');
    expect(job.note).toMatch(/Connection stalled: reconnected and resumed at 39[01]\.\d KiB/);
  });

  it('waits out 503 and 429 from storage as Retry-After says', async () => {
    h.portal.setFaults('TSTFIEJJHOK1', { storageStatus: { status: 503, retryAfter: 1, times: 2 } });
    const { job } = await expectVerified('TSTFIEJJHOK1');
    expect(h.portal.storageRequests().map((r) => r.status)).toEqual([503, 503, 200]);
    expect(job.attempts.map((a) => a.error?.code)).toEqual(['server-error', 'server-error']);
    expect(job.note).toMatch(/Server busy \(HTTP 503\): waited 1 s and started again/);

    h.portal.resetStats();
    h.portal.setFaults('TSTFI0KQKO49', { storageStatus: { status: 429, retryAfter: 1, times: 1 } });
    await expectVerified('TSTFI0KQKO49');
    expect(h.portal.storageRequests().map((r) => r.status)).toEqual([429, 200]);
  });

  it('waits out 503 from DRS and from @@download', async () => {
    h.portal.setFaults('TSTFIKBNJR5L', {
      drsStatus: { status: 503, retryAfter: 1, times: 1 },
      downloadStatus: { status: 503, retryAfter: 1, times: 1 },
    });
    await expectVerified('TSTFIKBNJR5L');
  });

  it('gets a fresh link when the storage URL expired, and resumes', async () => {
    // The second link is handed over after it died: as when a client is slow to use a short-lived URL.
    const accession = 'TSTFIEFPL589';
    h.portal.setFaults(accession, { urlLifetimeMs: 300, dropAfterBytes: 1_500_000 });
    let calls = 0;
    const slow: DownloadSourceLike = {
      target: (input) => h.source.target(input),
      freshUrl: async (target: SourceTarget) => {
        const link = await h.source.freshUrl(target);
        // Handed over only once it has expired (the sample portal's Expires is in epoch ms).
        const expires = Number(new URL(link.url).searchParams.get('Expires'));
        if (++calls === 2) await waitFor(() => Date.now() > expires);
        return link;
      },
    };
    await h.engine.close();
    await h.store.close();
    await h.reopen({ sourceFor: async () => slow });
    const { job, file } = await expectVerified(accession);
    const resumedAt = starts()[1]?.[1];
    expect(starts()).toEqual([
      [200, 0],
      [403, near(1_500_000)],
      [206, resumedAt],
    ]);
    expect(job.attempts.map((a) => a.error?.code)).toEqual(['network', 'url-expired']);
    expect(job.note).toMatch(/^Link expired: got a fresh one and resumed at 1\.4 MiB$/);
    expect(h.portal.bytesServed(file.fileName)).toBeLessThan(file.size + 64 * 1024);
    await h.engine.close();
    await h.store.close();
    await h.reopen();
  });

  it('starts the file over when storage ignores Range, never appending a whole body', async () => {
    h.portal.setFaults('TSTFIEJJHOK1', { ignoreRange: true, dropAfterBytes: 1_000_000 });
    const { job, file } = await expectVerified('TSTFIEJJHOK1');
    expect(starts()).toEqual([
      [200, 0],
      [200, near(1_000_000)],
    ]);
    expect(h.portal.bytesServed(file.fileName)).toBe(1_000_000 + file.size);
    expect(job.note).toBe('Server ignored the resume request: started the file over');
  });

  it('treats a wrong Content-Range as ranges unsupported and restarts cleanly', async () => {
    h.portal.setFaults('TSTFI0KQKO49', { wrongContentRange: true, dropAfterBytes: 1_000_000 });
    const { job } = await expectVerified('TSTFI0KQKO49');
    expect(starts()).toEqual([
      [200, 0],
      [206, near(1_000_000)],
      [200, 0],
    ]);
    expect(job.attempts.map((a) => a.error?.code)).toEqual(['network', 'range-unsupported']);
  });

  it('downloads once more after a flipped byte, and verifies the second copy', async () => {
    h.portal.setFaults('TSTFI9I1V0TK', { flipByteOnce: 123_457 });
    const { job, file } = await expectVerified('TSTFI9I1V0TK');
    expect(h.portal.bytesServed(file.fileName)).toBe(2 * file.size);
    expect(job.attempts.map((a) => a.error?.code)).toEqual(['checksum-mismatch']);
    expect(job.attempts[0]?.action).toBe('Checksum mismatch: deleted the bad copy and downloading it again');
  });

  it('fails checksum-mismatch after two wrong copies, leaving no file under the final name', async () => {
    const file = h.portal.file('TSTFIST62QVI');
    h.portal.setFaults(file.accession, { wrongMd5: true });
    const [job] = await h.download([file.accession]);
    expect(job).toMatchObject({
      state: 'failed',
      verification: 'mismatch',
      error: { code: 'checksum-mismatch' },
    });
    expect(job?.error?.message).toMatch(/both copies were wrong/);
    expect(h.portal.bytesServed(file.fileName)).toBe(2 * file.size);
    expect(await listDir(h.downloadDir)).not.toContain(file.fileName);
    expect(existsSync(join(h.downloadDir, `${file.fileName}.part`))).toBe(false);
  });

  it('gives up after repeated server errors with a retryable failure', async () => {
    h.portal.setFaults('TSTFILQPDYXY', { storageStatus: { status: 500, times: 100 } });
    const [job] = await h.download(['TSTFILQPDYXY']);
    expect(job?.state).toBe('failed');
    expect(job?.error?.code).toBe('server-error');
    expect(job?.error?.message).toMatch(/Gave up after repeated tries/);
    expect(h.portal.storageRequests()).toHaveLength(9);
    h.portal.clearFaults();
    expect(h.engine.retryFailed()).toBe(1);
    await h.engine.whenIdle();
    expect(h.engine.job(job?.id as string)).toMatchObject({ state: 'done', verification: 'verified' });
  });
});
