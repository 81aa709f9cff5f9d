import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type JobRecord, JobStore } from '../../src-main/core/store/job-store.ts';
import type { Job } from '../../src-shared/domain/job.ts';
import { waitUntil } from '../support/child-process.ts';

function record(n: number, extra: Partial<Job> = {}): JobRecord {
  const job: Job = {
    id: `job-${n}`,
    source: `TSTFI${String(n).padStart(7, '0')}`,
    destDir: '/downloads',
    name: `TSTFI${String(n).padStart(7, '0')}.pairs.gz`,
    bytesDone: 0,
    state: 'queued',
    verification: 'pending',
    attempts: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
  return { job, order: n, key: `file:${job.source}` };
}

describe('job store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replays the journal: last write wins, removals stick', async () => {
    const store = await JobStore.open({ dataDir: dir });
    const a = record(1);
    store.put(a);
    store.put(record(2));
    store.put(record(3));
    await store.flush();
    a.job.state = 'downloading';
    a.job.bytesDone = 1234;
    a.transfer = { etag: '"abc"', segments: [{ start: 0, end: 10, done: 5 }] };
    store.put(a);
    store.remove('job-2');
    store.putVerified({ path: '/downloads/x', size: 5, mtimeMs: 7, checksum: { type: 'md5', value: 'ab' } });
    await store.close();

    const again = await JobStore.open({ dataDir: dir });
    expect(again.list().map((r) => r.job.id)).toEqual(['job-1', 'job-3']);
    expect(again.get('job-1')).toMatchObject({
      job: { state: 'downloading', bytesDone: 1234 },
      transfer: { etag: '"abc"', segments: [{ start: 0, end: 10, done: 5 }] },
    });
    expect(again.getVerified('/downloads/x')?.size).toBe(5);
    await again.close();
  });

  it('ignores a torn last line and keeps appending cleanly after it', async () => {
    const store = await JobStore.open({ dataDir: dir });
    store.put(record(1));
    store.put(record(2));
    await store.close();
    const path = join(dir, 'queue.jsonl');
    await appendFile(path, '{"t":"job","r":{"job":{"id":"job-9","sou');

    const reopened = await JobStore.open({ dataDir: dir });
    expect(reopened.list().map((r) => r.job.id)).toEqual(['job-1', 'job-2']);
    reopened.put(record(3));
    await reopened.close();
    const third = await JobStore.open({ dataDir: dir });
    expect(third.list().map((r) => r.job.id)).toEqual(['job-1', 'job-2', 'job-3']);
    await third.close();
  });

  it('skips a corrupt or invalid record without losing the others', async () => {
    const good = JSON.stringify({ t: 'job', r: record(1) });
    const invalid = JSON.stringify({ t: 'job', r: { job: { id: 'x' }, order: 1, key: 'k' } });
    await writeFile(join(dir, 'queue.jsonl'), `${good}\nnot json at all\n${invalid}\n`);
    const store = await JobStore.open({ dataDir: dir });
    expect(store.list().map((r) => r.job.id)).toEqual(['job-1']);
    await store.close();
  });

  it('treats lines that are JSON but not records (null, numbers, prototype keys) as damage, not a crash', async () => {
    const good = JSON.stringify({ t: 'job', r: record(1) });
    const hostile = ['null', '7', '"job"', '[]', '{"__proto__":{"t":"job"}}', '{"t":"constructor"}'];
    await writeFile(join(dir, 'queue.jsonl'), `${hostile.join('\n')}\n${good}\n`);
    const store = await JobStore.open({ dataDir: dir });
    expect(store.list().map((r) => r.job.id)).toEqual(['job-1']);
    await store.close();
  });

  it('compacts a journal that has grown past twice the live records', async () => {
    const store = await JobStore.open({ dataDir: dir, flushIntervalMs: 1 });
    const r = record(1, { state: 'downloading' });
    for (let i = 0; i < 1500; i++) {
      r.job.bytesDone = i;
      store.put(r);
      await store.flush();
    }
    expect(store.journalLines).toBeLessThan(1100);
    await store.close();
    const text = await readFile(join(dir, 'queue.jsonl'), 'utf8');
    expect(text.split('\n').length).toBeLessThan(1100);
    const again = await JobStore.open({ dataDir: dir });
    expect(again.get('job-1')?.job.bytesDone).toBe(1499);
    expect(again.journalLines).toBeLessThanOrEqual(3);
    await again.close();
  });

  it('batches progress writes but writes state changes at once', async () => {
    const store = await JobStore.open({ dataDir: dir, flushIntervalMs: 60_000 });
    const path = join(dir, 'queue.jsonl');
    const journal = () => readFile(path, 'utf8').catch(() => '');
    // A second store's urgent write is the clock: in the time it takes to land, the batched one does not.
    const otherDir = join(dir, 'other');
    const other = await JobStore.open({ dataDir: otherDir, flushIntervalMs: 60_000 });
    const r = record(1);
    store.put(r);
    other.put(record(2), { urgent: true });
    const landed = () => readFile(join(otherDir, 'queue.jsonl'), 'utf8').catch(() => '');
    await waitUntil(
      async () => (await landed()).includes('job-2'),
      5000,
      () => 'the urgent write never landed',
    );
    expect(await journal()).not.toContain('job-1');
    store.put(r, { urgent: true });
    await waitUntil(
      async () => (await journal()).includes('job-1'),
      5000,
      () => 'the state change was not written',
    );
    await other.close();
    await store.close();
  });

  it('loads 10,000 jobs with their order', async () => {
    const store = await JobStore.open({ dataDir: dir });
    for (let i = 0; i < 10_000; i++) store.put(record(10_000 - i));
    await store.close();
    const started = performance.now();
    const again = await JobStore.open({ dataDir: dir });
    const elapsed = performance.now() - started;
    const list = again.list();
    expect(list).toHaveLength(10_000);
    expect(list[0]?.job.id).toBe('job-1');
    expect(list.at(-1)?.job.id).toBe('job-10000');
    console.info(`10,000 jobs loaded in ${Math.round(elapsed)} ms`);
    await again.close();
  });

  it('survives kill -9 at any moment: every acknowledged write is there after restart', async () => {
    const repo = resolve(import.meta.dirname, '../..');
    const child = join(dir, 'writer.mts');
    await writeFile(
      child,
      `import { JobStore } from ${JSON.stringify(join(repo, 'src-main/core/store/job-store.ts'))};
const store = await JobStore.open({ dataDir: ${JSON.stringify(dir)}, flushIntervalMs: 5 });
const job = (n) => ({ job: { id: 'job-' + n, source: 'S' + n, destDir: '/d', name: 'n' + n, bytesDone: n,
  state: 'queued', verification: 'pending', attempts: [], createdAt: 'x', updatedAt: 'x' }, order: n, key: 'k' + n });
for (let n = 1; ; n++) {
  store.put(job(n));
  if (n % 7 === 0) { await store.flush(); process.stdout.write(n + '\\n'); }
  else await new Promise((r) => setImmediate(r));
}
`,
    );
    for (let round = 0; round < 3; round++) {
      const proc = spawn(process.execPath, [child], { stdio: ['ignore', 'pipe', 'inherit'] });
      let acknowledged = 0;
      proc.stdout.on('data', (chunk: Buffer) => {
        const last = chunk.toString().trim().split('\n').pop();
        if (last) acknowledged = Math.max(acknowledged, Number(last));
      });
      await new Promise<void>((resolve) => {
        const wait = () => (acknowledged >= 200 + round * 150 ? resolve() : setTimeout(wait, 5));
        wait();
      });
      proc.kill('SIGKILL');
      await new Promise((resolve) => proc.once('exit', resolve));
      const store = await JobStore.open({ dataDir: dir });
      for (let n = 1; n <= acknowledged; n++) expect(store.get(`job-${n}`)?.job.bytesDone).toBe(n);
      await store.close();
      await rm(join(dir, 'queue.jsonl'), { force: true });
    }
  });
});

describe('queue lock', () => {
  it('refuses a second writer on the same journal, and takes over a lock left by a dead process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'queue-lock-'));
    try {
      const first = await JobStore.open({ dataDir: dir });
      await expect(JobStore.open({ dataDir: dir })).rejects.toMatchObject({
        code: 'in-use',
        message: expect.stringContaining(`pid ${process.pid} on host ${hostname()}`),
      });
      await first.close();
      const second = await JobStore.open({ dataDir: dir });
      await second.close();

      // A crash leaves the lock file behind, naming a process that is gone.
      const gone = spawn(process.execPath, ['-e', '0']);
      await new Promise((resolve) => gone.once('exit', resolve));
      await writeFile(join(dir, 'queue.jsonl.lock'), `${gone.pid} ${hostname()}`);
      const afterCrash = await JobStore.open({ dataDir: dir });
      await afterCrash.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
