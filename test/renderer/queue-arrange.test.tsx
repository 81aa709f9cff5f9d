import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/domain/job.ts';
import { acceptEveryItem, baseHandlers, GiB, makeJob, makeTotals } from './support/fixtures.ts';
import { createMemoryTransport } from './support/memory-transport.ts';
import { autoCleanup, renderApp, settle } from './support/render-app.tsx';

autoCleanup();

const later = '2026-01-01T00:00:01.000Z';

/** Queue order 1..5 as the core numbers them; job 4 runs, job 2 and job 5 are done. */
function sampleJobs(): Job[] {
  return [
    makeJob(1, { order: 0, size: 3 * GiB }),
    makeJob(2, { order: 1, state: 'done', bytesDone: 2 * GiB, verification: 'verified', size: 2 * GiB }),
    makeJob(3, { order: 2, state: 'paused', bytesDone: GiB, size: 5 * GiB, profile: 'lab' }),
    makeJob(4, { order: 3, state: 'downloading', bytesDone: GiB, size: 4 * GiB }),
    makeJob(5, {
      order: 4,
      state: 'done',
      bytesDone: GiB,
      size: GiB,
      verification: 'verified',
      destDir: '/other',
      name: 'special-name.hic',
    }),
  ];
}

async function setup(jobs: Job[] = sampleJobs()) {
  const transport = createMemoryTransport(
    baseHandlers({
      'queue:snapshot': () => ({ jobs, totals: makeTotals() }),
      'queue:remove': ({ ids }) => ({ affected: ids.length }),
      'queue:move-to-top': ({ ids }) => ({ affected: ids.length }),
      'queue:add': acceptEveryItem,
    }),
  );
  const app = await renderApp(transport, 'queue');
  await settle();
  return { transport, ...app };
}

const shown = () => screen.getAllByTestId('queue-row').map((row) => row.dataset.jobId);
const header = (label: string) => screen.getByRole('columnheader', { name: new RegExp(label) });
const click = (element: Element) => act(async () => fireEvent.click(element));
const rowOf = (n: number) => screen.getByRole('row', { name: makeJob(n).name });
const notice = () => screen.getByTestId('notice');

describe('Queue: order, sort and name filter', () => {
  it('shows running files first, then the queue order, and follows a job that moves', async () => {
    const { transport } = await setup();
    expect(shown()).toEqual(['job-4', 'job-1', 'job-2', 'job-3', 'job-5']);
    // The core moved job 3 to the top (another window asked): its new position arrives with it.
    await act(async () =>
      transport.emit('queue:changed', {
        jobs: [{ ...sampleJobs()[2], order: -1, updatedAt: later } as Job],
        removed: [],
      }),
    );
    expect(shown()).toEqual(['job-4', 'job-3', 'job-1', 'job-2', 'job-5']);
    // A job that starts running comes first too.
    await act(async () =>
      transport.emit('queue:progress', {
        jobs: [{ id: 'job-1', state: 'resolving', bytesDone: 0, speed: 0 }],
        totals: makeTotals(),
      }),
    );
    expect(shown()).toEqual(['job-1', 'job-4', 'job-3', 'job-2', 'job-5']);
  });

  it('sorts by a clicked column, ascending then descending then back, and says so with aria-sort', async () => {
    const { transport } = await setup();
    expect(header('Size').getAttribute('aria-sort')).toBe('none');
    await click(within(header('Size')).getByRole('button'));
    expect(header('Size').getAttribute('aria-sort')).toBe('ascending');
    expect(shown()).toEqual(['job-5', 'job-2', 'job-1', 'job-4', 'job-3']);
    await click(within(header('Size')).getByRole('button'));
    expect(header('Size').getAttribute('aria-sort')).toBe('descending');
    expect(shown()).toEqual(['job-3', 'job-4', 'job-1', 'job-2', 'job-5']);
    await click(within(header('Name')).getByRole('button'));
    expect(header('Size').getAttribute('aria-sort')).toBe('none');
    expect(header('Name').getAttribute('aria-sort')).toBe('ascending');
    expect(shown()).toEqual(['job-1', 'job-2', 'job-3', 'job-4', 'job-5']);
    await click(within(header('Progress')).getByRole('button'));
    expect(shown()).toEqual(['job-1', 'job-3', 'job-4', 'job-2', 'job-5']);
    await click(within(header('Progress')).getByRole('button'));
    await click(within(header('Progress')).getByRole('button'));
    expect(header('Progress').getAttribute('aria-sort')).toBe('none');
    // Space on a sort button belongs to the button: it neither pauses nor resumes the chosen rows.
    fireEvent.click(within(rowOf(4)).getByText(makeJob(4).name));
    await act(async () => fireEvent.keyDown(within(header('Size')).getByRole('button'), { key: ' ' }));
    expect(transport.inputsOf('queue:pause')).toEqual([]);
    expect(shown()).toEqual(['job-4', 'job-1', 'job-2', 'job-3', 'job-5']);
  });

  it('filters by any part of the name, together with the state filter', async () => {
    await setup();
    const box = screen.getByRole('searchbox', { name: 'Filter by name' });
    await act(async () => fireEvent.change(box, { target: { value: 'SPECIAL' } }));
    expect(shown()).toEqual(['job-5']);
    await act(async () => fireEvent.change(box, { target: { value: '.pairs.gz' } }));
    expect(shown()).toEqual(['job-4', 'job-1', 'job-2', 'job-3']);
    await click(screen.getByRole('button', { name: /^Done/ }));
    expect(shown()).toEqual(['job-2']);
    await act(async () => fireEvent.change(box, { target: { value: 'nothing-like-it' } }));
    expect(screen.queryAllByTestId('queue-row')).toEqual([]);
    expect(screen.getByText("No download's name contains “nothing-like-it”.")).toBeTruthy();
  });
});

