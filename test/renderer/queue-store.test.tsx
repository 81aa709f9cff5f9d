import { describe, expect, it } from 'vitest';
import { filterCounts, visibleIds } from '../../src-renderer/store/queue-model.ts';
import { createQueueStore } from '../../src-renderer/store/queue-store.ts';
import { clickSelect } from '../../src-renderer/store/selection.ts';
import type { Job } from '../../src-shared/domain/job.ts';
import { GiB, makeJob, makeTotals } from './support/fixtures.ts';
import { createMemoryTransport, deferred } from './support/memory-transport.ts';

const flushNow = { schedule: (flush: () => void) => flush() };
const later = '2026-01-01T00:05:00.000Z';
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function started(jobs: Job[]) {
  const transport = createMemoryTransport({ 'queue:snapshot': () => ({ jobs, totals: makeTotals() }) });
  const store = createQueueStore(transport, flushNow);
  store.getState().start();
  await tick();
  expect(store.getState().loaded).toBe(true);
  return { transport, store };
}

describe('queue store', () => {
  it('subscribes to queue events before it asks for the snapshot', () => {
    const transport = createMemoryTransport({ 'queue:snapshot': () => ({ jobs: [], totals: makeTotals() }) });
    createQueueStore(transport).getState().start();
    const snapshotAt = transport.log.indexOf('invoke:queue:snapshot');
    expect(snapshotAt).toBeGreaterThan(transport.log.indexOf('on:queue:changed'));
    expect(snapshotAt).toBeGreaterThan(transport.log.indexOf('on:queue:progress'));
    expect(transport.log.indexOf('on:queue:changed')).toBeGreaterThanOrEqual(0);
  });

  it('keeps a job changed while the snapshot was in flight, and never lets an older copy win', async () => {
    const answer = deferred<{ jobs: Job[]; totals: ReturnType<typeof makeTotals> }>();
    const transport = createMemoryTransport({ 'queue:snapshot': () => answer.promise });
    const store = createQueueStore(transport, flushNow);
    store.getState().start();

    const stale = makeJob(1, { state: 'queued', updatedAt: '2025-12-31T00:00:00.000Z' });
    const added = makeJob(2, { state: 'queued', updatedAt: later });
    transport.emit('queue:changed', { jobs: [stale, added], removed: [] });
    transport.emit('queue:changed', { jobs: [], removed: ['job-3'] });
    expect(store.getState().ids).toEqual([]);

    answer.resolve({
      jobs: [makeJob(1, { state: 'downloading', updatedAt: later }), makeJob(3)],
      totals: makeTotals(),
    });
    await tick();

    const state = store.getState();
    expect(state.ids).toEqual(['job-1', 'job-2']);
    expect(state.jobs.get('job-1')?.state).toBe('downloading');
    expect(state.jobs.get('job-2')?.state).toBe('queued');
  });

  it('applies queue:changed: rows keep their place, new jobs go last, removed ones leave the selection', async () => {
    const { transport, store } = await started([makeJob(1), makeJob(2), makeJob(3)]);
    store.getState().setSelection(clickSelect(store.getState().selection, ['job-1', 'job-2'], 'job-2'));

    transport.emit('queue:changed', {
      jobs: [
        makeJob(3, { state: 'done', verification: 'verified', bytesDone: 2 * GiB, updatedAt: later }),
        makeJob(4),
      ],
      removed: ['job-2'],
    });

    const state = store.getState();
    expect(state.ids).toEqual(['job-1', 'job-3', 'job-4']);
    expect(state.jobs.get('job-3')?.verification).toBe('verified');
    expect(state.selection.selected.size).toBe(0);
    expect(filterCounts(state.stats)).toEqual({ all: 3, unfinished: 2, done: 1, failed: 0 });
  });

  it('applies queue:progress: bytes, state, speed and time left per job, plus overall speed', async () => {
    const { transport, store } = await started([makeJob(1), makeJob(2)]);
    const idsBefore = store.getState().ids;

    transport.emit('queue:progress', {
      jobs: [{ id: 'job-1', state: 'downloading', bytesDone: GiB, size: 2 * GiB, speed: 40e6, eta: 27 }],
      totals: makeTotals({ speed: 40e6, eta: 80 }),
    });

    const state = store.getState();
    expect(state.ids).toBe(idsBefore);
    expect(state.jobs.get('job-1')).toMatchObject({ bytesDone: GiB, state: 'downloading' });
    expect(state.live.get('job-1')).toEqual({ speed: 40e6, eta: 27 });
    expect(state.speed).toBe(40e6);
    expect(state.eta).toBe(80);
    expect(state.stats.bytesDone).toBe(GiB);
    expect(state.stats.bytesTotal).toBe(4 * GiB);

    // Once the job stops, its speed goes and the header's overall speed drops to zero.
    transport.emit('queue:changed', {
      jobs: [makeJob(1, { state: 'paused', bytesDone: GiB, updatedAt: later })],
      removed: [],
    });
    expect(store.getState().live.has('job-1')).toBe(false);
    expect(store.getState().speed).toBe(0);
  });

  it('coalesces a burst of events into one update', async () => {
    const pending: Array<() => void> = [];
    const transport = createMemoryTransport({
      'queue:snapshot': () => ({ jobs: [makeJob(1), makeJob(2)], totals: makeTotals() }),
    });
    const store = createQueueStore(transport, { schedule: (flush) => pending.push(flush) });
    store.getState().start();
    await tick();
    let updates = 0;
    store.subscribe(() => updates++);

    for (let i = 1; i <= 5; i++) {
      transport.emit('queue:progress', {
        jobs: [{ id: 'job-1', state: 'downloading', bytesDone: i * 1000, speed: 1000, eta: 10 }],
        totals: makeTotals(),
      });
    }
    transport.emit('queue:changed', {
      jobs: [makeJob(2, { state: 'failed', updatedAt: later })],
      removed: [],
    });
    expect(pending).toHaveLength(1);
    expect(updates).toBe(0);

    pending[0]?.();
    expect(updates).toBe(1);
    expect(store.getState().jobs.get('job-1')?.bytesDone).toBe(5000);
    expect(store.getState().jobs.get('job-2')?.state).toBe('failed');
  });

  it('holds 10,000 jobs and touches only what a tick carries', async () => {
    const jobs = Array.from({ length: 10_000 }, (_, i) => makeJob(i + 1));
    const { transport, store } = await started(jobs);
    const before = store.getState();
    expect(before.ids).toHaveLength(10_000);

    transport.emit('queue:progress', {
      jobs: [1, 2, 3, 4].map((n) => ({
        id: `job-${n}`,
        state: 'downloading' as const,
        bytesDone: n * 1000,
        speed: 1e6,
      })),
      totals: makeTotals({ speed: 4e6 }),
    });
    const after = store.getState();
    expect(after.ids).toBe(before.ids);
    let replaced = 0;
    for (const id of after.ids) if (after.jobs.get(id) !== before.jobs.get(id)) replaced++;
    expect(replaced).toBe(4);
    // Starting to run moves a row up (running files come first): the visible list is rebuilt once...
    expect(after.shapeVersion).toBe(before.shapeVersion + 1);
    // ...but a tick that only moves bytes leaves it alone.
    transport.emit('queue:progress', {
      jobs: [{ id: 'job-1', state: 'downloading' as const, bytesDone: 5000, speed: 1e6 }],
      totals: makeTotals({ speed: 1e6 }),
    });
    expect(store.getState().shapeVersion).toBe(after.shapeVersion);

    transport.emit('queue:changed', {
      jobs: [
        makeJob(9_999, { state: 'failed', updatedAt: later }),
        makeJob(10_000, { state: 'done', updatedAt: later }),
      ],
      removed: ['job-5'],
    });
    const last = store.getState();
    expect(last.ids).toHaveLength(9_999);
    expect(last.shapeVersion).toBeGreaterThan(after.shapeVersion);
    expect(filterCounts(last.stats)).toEqual({ all: 9_999, unfinished: 9_997, done: 1, failed: 1 });
    expect(visibleIds(last, 'failed')).toEqual(['job-9999']);
    expect(visibleIds(last, 'all')).toBe(last.ids);
  });

  it('takes a fresh snapshot on sync, replacing what it had', async () => {
    const { transport, store } = await started([makeJob(1), makeJob(2)]);
    transport.handle('queue:snapshot', () => ({
      jobs: [makeJob(2, { state: 'done', updatedAt: later })],
      totals: makeTotals(),
    }));
    await store.getState().sync();
    expect(store.getState().ids).toEqual(['job-2']);
    expect(store.getState().jobs.get('job-2')?.state).toBe('done');
  });

  it('reports a snapshot that fails, in words', async () => {
    const transport = createMemoryTransport({});
    const store = createQueueStore(transport, flushNow);
    await store.getState().sync();
    expect(store.getState().error).toMatch(/Could not load the queue: No handler/);
  });

  it('sends bulk commands with the ids given', async () => {
    const { transport, store } = await started([makeJob(1), makeJob(2)]);
    transport.handle('queue:pause', ({ ids }) => ({ affected: ids.length }));
    transport.handle('queue:remove', ({ ids }) => ({ affected: ids.length }));
    expect(await store.getState().pause(['job-1', 'job-2'])).toBe(2);
    expect(await store.getState().remove(['job-2'])).toBe(1);
    expect(transport.inputsOf('queue:pause')).toEqual([{ ids: ['job-1', 'job-2'] }]);
    expect(transport.inputsOf('queue:remove')[0]?.ids).toEqual(['job-2']);
  });
});
