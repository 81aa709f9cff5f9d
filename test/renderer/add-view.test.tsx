import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import fixture from '../../sample-portal/fixtures/metadata_2026-11-20-14h-05m.tsv?raw';
import type { ManifestResult } from '../../src-shared/domain/ids.ts';
import { parseManifest } from '../../src-shared/manifest/manifest.ts';
import { baseHandlers, GiB, makePreview, makeProfile } from './support/fixtures.ts';
import { createMemoryTransport, deferred } from './support/memory-transport.ts';
import { autoCleanup, renderApp, settle } from './support/render-app.tsx';

autoCleanup();

/** Enough of ids:parse for the view: accessions pass, anything else is rejected with its line number. */
function parse(text: string): ManifestResult {
  const result: ManifestResult = { format: 'plain', items: [], rejected: [], duplicates: [] };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    if (/^4DNFI[0-9A-Z]{7}$/.test(line)) {
      result.items.push({ line: i + 1, input: line, id: { kind: 'accession', accession: line }, key: line });
    } else {
      result.rejected.push({
        line: i + 1,
        text: line,
        reason: 'Not an accession, drs:// URI or portal link',
      });
    }
  });
  return result;
}

const SIZES: Record<string, number> = {
  '4DNFIAAAAAA1': 100 * GiB,
  '4DNFIAAAAAA2': 200 * GiB,
  '4DNFIAAAAAA3': 112 * GiB,
};

function setup() {
  const transport = createMemoryTransport(
    baseHandlers({
      'ids:parse': ({ text }) => parse(text),
      'files:preview': ({ ids }) => ({
        results: ids.map((id) =>
          SIZES[id] !== undefined
            ? { input: id, ok: true as const, file: makePreview(id, SIZES[id]) }
            : {
                input: id,
                ok: false as const,
                error: { code: 'not-found' as const, message: `${id} is not on the server` },
              },
        ),
      }),
      'queue:add': ({ items, text }) => ({
        added: items?.length ?? parse(text ?? '').items.length,
        jobIds: [],
        rejected: [],
        alreadyQueued: 0,
        alreadyQueuedIds: [],
      }),
    }),
  );
  return transport;
}

const LIST = ['4DNFIAAAAAA1', 'not an id', '4DNFIAAAAAA2', '', '4DNFIAAAAAA3', 'drs:/broken'].join('\n');

async function paste(text: string) {
  const input = screen.getByPlaceholderText(
    "Paste accessions, drs:// URIs, portal links, or drop the portal's metadata .tsv",
  );
  await act(async () => fireEvent.change(input, { target: { value: text } }));
  await settle(4);
}

describe('Add view', () => {
  it('parses pasted text and lists rejected lines with their line numbers and reasons', async () => {
    const transport = setup();
    await renderApp(transport, 'add');
    await paste(LIST);
    expect(transport.inputsOf('ids:parse')).toEqual([{ text: LIST }]);
    const rejected = screen.getAllByTestId('rejected-line').map((li) => li.textContent);
    expect(rejected).toEqual([
      'Line 2 not an id Not an accession, drs:// URI or portal link',
      'Line 6 drs:/broken Not an accession, drs:// URI or portal link',
    ]);
  });

  it('resolves in chunks, fills the table and shows totals with free space', async () => {
    const transport = setup();
    await renderApp(transport, 'add');
    await paste(LIST);
    const table = screen.getByRole('table', { name: 'Files to add' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]?.textContent).toContain('4DNFIAAAAAA1.pairs.gz');
    expect(rows[0]?.textContent).toContain('100.0 GiB');
    expect(rows[0]?.textContent).toContain('2025-06-30');
    expect(rows[0]?.textContent).toContain('md5');
    expect(transport.inputsOf('files:preview')).toEqual([
      { ids: ['4DNFIAAAAAA1', '4DNFIAAAAAA2', '4DNFIAAAAAA3'], profile: 'default' },
    ]);
    expect(screen.getByTestId('add-totals').textContent).toBe('3 files, 412.0 GiB; 2.0 TiB free on /data');
    expect(screen.getByRole('button', { name: 'Download 3 files' })).toBeTruthy();
  });

  it('shows rows as pending until their chunk lands', async () => {
    const transport = setup();
    const answer = deferred<{ results: [] }>();
    transport.handle('files:preview', () => answer.promise);
    await renderApp(transport, 'add');
    await paste('4DNFIAAAAAA9');
    expect(screen.getAllByTestId('file-status').map((c) => c.textContent)).toEqual(['Resolving…']);
    await act(async () => answer.resolve({ results: [] }));
  });

  it('Download queues the whole text, or only the checked items', async () => {
    const transport = setup();
    const { stores } = await renderApp(transport, 'add');
    await paste(LIST);
    fireEvent.change(screen.getByRole('textbox', { name: 'Destination folder' }), {
      target: { value: '/scratch/4dn' },
    });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Download 3 files' })));
    expect(transport.inputsOf('queue:add')).toEqual([
      { text: LIST, profile: 'default', destDir: '/scratch/4dn' },
    ]);
    // Sent: the view moves to the Queue and says what happened.
    expect(stores.app.getState().view).toBe('queue');
    expect(screen.getByTestId('notice').textContent).toContain(
      'Added 3 files to the queue (2 lines not read).',
    );

    await act(async () => stores.app.getState().setView('add'));
    await paste(LIST);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select 4DNFIAAAAAA2.pairs.gz' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Download 2 files' })));
    expect(transport.inputsOf('queue:add')[1]).toEqual({
      items: ['4DNFIAAAAAA1', '4DNFIAAAAAA3'],
      profile: 'default',
      destDir: '/scratch/4dn',
    });
  });

  it('says which lines could not be resolved', async () => {
    const transport = setup();
    await renderApp(transport, 'add');
    await paste('4DNFIAAAAAA1\n4DNFIZZZZZZZ');
    const statuses = screen.getAllByTestId('file-status').map((c) => c.textContent);
    expect(statuses).toEqual(['Ready', '4DNFIZZZZZZZ is not on the server']);
    expect(screen.getByTestId('add-totals').textContent).toMatch(/^1 file, 100.0 GiB;/);
  });
});

