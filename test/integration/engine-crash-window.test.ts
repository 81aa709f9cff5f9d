import { readdir, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadSourceLike } from '../../src-main/core/downloads/job/source.ts';
import { type Harness, startHarness } from './engine-harness.ts';

/**
 * A crash between the rename to the final name and the journal saying "done": the next start finds the job
 * still running, no .part, and the file under its name. It must end done, not download a duplicate "(1)".
 */
describe('a crash after the rename, before the journal recorded it', () => {
  let h: Harness;
  let withoutChecksums = false;
  beforeAll(async () => {
    // A source that can drop the checksums, as some DRS servers give none.
    const source: DownloadSourceLike = {
      target: async (input, options) => {
        const target = await h.source.target(input, options);
        return withoutChecksums ? { ...target, checksums: [] } : target;
      },
      freshUrl: (target, options) => h.source.freshUrl(target, options),
    };
    h = await startHarness({ engine: { sourceFor: async () => source } });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function crashAfterRename(accession: string) {
    const [job] = await h.download([accession]);
    expect(job).toMatchObject({ state: 'done' });
    const id = job?.id as string;
    // The journal as it was just before "done" was written: the job still downloading, its name fixed.
    await h.engine.close();
    const record = h.store.get(id);
    if (!record) throw new Error('job not in the store');
    h.store.put({ ...record, job: { ...record.job, state: 'downloading', verification: 'pending' } });
    await h.store.close();
    h.portal.resetStats();
    const engine = await h.reopen();
    await engine.whenIdle();
    return { before: job, after: engine.job(id) };
  }

  it('ends a checksummed file done and verified, without fetching it again', async () => {
    withoutChecksums = false;
    const file = h.portal.addFile({ size: 200_000 });
    const { before, after } = await crashAfterRename(file.accession);
    expect(after).toMatchObject({ state: 'done', verification: 'verified', path: before?.path });
    expect(h.portal.bytesServed(file.fileName)).toBe(0);
    await h.reset();
  });

  it('ends a file without checksums done (unverified) by its size, with no duplicate beside it', async () => {
    withoutChecksums = true;
    const file = h.portal.addFile({ size: 200_000 });
    const { before, after } = await crashAfterRename(file.accession);
    expect(after).toMatchObject({ state: 'done', verification: 'unverified', path: before?.path });
    expect(after?.note).toMatch(/right size/);
    expect(h.portal.bytesServed(file.fileName)).toBe(0);
    expect(await readdir(h.downloadDir)).toEqual([file.fileName]);
    expect((await stat(before?.path as string)).size).toBe(file.size);
    await h.reset();
  });
});
