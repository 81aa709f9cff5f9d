import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/domain/job.ts';
import { baseHandlers, GiB, makeJob, makeTotals } from './support/fixtures.ts';
import { createMemoryTransport } from './support/memory-transport.ts';
import { autoCleanup, renderApp, settle } from './support/render-app.tsx';

autoCleanup();

function sampleJobs(): Job[] {
  return [
    makeJob(1, { state: 'downloading', bytesDone: GiB }),
    makeJob(2, { state: 'done', bytesDone: 2 * GiB, verification: 'verified' }),
    makeJob(3, {
      state: 'failed',
      verification: 'pending',
      error: { code: 'auth-rejected', message: 'Key rejected by data.4dnucleome.org: update it in Accounts' },
    }),
    makeJob(4, { state: 'paused', note: 'Disk full: 2.1 GB needed on /data' }),
    makeJob(5, { state: 'done', bytesDone: 2 * GiB, verification: 'unverifiable' }),
  ];
}

async function setup(jobs: Job[] = sampleJobs()) {
  const transport = createMemoryTransport(
    baseHandlers({
      'queue:snapshot': () => ({ jobs, totals: makeTotals() }),
      'queue:pause': ({ ids }) => ({ affected: ids.length }),
      'queue:resume': ({ ids }) => ({ affected: ids.length }),
      'queue:retry': ({ ids }) => ({ affected: ids.length }),
      'queue:remove': ({ ids }) => ({ affected: ids.length }),
      'queue:retry-failed': () => ({ affected: 1 }),
      'queue:open-target': ({ id }) => ({ path: `/data/${id}`, folder: '/data', exists: true }),
    }),
  );
  const app = await renderApp(transport, 'queue');
  await settle();
  return { transport, ...app };
}

const row = (name: string) => screen.getByRole('row', { name });
const grid = () => screen.getByRole('grid', { name: 'Downloads' });
const name = (n: number) => makeJob(n).name;