describe('Add view: the destination folder', () => {
  it('refuses a folder that cannot be created, saying why, and queues nothing', async () => {
    const transport = createMemoryTransport(
      baseHandlers({
        'ids:parse': ({ text }) => parse(text),
        'files:preview': ({ ids }) => ({
          results: ids.map((id) => ({ input: id, ok: true as const, file: makePreview(id, GiB) })),
        }),
        'folder:check': ({ dir }) =>
          dir === '/proc/nope'
            ? {
                ok: false as const,
                dir,
                problem: 'cannot-create',
                message: 'Cannot create /proc/nope: this location does not hold ordinary folders.',
              }
            : { ok: true as const, dir: dir ?? '/data', exists: true, warning: null },
        // /proc reports no free space at all: that is not the folder's problem to state.
        'disk:space': ({ dir }) => ({
          dir: dir ?? '/data',
          free: dir === '/proc/nope' ? 0 : 2048 * GiB,
          total: 0,
        }),
        'queue:add': () => ({ added: 1, jobIds: [], rejected: [], alreadyQueued: 0, alreadyQueuedIds: [] }),
      }),
    );
    await renderApp(transport, 'add');
    await paste('4DNFIAAAAAA1');
    const button = screen.getByTestId('add-download') as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    const dest = screen.getByLabelText('Destination folder');
    await act(async () => fireEvent.change(dest, { target: { value: '/proc/nope' } }));
    await settle(4);
    expect(screen.getByTestId('add-folder-error').textContent).toContain('Cannot create /proc/nope');
    expect(button.disabled).toBe(true);
    // The refusal is the reason; no second, false one about free space.
    expect(screen.getByTestId('add-totals').textContent).toBe('1 file, 1.0 GiB');
    await act(async () => fireEvent.click(button));
    expect(transport.inputsOf('queue:add')).toEqual([]);
  });
});

describe('Add view: the id hint', () => {
  it("names the forms accepted with the chosen server's accession prefix, or DRS ids for another server", async () => {
    const transport = setup();
    transport.handle('profiles:list', () => ({
      profiles: [
        makeProfile('portal'),
        makeProfile('sample', { server: 'http://127.0.0.1:4321' }),
        makeProfile('gen3', { server: 'https://drs.example.org', kind: 'gen3' }),
      ],
      keychain: { available: true },
    }));
    const { stores } = await renderApp(transport, 'add');
    await settle();
    const hint = () => screen.getByTestId('add-hint').textContent ?? '';
    const input = screen.getByTestId('add-input');
    expect(input.getAttribute('aria-describedby')).toBe(screen.getByTestId('add-hint').id);
    await act(async () => stores.add.getState().setProfile('portal'));
    expect(hint()).toContain('accessions (4DNFI and 7 letters or digits');
    expect(hint()).toContain('drs://data.4dnucleome.org/4DNFI…');
    await act(async () => stores.add.getState().setProfile('sample'));
    expect(hint()).toContain('accessions (TSTFI and 7 letters or digits');
    expect(hint()).toContain('drs://127.0.0.1:4321/TSTFI…');
    await act(async () => stores.add.getState().setProfile('gen3'));
    expect(hint()).toContain('drs://drs.example.org/<object id>');
    expect(hint()).toContain('https://drs.example.org/ga4gh/drs/v1/objects/<object id>');
    expect(hint()).not.toMatch(/4DNFI|TSTFI/);
  });
});

