import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createQueueHandlers, type QueueHandlers } from '../../src-main/core/handlers/queue.ts';
import { checkedHandlers } from '../support/contract-check.ts';
import { type Harness, md5OfFile, startHarness, waitFor } from './engine-harness.ts';

/** The queue:* channels over the real engine: what the UI and the web host call. */
describe('queue handlers', () => {
  let h: Harness;
  let q: QueueHandlers;
  beforeAll(async () => {
    h = await startHarness();
    q = checkedHandlers(createQueueHandlers({ engine: h.engine, settings: { get: () => h.settings } }));
  });
  afterEach(async () => {
    expect(h.portal.authorizationSentToStorage()).toBe(false);
    await h.reset();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('adds ids, reporting bad lines with their line numbers and what was already queued', async () => {
    const result = await q['queue:add']({
      items: [
        'TSTFI3K45PP3',
        '',
        'not an id',
        `${h.portal.portalUrl}/files-processed/TSTFI3K45PP3/`,
        'TSTFIST62QVI',
      ],
    });
    expect(result).toMatchObject({ added: 2, alreadyQueued: 1 });
    expect(result.jobIds).toHaveLength(2);
    expect(result.rejected).toEqual([{ line: 3, text: 'not an id', reason: expect.any(String) }]);
    await h.engine.whenIdle();
    const { jobs, totals } = await q['queue:snapshot']({});
    expect(totals.done).toBe(2);
    expect(jobs.every((j) => j.destDir === h.downloadDir)).toBe(true);
  });

  it('adds a portal metadata TSV, using its md5s, with unavailable rows reported', async () => {
    const accessions = ['TSTFI9I1V0TK', 'TSTFIEJJHOK1', 'TSTFILCGC6AW'];
    const text = h.portal.metadataTsv(accessions);
    const result = await q['queue:add']({
      text,
      fileName: 'metadata_2026-11-20.tsv',
      destDir: join(h.root, 'tsv'),
    });
    // The pairs file, its px2 extra file and the fastq; the not-yet-uploaded file is a commented row.
    expect(result.added).toBe(3);
    expect(result.rejected.map((r) => r.text).join('\n')).toContain('TSTFILCGC6AW');
    await h.engine.whenIdle();
    const { jobs } = await q['queue:snapshot']({});
    expect(jobs.map((j) => [j.state, j.verification])).toEqual(Array(3).fill(['done', 'verified']));
    for (const job of jobs) expect(job.path?.startsWith(join(h.root, 'tsv'))).toBe(true);
    const extra = h.portal.file('TSTFI9I1V0TK').extraFiles[0];
    expect(await md5OfFile(join(h.root, 'tsv', extra?.fileName as string))).toBe(extra?.md5);
  });

  it('runs the bulk commands and says how many jobs each affected', async () => {
    h.portal.setFaults('TSTFIEFPL589', { stallAfterBytes: 10_000 });
    h.portal.setFaults('TSTFI0KQKO49', { stallAfterBytes: 10_000 });
    const { jobIds } = await q['queue:add']({ items: ['TSTFIEFPL589', 'TSTFI0KQKO49', 'TSTFIZZZZZZZ'] });
    const [a, b, missing] = jobIds as [string, string, string];
    await waitFor(() => h.engine.job(missing)?.state === 'failed');
    expect(await q['queue:pause']({ ids: [a, b, missing] })).toEqual({ affected: 2 });
    expect(await q['queue:reorder']({ ids: [b], before: a })).toEqual({ ok: true });
    expect((await q['queue:snapshot']({})).jobs.map((j) => j.id)).toEqual([b, a, missing]);
    expect(await q['queue:move-to-top']({ ids: [missing] })).toEqual({ affected: 1 });
    expect((await q['queue:snapshot']({})).jobs.map((j) => j.id)).toEqual([missing, b, a]);
    expect(await q['queue:cancel']({ ids: [b] })).toEqual({ affected: 1 });
    expect(await q['queue:retry-failed']({})).toEqual({ affected: 1 });
    await h.engine.whenIdle();
    h.portal.clearFaults();
    expect(await q['queue:resume-all']({})).toEqual({ affected: 1 });
    expect(await q['queue:retry']({ ids: [b] })).toEqual({ affected: 1 });
    await h.engine.whenIdle();
    expect(h.engine.job(a)?.state).toBe('done');
    expect(h.engine.job(b)?.state).toBe('done');
    expect(await q['queue:pause-all']({})).toEqual({ affected: 0 });

    const target = await q['queue:open-target']({ id: a });
    expect(target).toEqual({
      path: join(h.downloadDir, 'TSTFIEFPL589.bam'),
      folder: h.downloadDir,
      exists: true,
    });
    expect(await q['queue:remove']({ ids: [a, b, missing], deleteFiles: true })).toEqual({ affected: 3 });
    await expect(q['queue:open-target']({ id: a })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('looks files up: verified on disk, on disk but changed, queued, failed, or nothing', async () => {
    const done = h.portal.file('TSTFI3K45PP3');
    const waiting = h.portal.file('TSTFIEFPL589');
    await q['queue:add']({ items: [done.accession] });
    await h.engine.whenIdle();
    h.portal.setFaults(waiting.accession, { stallAfterBytes: 10_000 });
    await q['queue:add']({ items: [waiting.accession, 'TSTFIZZZZZZZ'] });
    await waitFor(() => h.engine.snapshot().jobs.some((j) => j.state === 'failed'));
    const host = new URL(h.portal.portalUrl).host;
    const look = async () =>
      (
        await q['queue:lookup']({
          files: [
            { id: done.accession },
            { id: `drs://${host}/${done.accession}` },
            { id: 'not an id', name: waiting.fileName },
            { id: 'TSTFIZZZZZZZ' },
            { id: 'TSTFI9I1V0TK' },
          ],
        })
      ).marks.map((m) => [m.mark, m.path ?? null]);
    const path = join(h.downloadDir, done.fileName);
    expect(await look()).toEqual([
      ['verified', path],
      ['verified', path],
      ['queued', null],
      ['failed', null],
      [null, null],
    ]);
    // Changed after it was checked: still there, no longer what was verified. Deleted: nothing to mark.
    await appendFile(path, 'x');
    expect((await look())[0]).toEqual(['downloaded', path]);
    await rm(path);
    expect((await look())[0]).toEqual([null, null]);
  });
});
