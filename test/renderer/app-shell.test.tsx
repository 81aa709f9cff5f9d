import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { baseHandlers, GiB, makeJob, makePreview, makeProfile, makeTotals } from './support/fixtures.ts';
import { createMemoryTransport } from './support/memory-transport.ts';
import { autoCleanup, renderApp, settle } from './support/render-app.tsx';

autoCleanup();

function dragEvent(type: string, data: { files?: File[]; text?: string }) {
  const event = new Event(type, { bubbles: true, cancelable: true });
  const types = [...(data.files?.length ? ['Files'] : []), ...(data.text ? ['text/plain'] : [])];
  Object.defineProperty(event, 'dataTransfer', {
    value: {
      types,
      files: data.files ?? [],
      dropEffect: 'none',
      getData: (format: string) => (format === 'text/plain' ? (data.text ?? '') : ''),
    },
  });
  return event;
}

function setup() {
  return createMemoryTransport(
    baseHandlers({
      'ids:parse': ({ text }) => ({
        format: 'plain',
        items: text
          .split('\n')
          .filter(Boolean)
          .map((line, i) => ({
            line: i + 1,
            input: line,
            id: { kind: 'accession', accession: line },
            key: line,
          })),
        rejected: [],
        duplicates: [],
      }),
      'files:preview': ({ ids }) => ({
        results: ids.map((id) => ({ input: id, ok: true as const, file: makePreview(id, GiB) })),
      }),
      'profiles:list': () => ({
        profiles: [makeProfile('default'), makeProfile('lab', { server: 'https://lab.example.org' })],
        keychain: { available: true },
      }),
      'profiles:import': () => ({ imported: [makeProfile('dropped')], rejected: [] }),
      'queue:snapshot': () => ({
        jobs: [
          makeJob(1, { state: 'downloading', bytesDone: GiB }),
          makeJob(2, { state: 'done', bytesDone: 2 * GiB }),
        ],
        totals: makeTotals(),
      }),
    }),
  );
}

describe('app frame', () => {
  it('switches views from the rail and marks the current one', async () => {
    const { stores } = await renderApp(setup());
    for (const name of ['Add', 'Browse', 'Accounts', 'Settings', 'Queue']) {
      fireEvent.click(screen.getByRole('button', { name }));
      expect(screen.getByRole('button', { name }).getAttribute('aria-current')).toBe('page');
      expect(screen.getByRole('heading', { level: 2, name })).toBeTruthy();
    }
    expect(stores.app.getState().view).toBe('queue');
  });

  it('shows the active profile, overall progress and lets you switch profile', async () => {
    const transport = setup();
    await renderApp(transport);
    const select = screen.getByRole('combobox', { name: 'Active profile' }) as HTMLSelectElement;
    expect(select.selectedOptions[0]?.textContent).toBe('default @ data.4dnucleome.org');
    expect(screen.getByTestId('header-bytes').textContent).toBe('3.0 GiB / 4.0 GiB');
    expect(screen.getByTestId('header-unfinished').textContent).toBe('1 unfinished');
    await act(async () => fireEvent.change(select, { target: { value: 'lab' } }));
    expect(transport.inputsOf('settings:set')).toEqual([{ defaultProfile: 'lab' }]);
  });

  it('opens Add with a dropped list parsed, and shows the overlay while dragging', async () => {
    const transport = setup();
    const { stores } = await renderApp(transport);
    const file = new File(['4DNFIAAAAAA1\n4DNFIAAAAAA2\n'], 'accessions.txt', { type: 'text/plain' });
    await act(async () => window.dispatchEvent(dragEvent('dragenter', { files: [file] })));
    expect(screen.getByTestId('drop-overlay').textContent).toBe('Drop to add');
    await act(async () => window.dispatchEvent(dragEvent('drop', { files: [file] })));
    await settle(4);
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
    expect(stores.app.getState().view).toBe('add');
    expect(transport.inputsOf('ids:parse')).toEqual([
      { text: '4DNFIAAAAAA1\n4DNFIAAAAAA2\n', fileName: 'accessions.txt' },
    ]);
    expect(screen.getByRole('button', { name: 'Download 2 files' })).toBeTruthy();
  });

  it('appends dropped text to a typed list', async () => {
    const transport = setup();
    const { stores } = await renderApp(transport, 'add');
    await act(async () => stores.add.getState().setText('4DNFIAAAAAA1'));
    await act(async () => window.dispatchEvent(dragEvent('drop', { text: '4DNFIAAAAAA2' })));
    await settle(4);
    expect(stores.add.getState().text).toBe('4DNFIAAAAAA1\n4DNFIAAAAAA2\n');
  });

  it('imports a dropped keypairs.json instead of treating it as a list', async () => {
    const transport = setup();
    const { stores } = await renderApp(transport);
    const text = JSON.stringify({
      dropped: { key: 'ABCDEFGH', secret: 'abcdefghijklmnop', server: 'https://x.org' },
    });
    const file = new File([text], 'keypairs.json', { type: 'application/json' });
    await act(async () => window.dispatchEvent(dragEvent('drop', { files: [file] })));
    await settle(4);
    expect(transport.inputsOf('profiles:import')).toEqual([{ text }]);
    expect(transport.inputsOf('ids:parse')).toEqual([]);
    expect(stores.app.getState().view).toBe('accounts');
    expect(stores.add.getState().text).toBe('');
  });

  it('opens drs:// links and list files the desktop shell hands over in Add', async () => {
    const transport = setup();
    const { stores } = await renderApp(transport);
    await act(async () =>
      transport.emit('app:open-items', { items: ['drs://data.4dnucleome.org/4DNFIIA7E3HL'], files: [] }),
    );
    await settle();
    expect(stores.app.getState().view).toBe('add');
    expect(stores.add.getState().text).toBe('drs://data.4dnucleome.org/4DNFIIA7E3HL\n');

    await act(async () =>
      transport.emit('app:open-items', { items: [], files: [{ name: 'list.txt', text: '4DNFIW6N4C2H\n' }] }),
    );
    await settle();
    expect(stores.add.getState().text).toBe('4DNFIW6N4C2H\n');
    expect(stores.add.getState().fileName).toBe('list.txt');
  });

  it('tells when a batch finishes, and not while a row still runs or verifies', async () => {
    const transport = setup();
    await renderApp(transport);
    await act(async () =>
      transport.emit('queue:changed', {
        jobs: [makeJob(1, { state: 'verifying', bytesDone: GiB })],
        removed: [],
      }),
    );
    await act(async () => transport.emit('queue:batch-done', { done: 9, failed: 2 }));
    expect(screen.queryByTestId('notice')).toBeNull();
    await act(async () =>
      transport.emit('queue:changed', {
        jobs: [makeJob(1, { state: 'done', bytesDone: GiB, verification: 'verified' })],
        removed: [],
      }),
    );
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('Batch finished: 9 done, 2 failed.');
  });

  it('counts unfinished jobs the same in the header, the Unfinished filter and the rail', async () => {
    const transport = createMemoryTransport(
      baseHandlers({
        'queue:snapshot': () => ({
          jobs: [
            makeJob(1, { state: 'downloading', bytesDone: GiB }),
            makeJob(2, { state: 'queued' }),
            makeJob(3, { state: 'paused' }),
            makeJob(4, { state: 'done', bytesDone: 2 * GiB }),
          ],
          totals: makeTotals(),
        }),
      }),
    );
    await renderApp(transport);
    expect(screen.getByTestId('header-unfinished').textContent).toBe('3 unfinished');
    expect(screen.getByTestId('header-running').textContent).toBe('1 running');
    expect(screen.getByTestId('queue-badge').textContent).toBe('3');
    expect(screen.getByRole('button', { name: /^Unfinished/ }).textContent).toBe('Unfinished 3');
  });

  it('takes fresh snapshots when a lost connection comes back', async () => {
    const transport = setup();
    await renderApp(transport);
    expect(transport.inputsOf('queue:snapshot')).toHaveLength(1);
    await act(async () => transport.setConnection('closed'));
    expect(screen.getByText(/Lost the connection to the downloader/)).toBeTruthy();
    await act(async () => transport.setConnection('open'));
    await settle();
    expect(transport.inputsOf('queue:snapshot')).toHaveLength(2);
    expect(transport.inputsOf('settings:get')).toHaveLength(2);
    expect(screen.queryByText(/Lost the connection/)).toBeNull();
  });
});