describe('Add view: what cannot be fetched', () => {
  it('starts unavailable rows unticked with their reason, counts only what downloads, and the notice adds up', async () => {
    const transport = setup();
    await renderApp(transport, 'add');
    const list = ['4DNFIAAAAAA1', '4DNFIAAAAAA9', '4DNFIAAAAAA2', 'hello world'].join('\n');
    await paste(list);
    const missing = screen.getByRole('checkbox', { name: 'Select 4DNFIAAAAAA9' }) as HTMLInputElement;
    expect(missing.checked).toBe(false);
    expect(screen.getByRole('table', { name: 'Files to add' }).textContent).toContain(
      '4DNFIAAAAAA9 is not on the server',
    );
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Download 2 files' })));
    expect(transport.inputsOf('queue:add')).toEqual([
      { items: ['4DNFIAAAAAA1', '4DNFIAAAAAA2'], profile: 'default', destDir: '/data' },
    ]);
    expect(screen.getByTestId('notice').textContent).toBe(
      'Added 2 files to the queue (1 not included, 1 line not read).',
    );
  });

  it('says how a DRS object will be reached when that is not a plain https URL', async () => {
    const transport = setup();
    transport.handle('files:preview', ({ ids }) => ({
      results: ids.map((id) => ({
        input: id,
        ok: true as const,
        file: { ...makePreview(id, GiB), access: 's3 access id "s3"' },
      })),
    }));
    await renderApp(transport, 'add');
    await paste('4DNFIAAAAAA1');
    expect(screen.getAllByTestId('file-status').map((c) => c.textContent)).toEqual([
      'Ready, via s3 access id "s3"',
    ]);
  });

  it('shows a bundle as the folder tree its files will be saved in', async () => {
    const transport = setup();
    const bundleFiles = ['exp 7/a.txt', 'exp 7/lanes/inner/deepest.txt', 'exp 7/lanes/deep.txt'];
    transport.handle('files:preview', ({ ids }) => ({
      results: ids.map((id) => ({
        input: id,
        ok: true as const,
        file: { ...makePreview(id, 0), name: 'exp 7/', size: undefined, bundleFiles },
      })),
    }));
    await renderApp(transport, 'add');
    await paste('4DNFIAAAAAA1');
    const [status] = screen.getAllByTestId('file-status');
    expect(status?.querySelector('summary')?.textContent).toBe('Bundle of 3 files');
    expect(status?.querySelector('pre')?.textContent).toBe(
      ['exp 7/', '  a.txt', '  lanes/', '    deep.txt', '    inner/', '      deepest.txt'].join('\n'),
    );
  });

  it('names the rows the portal commented out of its metadata TSV as not included, and the notice counts them', async () => {
    // The fixture's not-yet-uploaded row again, as the portal writes a restricted file.
    const lines = fixture.split('\r\n');
    const notUploaded = lines.findIndex((line: string) => line.startsWith('### Not Yet Uploaded: '));
    const restricted = (lines[notUploaded] ?? '')
      .replace('### Not Yet Uploaded: ', '### Restricted: ')
      .replaceAll('4DNFIM3H8YPC', '4DNFIRESTRCT');
    lines.splice(notUploaded + 2, 0, restricted);
    const tsv = lines.join('\r\n');
    const transport = setup();
    transport.handle('ids:parse', ({ text, fileName }) => parseManifest(text, { fileName }));
    transport.handle('files:preview', ({ ids }) => ({
      results: ids.map((id) => ({ input: id, ok: true as const, file: makePreview(id, GiB) })),
    }));
    // The core parses the whole list again and reports the left-out rows with the rejections.
    transport.handle('queue:add', ({ text }) => {
      const parsed = parseManifest(text ?? '');
      return {
        added: parsed.items.length,
        jobIds: [],
        rejected: [...parsed.rejected, ...(parsed.unavailable ?? [])],
        alreadyQueued: 0,
        alreadyQueuedIds: [],
      };
    });
    const { stores } = await renderApp(transport, 'add');
    await act(async () => stores.add.getState().setText(tsv, 'metadata.tsv'));
    await settle(4);
    expect(screen.getAllByTestId('not-included-line').map((li) => li.textContent)).toEqual([
      'Line 8 4DNFIJ7T3LUD not included: The portal lists this row as a duplicate of row 5: that row downloads the file',
      'Line 9 4DNFIM3H8YPC not included: The portal lists this file as "Not Yet Uploaded": it cannot be downloaded now',
      'Line 10 4DNFIR5B2NDE not included: The portal lists this file as "No URL currently available": it cannot be downloaded now',
      'Line 11 4DNFIRESTRCT not included: The portal lists this file as "Restricted": it cannot be downloaded now',
    ]);
    expect(screen.getByText('4 rows the portal left out of its list')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Download 5 files' })));
    expect(screen.getByTestId('notice').textContent).toBe('Added 5 files to the queue (4 not included).');
  });
});