describe('Queue: move to top, clear completed, undo', () => {
  it('moves the chosen waiting files to the top through the core', async () => {
    const { transport } = await setup();
    const move = () => screen.getByRole('button', { name: 'Move to top' }) as HTMLButtonElement;
    fireEvent.click(within(rowOf(4)).getByText(makeJob(4).name));
    expect(move().disabled).toBe(true); // already running
    fireEvent.click(within(rowOf(3)).getByText(makeJob(3).name));
    fireEvent.click(within(rowOf(1)).getByText(makeJob(1).name), { ctrlKey: true });
    await click(move());
    expect(transport.inputsOf('queue:move-to-top')).toEqual([{ ids: ['job-1', 'job-3'] }]);
    expect(notice().textContent).toContain('Moved 2 downloads to the top of the queue');
  });

  it('clears completed rows from the list, never their files, and Undo puts them back', async () => {
    const { transport } = await setup();
    await click(screen.getByRole('button', { name: 'Clear completed' }));
    expect(transport.inputsOf('queue:remove')).toEqual([{ ids: ['job-2', 'job-5'] }]);
    expect(notice().textContent).toContain(
      'Cleared 2 finished downloads from the list; the files stay on disk.',
    );
    await click(within(notice()).getByRole('button', { name: 'Undo' }));
    expect(transport.inputsOf('queue:add')).toEqual([
      { items: [makeJob(2).source], destDir: '/data' },
      { items: [makeJob(5).source], destDir: '/other' },
    ]);
    expect(notice().textContent).toBe('Put back 2 downloads.');
  });

  it('offers Undo after Remove, and says a deleted partial file restarts from zero', async () => {
    const { transport } = await setup();
    fireEvent.click(within(rowOf(3)).getByText(makeJob(3).name));
    await click(screen.getByRole('button', { name: 'Remove' }));
    await click(
      within(screen.getByRole('alertdialog')).getByRole('button', {
        name: 'Remove and delete partial files',
      }),
    );
    expect(transport.inputsOf('queue:remove')).toEqual([{ ids: ['job-3'] }]);
    expect(notice().textContent).toContain(
      'Removed 1 download from the queue; partial files deleted (Undo restarts them from zero).',
    );
    await click(within(notice()).getByRole('button', { name: 'Undo' }));
    expect(transport.inputsOf('queue:add')).toEqual([
      { items: [makeJob(3).source], destDir: '/data', profile: 'lab' },
    ]);
    expect(notice().textContent).toBe(
      'Put back 1 download; their partial files were deleted, so they start again from zero.',
    );
  });

  it('keeps the Undo offer up when the removal ends a batch: the batch notice waits for it', async () => {
    const { transport } = await setup();
    fireEvent.click(within(rowOf(2)).getByText(makeJob(2).name));
    await click(screen.getByRole('button', { name: 'Remove' }));
    expect(within(notice()).getByRole('button', { name: 'Undo' })).toBeTruthy();
    await act(async () => {
      transport.emit('queue:changed', { jobs: [], removed: ['job-4'] });
      transport.emit('queue:batch-done', { done: 3, failed: 0 });
    });
    expect(notice().textContent).toContain('Removed 1 download from the queue.');
    await click(within(notice()).getByRole('button', { name: 'Dismiss' }));
    expect(notice().textContent).toContain('Batch finished: 3 files done.');
  });

  it('after Remove keeping the partial file, Undo resumes it (no restart said)', async () => {
    const { transport } = await setup();
    fireEvent.click(within(rowOf(3)).getByText(makeJob(3).name));
    await click(screen.getByRole('button', { name: 'Remove' }));
    await click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove, keep partial files' }),
    );
    expect(notice().textContent).toContain('partial files kept (adding them again resumes)');
    await click(within(notice()).getByRole('button', { name: 'Undo' }));
    expect(transport.inputsOf('queue:add')).toHaveLength(1);
    expect(notice().textContent).toBe('Put back 1 download.');
  });
});