describe('app frame without the downloader', () => {
  it('does not claim there is no access key when the downloader never answered', async () => {
    const transport = createMemoryTransport(
      baseHandlers({
        'app:info': () => {
          throw new Error('unauthorized');
        },
        'profiles:list': () => {
          throw new Error('unauthorized');
        },
      }),
    );
    await renderApp(transport);
    expect(screen.queryByText(/No access key yet/)).toBeNull();
  });

  it('says only that it cannot reach the downloader when the socket never opens (no "Reconnecting…" error)', async () => {
    const unauthorized = () => {
      throw new Error('Lost the connection to the downloader. Reconnecting…');
    };
    const transport = createMemoryTransport(
      baseHandlers({
        'app:info': unauthorized,
        'profiles:list': unauthorized,
        'queue:snapshot': unauthorized,
      }),
    );
    transport.setConnection('closed');
    await renderApp(transport, 'queue');
    await settle();
    const alerts = screen
      .getAllByRole('alert')
      .map((a) => a.textContent ?? '')
      .filter(Boolean);
    expect(alerts).toEqual([expect.stringMatching(/^Cannot reach the downloader\. Open the link printed/)]);
  });

  it('in every view, leaves the lost socket to that banner and claims nothing it could not load', async () => {
    // Every call fails, as over a socket the host refused.
    const transport = createMemoryTransport({});
    transport.setConnection('closed');
    await renderApp(transport, 'queue');
    const views = screen.getByRole('navigation', { name: 'Views' });
    for (const view of ['Add', 'Browse', 'Accounts', 'Settings', 'Queue']) {
      await act(async () =>
        fireEvent.click(within(views).getByRole('button', { name: new RegExp(`^${view}$`) })),
      );
      await settle();
      const alerts = screen
        .getAllByRole('alert')
        .map((a) => a.textContent ?? '')
        .filter(Boolean);
      expect({ view, alerts }).toEqual({
        view,
        alerts: [expect.stringMatching(/^Cannot reach the downloader\./)],
      });
      expect(screen.queryByText(/No keys yet/)).toBeNull();
    }
  });
});

describe('window title', () => {
  it('shows overall progress while anything runs, and the plain name when nothing does', async () => {
    const transport = setup();
    await renderApp(transport);
    expect(document.title).toBe('75.0% · 4DN Downloader');
    await act(async () =>
      transport.emit('queue:changed', {
        jobs: [makeJob(1, { state: 'paused', bytesDone: GiB })],
        removed: [],
      }),
    );
    expect(document.title).toBe('4DN Downloader');
  });
});
