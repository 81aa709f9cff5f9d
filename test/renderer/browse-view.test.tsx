import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PortalFile, SearchQuery } from '../../src-shared/domain/portal.ts';
import { acceptEveryItem, baseHandlers, GiB, makeObject } from './support/fixtures.ts';
import { createMemoryTransport } from './support/memory-transport.ts';
import { autoCleanup, renderApp, settle } from './support/render-app.tsx';

autoCleanup();

function file(n: number, format: string): PortalFile {
  const accession = `4DNFIBBBBBB${n}`;
  return {
    accession,
    uuid: `uuid-${n}`,
    atId: `/files-processed/${accession}/`,
    type: ['FileProcessed', 'File', 'Item'],
    displayTitle: `${accession}.${format}`,
    fileFormat: format,
    fileSize: n * GiB,
    md5sum: 'c'.repeat(32),
    status: 'released',
    dateCreated: `2024-03-0${n}`,
    url: `https://data.4dnucleome.org/files-processed/${accession}/`,
  };
}

const FILES = [file(1, 'pairs.gz'), file(2, 'mcool'), file(3, 'pairs.gz')];

/** A Gen3-like object: access ids of other types, and a gs:// URL nothing can fetch. */
const SHAPES: Record<string, Parameters<typeof makeObject>[2]> = {
  '4DNFIBBBBBB3': {
    accessMethods: [
      { type: 'gs', accessUrl: { url: 'gs://bucket/key', headers: [] } },
      { type: 's3', accessId: 's3' },
      { type: 'https', accessId: 'signed' },
    ],
  },
};

function setup() {
  return createMemoryTransport(
    baseHandlers({
      'portal:search': (q: SearchQuery) => {
        const format = q.filters?.find((f) => f.field === 'file_format.file_format')?.value;
        const items = FILES.filter((f) => !format || f.fileFormat === format).filter(
          (f) => !q.query || f.accession.includes(q.query),
        );
        return {
          items,
          total: items.length,
          facets: [
            {
              field: 'file_format.file_format',
              title: 'Format',
              terms: [
                { key: 'pairs.gz', count: 2 },
                { key: 'mcool', count: 1 },
              ],
            },
            { field: 'status', title: 'Status', terms: [{ key: 'released', count: 3 }] },
            {
              field: 'type',
              title: 'Data Type',
              terms: [
                { key: 'FileProcessed', count: 2 },
                { key: 'FileReference', count: 1 },
              ],
            },
          ],
        };
      },
      'objects:resolve': ({ ids }) => ({
        results: ids.map((id) => ({ input: id, ok: true as const, object: makeObject(id, GiB, SHAPES[id]) })),
      }),
      'queue:add': acceptEveryItem,
    }),
  );
}

const resultRows = () =>
  within(screen.getByRole('table', { name: 'Search results' }))
    .getAllByRole('row')
    .slice(1);