describe('Queue view', () => {
  it('shows each job with its state, checksum and reason in words', async () => {
    await setup();
    expect(screen.getAllByTestId('queue-row')).toHaveLength(5);
    expect(within(row(name(1))).getByTestId('job-state').textContent).toBe('Downloading');
    expect(within(row(name(2))).getByTestId('job-checksum').textContent).toBe('md5 verified');
    expect(within(row(name(5))).getByTestId('job-checksum').textContent).toBe('unverifiable');
    expect(within(row(name(3))).getAllByText(/Key rejected by data.4dnucleome.org/).length).toBeGreaterThan(
      0,
    );
    expect(within(row(name(4))).getAllByText('Disk full: 2.1 GB needed on /data').length).toBeGreaterThan(0);
    expect(row(name(1)).querySelector('.percent')?.textContent).toBe('50.0%');
    expect(within(row(name(1))).getByRole('progressbar', { name: `Progress of ${name(1)}` })).toBeTruthy();
    // Full path on hover.
    expect(
      within(row(name(1)))
        .getByText(name(1))
        .closest('td')
        ?.getAttribute('title'),
    ).toBe(`/data/${name(1)}`);
    // The rail's badge counts unfinished jobs: downloading and paused.
    expect(screen.getByTestId('queue-badge').textContent).toBe('2');
  });

  it("says a bundle's row is a bundle, not a verified file", async () => {
    const bundle = makeJob(6, {
      state: 'done',
      name: 'experiment 7/',
      verification: 'skipped',
      bundleFiles: 3,
    });
    await setup([bundle]);
    expect(within(row('experiment 7/')).getByTestId('job-checksum').textContent).toBe('bundle of 3 file(s)');
  });

  it('filters by All, Unfinished, Done and Failed, with counts', async () => {
    await setup();
    expect(screen.getByRole('button', { name: /^All/ }).textContent).toBe('All 5');
    fireEvent.click(screen.getByRole('button', { name: /^Done/ }));
    expect(screen.getAllByTestId('queue-row').map((r) => r.getAttribute('aria-label'))).toEqual([
      name(2),
      name(5),
    ]);
    fireEvent.click(screen.getByRole('button', { name: /^Failed/ }));
    expect(screen.getAllByTestId('queue-row')).toHaveLength(1);
    expect(screen.getByRole('button', { name: /^Unfinished/ }).textContent).toBe('Unfinished 2');
  });

  it('selects with click, shift-click, ctrl-click and ctrl-A', async () => {
    await setup();
    const selected = () =>
      screen
        .getAllByTestId('queue-row')
        .filter((r) => r.getAttribute('aria-selected') === 'true')
        .map((r) => r.dataset.jobId);
    fireEvent.click(within(row(name(2))).getByText(name(2)));
    expect(selected()).toEqual(['job-2']);
    fireEvent.click(within(row(name(4))).getByText(name(4)), { shiftKey: true });
    expect(selected()).toEqual(['job-2', 'job-3', 'job-4']);
    fireEvent.click(within(row(name(3))).getByText(name(3)), { ctrlKey: true });
    expect(selected()).toEqual(['job-2', 'job-4']);
    fireEvent.keyDown(grid(), { key: 'a', ctrlKey: true });
    expect(selected()).toHaveLength(5);
    fireEvent.keyDown(grid(), { key: 'Escape' });
    expect(selected()).toEqual([]);
  });

  it('toolbar buttons call their channels with the selected ids', async () => {
    const { transport } = await setup();
    fireEvent.click(within(row(name(1))).getByText(name(1)));
    fireEvent.click(within(row(name(4))).getByText(name(4)), { ctrlKey: true });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Pause' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Resume' })));
    expect(transport.inputsOf('queue:pause')).toEqual([{ ids: ['job-1', 'job-4'] }]);
    expect(transport.inputsOf('queue:resume')).toEqual([{ ids: ['job-1', 'job-4'] }]);

    fireEvent.click(within(row(name(3))).getByText(name(3)));
    expect((screen.getByRole('button', { name: 'Pause' }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Retry' })));
    expect(transport.inputsOf('queue:retry')).toEqual([{ ids: ['job-3'] }]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Retry all failed' })));
    expect(transport.inputsOf('queue:retry-failed')).toHaveLength(1);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Open folder' })));
    expect(transport.inputsOf('queue:open-target')).toEqual([{ id: 'job-3', reveal: true }]);
  });

  it('Space pauses or resumes the selection; Delete removes, asking first for running jobs', async () => {
    const { transport } = await setup();
    fireEvent.click(within(row(name(4))).getByText(name(4)));
    await act(async () => fireEvent.keyDown(grid(), { key: ' ' }));
    expect(transport.inputsOf('queue:resume')).toEqual([{ ids: ['job-4'] }]);
    fireEvent.click(within(row(name(1))).getByText(name(1)));
    await act(async () => fireEvent.keyDown(grid(), { key: ' ' }));
    expect(transport.inputsOf('queue:pause')).toEqual([{ ids: ['job-1'] }]);

    // Not running: removed at once.
    fireEvent.click(within(row(name(2))).getByText(name(2)));
    await act(async () => fireEvent.keyDown(grid(), { key: 'Delete' }));
    expect(transport.inputsOf('queue:remove')).toEqual([{ ids: ['job-2'] }]);

    // Running: a question first; Cancel sends nothing, Remove does.
    fireEvent.click(within(row(name(1))).getByText(name(1)));
    fireEvent.keyDown(grid(), { key: 'Delete' });
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toMatch(/1 download is still running/);
    expect(dialog.textContent).toMatch(/1 partial file \(1\.0 GiB\) can be kept/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(transport.inputsOf('queue:remove')).toHaveLength(1);
    fireEvent.keyDown(grid(), { key: 'Delete' });
    await act(async () =>
      fireEvent.click(
        within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove, keep partial files' }),
      ),
    );
    expect(transport.inputsOf('queue:remove')[1]).toEqual({ ids: ['job-1'], keepPartial: true });
    fireEvent.keyDown(grid(), { key: 'Delete' });
    await act(async () =>
      fireEvent.click(
        within(screen.getByRole('alertdialog')).getByRole('button', {
          name: 'Remove and delete partial files',
        }),
      ),
    );
    expect(transport.inputsOf('queue:remove')[2]).toEqual({ ids: ['job-1'] });
  });

  it('right-click opens a menu with the same actions plus Copy DRS URI and Show in folder', async () => {
    const { transport } = await setup();
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (text: string) => void copied.push(text) },
    });
    fireEvent.contextMenu(within(row(name(3))).getByText(name(3)), { clientX: 50, clientY: 60 });
    const menu = screen.getByRole('menu', { name: 'Download actions' });
    const items = within(menu)
      .getAllByRole('menuitem')
      .map((item) => item.textContent);
    expect(items).toEqual([
      'Pause',
      'Resume',
      'Retry',
      'Remove',
      'Move to top',
      'Details',
      'Copy DRS URI',
      'Show in folder',
      'Open file',
    ]);
    await act(async () => fireEvent.click(within(menu).getByRole('menuitem', { name: 'Copy DRS URI' })));
    expect(copied).toEqual([makeJob(3).drsUri]);
    expect(screen.queryByRole('menu')).toBeNull();

    fireEvent.contextMenu(within(row(name(3))).getByText(name(3)));
    await act(async () => fireEvent.click(screen.getByRole('menuitem', { name: 'Show in folder' })));
    expect(transport.inputsOf('queue:open-target')).toEqual([{ id: 'job-3', reveal: true }]);
  });

  it('teaches what to do when the queue is empty, inside its table, with buttons that do it', async () => {
    const { transport, stores } = await setup([]);
    const empty = screen.getByTestId('queue-empty');
    expect(empty.textContent).toContain(
      "Drop an accession list or the portal's metadata TSV here, or search in Browse.",
    );
    // Under the table's header, in its frame.
    expect(screen.getByRole('columnheader', { name: 'Name' })).toBeTruthy();
    expect(empty.closest('.grid-scroll')).toBe(grid().closest('.grid-scroll'));

    await act(async () => fireEvent.click(within(empty).getByRole('button', { name: 'Browse the portal' })));
    expect(stores.app.getState().view).toBe('browse');

    await act(async () => stores.app.getState().setView('queue'));
    await act(async () =>
      fireEvent.click(
        within(screen.getByTestId('queue-empty')).getByRole('button', { name: 'Paste accessions' }),
      ),
    );
    expect(stores.app.getState().view).toBe('add');
    expect(document.activeElement).toBe(screen.getByTestId('add-input'));

    await act(async () => stores.app.getState().setView('queue'));
    const picker = within(screen.getByTestId('queue-empty')).getByLabelText('Open a list…');
    const list = new File(['4DNFIAAAAAA1\n4DNFIAAAAAA2\n'], 'list.txt', { type: 'text/plain' });
    await act(async () => fireEvent.change(picker, { target: { files: [list] } }));
    await settle(4);
    expect(stores.app.getState().view).toBe('add');
    expect(transport.inputsOf('ids:parse')).toEqual([
      { text: '4DNFIAAAAAA1\n4DNFIAAAAAA2\n', fileName: 'list.txt' },
    ]);
  });

  it('says so inside the table when a filter shows nothing', async () => {
    const { stores } = await setup([makeJob(1, { state: 'done', verification: 'verified' })]);
    await act(async () => stores.queue.getState().setFilter('failed'));
    const text = screen.getByText('No failed downloads.');
    expect(text.closest('.grid-scroll')).toBe(grid().closest('.grid-scroll'));
  });

  it('renders only the rows in view for 10,000 jobs, and follows live updates', async () => {
    const jobs = Array.from({ length: 10_000 }, (_, i) => makeJob(i + 1));
    const { transport, stores } = await setup(jobs);
    const rendered = screen.getAllByTestId('queue-row');
    expect(rendered.length).toBeGreaterThan(5);
    expect(rendered.length).toBeLessThan(100);
    expect(grid().getAttribute('aria-rowcount')).toBe('10001');
    expect(screen.getByRole('button', { name: /^All/ }).textContent).toBe('All 10000');

    await act(async () =>
      transport.emit('queue:progress', {
        jobs: [
          { id: 'job-1', state: 'downloading', bytesDone: GiB / 2, size: 2 * GiB, speed: 43e6, eta: 40 },
        ],
        totals: makeTotals({ speed: 43e6, eta: 100_000 }),
      }),
    );
    const first = row(name(1));
    expect(within(first).getByTestId('job-state').textContent).toBe('Downloading');
    expect(first.textContent).toContain('41.0 MiB/s');
    expect(first.textContent).toContain('40s');
    expect(screen.getByTestId('header-speed').textContent).toBe('41.0 MiB/s');
    expect(screen.getByTestId('header-unfinished').textContent).toBe('10000 unfinished');
    expect(screen.getByTestId('header-running').textContent).toBe('1 running');

    fireEvent.keyDown(grid(), { key: 'End' });
    expect(grid().getAttribute('aria-activedescendant')).toBe('job-row-job-10000');
    expect([...stores.queue.getState().selection.selected]).toEqual(['job-10000']);
  });
});

