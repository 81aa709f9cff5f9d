import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src-shared/ipc/contract.ts';
import { type Harness, listDir, md5OfFile, startHarness, toItem, waitFor } from './engine-harness.ts';

describe('engine against the sample portal', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    expect(h.portal.authorizationSentToStorage()).toBe(false);
    await h.reset();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('downloads every DRS shape, verified against md5, with events along the way', async () => {
    const changed: EventPayload<'queue:changed'>[] = [];
    const progress: EventPayload<'queue:progress'>[] = [];
    const batches: EventPayload<'queue:batch-done'>[] = [];
    const off = [
      h.events.on('queue:changed', (e) => changed.push(e)),
      h.events.on('queue:progress', (e) => progress.push(e)),
      h.events.on('queue:batch-done', (e) => batches.push(e)),
    ];
    // current (Open Data), legacy (@@download), access-id (/access/https) shapes.
    const files = ['TSTFIEJJHOK1', 'TSTFIEFPL589', 'TSTFI8FEHXH1'].map((a) => h.portal.file(a));
    const jobs = await h.download(files.map((f) => f.accession));
    for (const [i, job] of jobs.entries()) {
      const file = files[i] as (typeof files)[number];
      expect(job).toMatchObject({
        state: 'done',
        verification: 'verified',
        name: file.fileName,
        bytesDone: file.size,
        size: file.size,
        checksum: { type: 'md5', value: file.md5 },
      });
      expect(job.path).toBe(join(h.downloadDir, file.fileName));
      expect(await md5OfFile(job.path as string)).toBe(file.md5);
      expect(h.portal.bytesServed(file.fileName)).toBe(file.size);
    }
    expect(await listDir(h.downloadDir)).toEqual(files.map((f) => f.fileName).sort());
    // Progress is coalesced on a timer: its last report of the finished batch comes after the jobs settle.
    await waitFor(() => progress.at(-1)?.totals.active === 0 && progress.at(-1)?.totals.done === 3);
    for (const unsubscribe of off) unsubscribe();
    expect(batches).toEqual([{ done: 3, failed: 0 }]);
    const states = changed.flatMap((e) => e.jobs.map((j) => j.state));
    expect(states).toEqual(expect.arrayContaining(['resolving', 'downloading', 'verifying', 'done']));
    const last = progress.at(-1);
    expect(last?.totals).toMatchObject({ jobs: 3, done: 3, active: 0 });
    const storage = h.portal.storageRequests();
    expect(storage.every((r) => r.method === 'GET' && !r.hadAuthorization)).toBe(true);
  });

  it('skips files already present and verified, by cache or by hashing once', async () => {
    const file = h.portal.file('TSTFI3K45PP3');
    const [first] = await h.download([file.accession]);
    expect(first?.verification).toBe('verified');
    expect(h.store.getVerified(first?.path as string)).toMatchObject({
      size: file.size,
      checksum: { value: file.md5 },
    });
    await h.engine.remove([first?.id as string]);
    h.portal.resetStats();

    const [again] = await h.download([file.accession]);
    expect(again).toMatchObject({ state: 'done', verification: 'skipped', path: first?.path });
    expect(again?.note).toMatch(/verified: not downloaded again/);
    expect(h.portal.bytesServed(file.fileName)).toBe(0);
    expect(h.portal.storageRequests()).toEqual([]);

    // A fresh queue (no cache entry) hashes the file once and skips it too.
    await h.engine.remove([again?.id as string]);
    h.store.removeVerified(first?.path as string);
    const [third] = await h.download([file.accession]);
    expect(third?.verification).toBe('skipped');
    expect(h.portal.bytesServed(file.fileName)).toBe(0);
    // The hash it made went into the cache, for the file as it is on disk.
    const onDisk = await stat(first?.path as string);
    expect(h.store.getVerified(first?.path as string)).toEqual({
      path: first?.path,
      size: file.size,
      mtimeMs: onDisk.mtimeMs,
      checksum: { type: 'md5', value: file.md5 },
    });
  });

  it('never overwrites a different file already under the name', async () => {
    const file = h.portal.file('TSTFIST62QVI');
    const mine = join(h.downloadDir, file.fileName);
    await writeFile(mine, 'my own notes, not the portal file');
    const [job] = await h.download([file.accession]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified' });
    expect(job?.path).toBe(join(h.downloadDir, file.fileName.replace('.bed.gz', ' (1).bed.gz')));
    expect(job?.note).toMatch(/saving as/);
    expect(await readFile(mine, 'utf8')).toBe('my own notes, not the portal file');
    expect(await md5OfFile(job?.path as string)).toBe(file.md5);
  });

  it('saves gzip-encoded objects byte for byte as stored', async () => {
    const file = h.portal.file('TSTFI0KQKO49');
    h.portal.setFaults(file.accession, { gzipEncoding: true });
    const [job] = await h.download([file.accession]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified' });
    expect((await readFile(job?.path as string)).equals(h.portal.readBytes(file.fileName))).toBe(true);
  });

  it('takes chunked bodies without a Content-Length', async () => {
    const file = h.portal.file('TSTFI9I1V0TK');
    h.portal.setFaults(file.accession, { chunked: true });
    const [job] = await h.download([file.accession]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified', bytesDone: file.size });
    expect(await md5OfFile(job?.path as string)).toBe(file.md5);
  });

  it('downloads an extra file named by its @@download URL, checked against its own md5', async () => {
    const parent = h.portal.file('TSTFI9I1V0TK');
    const extra = parent.extraFiles[0];
    if (!extra) throw new Error('sample portal lost its extra file');
    const [job] = await h.download([`${h.portal.portalUrl}${extra.href}`]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified', name: extra.fileName });
    expect(await md5OfFile(job?.path as string)).toBe(extra.md5);
  });

  it('fails restricted files, unknown ids and files not yet uploaded with a typed reason, without storage requests', async () => {
    const jobs = await h.download(['TSTFICOAB41T', 'TSTFIZZZZZZZ', 'TSTFILCGC6AW']);
    expect(jobs.map((j) => j.state)).toEqual(['failed', 'failed', 'failed']);
    expect(jobs[0]?.error?.code).toBe('restricted');
    expect(jobs[1]?.error?.code).toBe('not-found');
    expect(jobs[2]?.error).toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('uploading'),
    });
    for (const job of jobs) expect(job.error?.message.length).toBeGreaterThan(10);
    expect(h.portal.storageRequests().filter((r) => r.status < 300)).toEqual([]);
    expect(existsSync(join(h.downloadDir, 'TSTFICOAB41T.hic'))).toBe(false);
  });

  it('does not queue the same file twice for the same folder', async () => {
    const item = toItem('TSTFILQPDYXY');
    const first = h.engine.add([item, item], { destDir: h.downloadDir });
    expect(first.jobIds).toHaveLength(1);
    expect(first.alreadyQueued).toBe(1);
    const url = toItem(`${h.portal.portalUrl}/files-processed/TSTFILQPDYXY/`);
    expect(h.engine.add([url], { destDir: h.downloadDir }).alreadyQueued).toBe(1);
    expect(h.engine.add([item], { destDir: join(h.root, 'elsewhere') }).jobIds).toHaveLength(1);
    await h.engine.whenIdle();
  });
});

describe('engine with a rejected key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ secret: 'aaaaaaaaaaaaaaaa' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('fails auth-rejected with a message that says what to do, and never reaches storage', async () => {
    const [job] = await h.download(['TSTFIEFPL589']);
    expect(job?.state).toBe('failed');
    expect(job?.error?.code).toBe('auth-rejected');
    expect(job?.error?.message).not.toContain('aaaaaaaaaaaaaaaa');
    expect(h.portal.storageRequests()).toEqual([]);
    expect(h.portal.authorizationSentToStorage()).toBe(false);
  });
});