describe('Browse view', () => {
  it('searches on open and on submit, with a fixed sort for stable pages', async () => {
    const transport = setup();
    await renderApp(transport, 'browse');
    await settle();
    expect(resultRows()).toHaveLength(3);
    expect(transport.inputsOf('portal:search')[0]).toMatchObject({
      from: 0,
      limit: 25,
      sort: '-date_created',
    });

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search the portal' }), {
      target: { value: 'BBBBBB2' },
    });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Search' })));
    await settle();
    expect(transport.inputsOf('portal:search')[1]).toMatchObject({ query: 'BBBBBB2', profile: 'default' });
    expect(resultRows().map((r) => r.getAttribute('aria-label'))).toEqual(['4DNFIBBBBBB2.mcool']);
  });

  it('says inside the table when nothing matches, with a button that clears the search', async () => {
    const transport = setup();
    await renderApp(transport, 'browse');
    await settle();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search the portal' }), {
      target: { value: 'nothing like this' },
    });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Search' })));
    await settle();
    const table = screen.getByRole('table', { name: 'Search results' });
    expect(within(table).getByTestId('browse-empty').textContent).toContain('No files match this search.');
    await act(async () => fireEvent.click(within(table).getByRole('button', { name: 'Clear the search' })));
    await settle();
    expect(transport.inputsOf('portal:search').at(-1)?.query).toBeUndefined();
    expect(resultRows()).toHaveLength(3);
  });

  it('filters by a facet checkbox with counts', async () => {
    const transport = setup();
    await renderApp(transport, 'browse');
    await settle();
    const format = screen.getByRole('group', { name: 'Format' });
    expect(within(format).getByText('pairs.gz').closest('label')?.textContent).toBe('pairs.gz2');
    await act(async () => fireEvent.click(within(format).getByRole('checkbox', { name: /mcool/ })));
    await settle();
    expect(transport.inputsOf('portal:search').at(-1)?.filters).toEqual([
      { field: 'file_format.file_format', value: 'mcool' },
    ]);
    expect(resultRows()).toHaveLength(1);
    expect((within(format).getByRole('checkbox', { name: /mcool/ }) as HTMLInputElement).checked).toBe(true);
  });

  it('names item types in people’s words, and filters by the portal’s name', async () => {
    const transport = setup();
    await renderApp(transport, 'browse');
    await settle();
    const types = screen.getByRole('group', { name: 'Data Type' });
    expect(within(types).getByText('Processed file')).toBeTruthy();
    expect(within(types).getByText('Reference file')).toBeTruthy();
    await act(async () => fireEvent.click(within(types).getByRole('checkbox', { name: /Processed file/ })));
    await settle();
    expect(transport.inputsOf('portal:search').at(-1)?.filters).toEqual([
      { field: 'type', value: 'FileProcessed' },
    ]);
  });

  it('adds the selected files to the queue', async () => {
    const transport = setup();
    await renderApp(transport, 'browse');
    await settle();
    const add = screen.getByRole('button', { name: 'Add to queue' }) as HTMLButtonElement;
    expect(add.disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select 4DNFIBBBBBB1.pairs.gz' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select 4DNFIBBBBBB3.pairs.gz' }));
    await act(async () => fireEvent.click(add));
    expect(transport.inputsOf('queue:add')).toEqual([
      { items: ['4DNFIBBBBBB1', '4DNFIBBBBBB3'], profile: 'default' },
    ]);
    expect(screen.getByTestId('notice').textContent).toBe('Added 2 files to the queue.');
  });

  it('shows the DRS object, a portal link and the raw JSON for the chosen file', async () => {
    const transport = setup();
    await renderApp(transport, 'browse');
    await settle();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '4DNFIBBBBBB2.mcool' })));
    await settle();
    const pane = screen.getByRole('complementary', { name: 'File details' });
    expect(transport.inputsOf('objects:resolve')).toEqual([{ ids: ['4DNFIBBBBBB2'], profile: 'default' }]);
    expect(
      within(pane)
        .getByRole('link', { name: /Open on the portal/ })
        .getAttribute('href'),
    ).toBe(FILES[1]?.url);
    expect(pane.textContent).toContain('drs://data.4dnucleome.org/4DNFIBBBBBB2');
    expect(pane.textContent).toContain('https://s3.example/wfoutput/uuid/4DNFIBBBBBB2.pairs.gz');
    expect(pane.querySelector('details summary')?.textContent).toBe('Raw JSON');
  });

  it('lists access methods in the order they will be tried, which one will be used, and why others cannot', async () => {
    await renderApp(setup(), 'browse');
    await settle();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '4DNFIBBBBBB3.pairs.gz' })));
    await settle();
    const pane = screen.getByRole('complementary', { name: 'File details' });
    const list = within(pane).getByRole('heading', { name: 'Access methods' })
      .nextElementSibling as HTMLElement;
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => item.dataset.role)).toEqual(['used', 'fallback', 'unusable']);
    expect(items[0]?.textContent).toBe(
      'https access id "signed" (will be used: the URL its access id answers, when that is https)',
    );
    expect(items[1]?.textContent).toContain('s3 access id "s3" (tried next');
    expect(items[2]?.textContent).toContain(
      'gs gs://bucket/key (not usable: gs (gs://bucket/key) would need a Google Cloud Storage client',
    );
  });
});

describe('Browse: files that cannot be downloaded', () => {
  it('says why at once and does not let a restricted or not-uploaded file be ticked, not even by Select all', async () => {
    const restricted = { ...file(2, 'mcool'), status: 'restricted' };
    const uploading = { ...file(3, 'pairs.gz'), status: 'uploading' };
    const transport = createMemoryTransport(
      baseHandlers({
        'portal:search': () => ({
          items: [file(1, 'pairs.gz'), restricted, uploading],
          total: 3,
          facets: [],
        }),
        'queue:add': acceptEveryItem,
      }),
    );
    await renderApp(transport, 'browse');
    await settle();
    const box = screen.getByRole('checkbox', { name: 'Select 4DNFIBBBBBB2.mcool' }) as HTMLInputElement;
    expect(box.disabled).toBe(true);
    expect(screen.getByRole('row', { name: '4DNFIBBBBBB2.mcool' }).textContent).toContain('Restricted');
    expect(screen.getByRole('row', { name: '4DNFIBBBBBB3.pairs.gz' }).textContent).toContain(
      'Not uploaded yet',
    );
    // Its details say so too.
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '4DNFIBBBBBB2.mcool' })));
    await settle();
    expect(screen.getByTestId('details-unavailable').textContent).toContain('Restricted');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Add to queue' })));
    expect(transport.inputsOf('queue:add')).toEqual([{ items: ['4DNFIBBBBBB1'], profile: 'default' }]);
  });
});