describe('Queue view: details pane', () => {
  it('shows the whole reason, source, destination, checksum and every attempt of the focused row', async () => {
    const long =
      'Checksum mismatch: expected md5 0123456789abcdef0123456789abcdef, got fedcba9876543210fedcba9876543210 after downloading twice; the bad bytes were deleted. Retry, or tell the portal team the file may be damaged.';
    const failed = makeJob(7, {
      state: 'failed',
      verification: 'mismatch',
      path: '/data/4DNFIJOB0007.pairs.gz',
      checksum: { type: 'md5', value: '0123456789abcdef0123456789abcdef' },
      error: { code: 'checksum-mismatch', message: long },
      attempts: [
        {
          at: '2026-12-01T10:00:00.000Z',
          error: { code: 'network', message: 'Connection reset at 1.2 GiB' },
        },
        { at: '2026-12-01T10:01:00.000Z', error: { code: 'checksum-mismatch', message: long } },
      ],
    });
    await setup([...sampleJobs(), failed]);
    expect(screen.queryByTestId('job-details')).toBeNull();
    fireEvent.click(within(row(failed.name)).getByText(failed.name));
    fireEvent.click(screen.getByRole('button', { name: 'Details' }));
    const pane = screen.getByTestId('job-details');
    expect(within(pane).getByTestId('job-details-reason').textContent).toBe(long);
    expect(pane.textContent).toContain(failed.source);
    expect(pane.textContent).toContain('/data/4DNFIJOB0007.pairs.gz');
    expect(pane.textContent).toContain('md5: 0123456789abcdef0123456789abcdef');
    expect(within(pane).getByTestId('job-attempts').querySelectorAll('li')).toHaveLength(2);
    expect(pane.textContent).toContain('Connection reset at 1.2 GiB');
    // It follows the focused row, and closes.
    fireEvent.click(within(row(name(4))).getByText(name(4)));
    expect(screen.getByTestId('job-details').textContent).toContain('Disk full: 2.1 GB needed on /data');
    fireEvent.click(screen.getByRole('button', { name: 'Close details' }));
    expect(screen.queryByTestId('job-details')).toBeNull();
  });

  it('never says a downloaded file was not tried, nor that a failed one awaits its checksum', async () => {
    await setup();
    // Job 3 failed before any check: nothing is pending for it.
    expect(within(row(name(3))).getByTestId('job-checksum').textContent).toBe('not checked');
    fireEvent.click(within(row(name(2))).getByText(name(2)));
    fireEvent.click(screen.getByRole('button', { name: 'Details' }));
    const pane = screen.getByTestId('job-details');
    expect(pane.textContent).not.toContain('Not tried yet');
    expect(pane.textContent).toContain('Downloaded at the first try, without errors.');
    fireEvent.click(within(row(name(3))).getByText(name(3)));
    expect(screen.getByTestId('job-details').textContent).toContain('Checksumnot checked');
  });

  it('does not show a failed file\'s last step ("downloading it again") as if it were happening', async () => {
    const failed = makeJob(8, {
      state: 'failed',
      verification: 'mismatch',
      note: 'Checksum mismatch: deleted the bad copy and downloading it again',
      error: { code: 'checksum-mismatch', message: 'Checksum mismatch: downloaded twice, both wrong.' },
    });
    await setup([failed]);
    fireEvent.click(within(row(failed.name)).getByText(failed.name));
    fireEvent.click(screen.getByRole('button', { name: 'Details' }));
    const pane = screen.getByTestId('job-details');
    expect(pane.textContent).toContain('Checksum mismatch: downloaded twice, both wrong.');
    expect(pane.textContent).not.toContain('downloading it again');
  });
});
