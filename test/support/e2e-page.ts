import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { PageGlobals } from './e2e-dom.ts';

/** Page-level steps the e2e tests share: what a user clicks and what they read. */

/** The text as rendered (what a user reads), from Playwright, not a DOM node's innerText. */
export function textOf(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Locator.innerText is the rendered text a user reads.
  return locator.innerText();
}

export type ViewName = 'Queue' | 'Add' | 'Browse' | 'Accounts' | 'Settings';

export async function goToView(page: Page, view: ViewName): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: view, exact: true })
    .click();
  await page.getByRole('heading', { level: 2, name: view, exact: true }).waitFor();
}

/**
 * Waits until the page has its first queue snapshot over the socket: on the Queue view (where a page opens)
 * that shows either the empty state or rows; before it, the grid is there but empty.
 */
export async function waitForApp(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
  const loaded = async () =>
    (await page.getByTestId('queue-empty').count()) + (await page.getByTestId('queue-row').count());
  await expect.poll(loaded, { timeout: 15_000 }).toBeGreaterThan(0);
}

export function queueGrid(page: Page): Locator {
  return page.getByRole('grid', { name: 'Downloads' });
}

export function queueRow(page: Page, name: string): Locator {
  return queueGrid(page).getByRole('row', { name, exact: true });
}

export interface RowView {
  state: string | null;
  verification: string | null;
  text: string;
}

/** What one queue row shows, or null while it is not in the DOM. */
export async function readRow(row: Locator): Promise<RowView | null> {
  if ((await row.count()) === 0) return null;
  return {
    state: await row.getByTestId('job-state').getAttribute('data-state'),
    verification: await row.getByTestId('job-checksum').getAttribute('data-verification'),
    text: (await textOf(row)).replace(/\s+/g, ' ').trim(),
  };
}

/** The percent a row's progress column shows (NaN while it shows none). */
export async function rowPercent(page: Page, name: string): Promise<number> {
  if ((await queueRow(page, name).count()) === 0) return Number.NaN;
  return Number.parseFloat(await textOf(queueRow(page, name).locator('.percent')));
}

/** Polls until every named row is done and verified; on timeout the message shows what the rows said. */
export async function waitForVerified(page: Page, names: readonly string[], timeout = 45_000): Promise<void> {
  const want = names.map((name) => ({ name, state: 'done', verification: 'verified' }));
  await expect
    .poll(
      async () =>
        Promise.all(
          names.map(async (name) => {
            const row = await readRow(queueRow(page, name));
            return { name, state: row?.state, verification: row?.verification };
          }),
        ),
      { timeout, interval: 250 },
    )
    .toEqual(want);
}

/** Polls a row until its state is `state`, returning what it showed then. */
export async function waitForRowState(
  page: Page,
  name: string,
  state: string,
  timeout = 30_000,
): Promise<RowView> {
  await expect
    .poll(async () => (await readRow(queueRow(page, name)))?.state, { timeout, interval: 200 })
    .toBe(state);
  return (await readRow(queueRow(page, name))) as RowView;
}

/** Dispatches drag events on the page's body, each carrying a DataTransfer that holds one File. */
function dispatchDrag(page: Page, types: string[], file: { fileName: string; text: string; type: string }) {
  return page.evaluate(
    ({ types, fileName, text, type }) => {
      const { document, DataTransfer, DragEvent, File } = globalThis as unknown as PageGlobals;
      const data = new DataTransfer();
      data.items.add(new File([text], fileName, { type }));
      for (const name of types) {
        document.body.dispatchEvent(
          new DragEvent(name, { dataTransfer: data, bubbles: true, cancelable: true }),
        );
      }
    },
    { types, ...file },
  );
}

/**
 * Drops a file on the window as the OS would: dragenter and dragover (the overlay appears), then drop. Returns
 * what the "Drop to add" overlay said during the drag.
 */
export async function dropFile(
  page: Page,
  fileName: string,
  text: string,
  type = 'text/tab-separated-values',
) {
  const file = { fileName, text, type };
  await dispatchDrag(page, ['dragenter', 'dragover'], file);
  const overlay = page.getByTestId('drop-overlay');
  await overlay.waitFor({ state: 'visible', timeout: 5000 });
  const overlayText = await textOf(overlay);
  await dispatchDrag(page, ['drop'], file);
  await overlay.waitFor({ state: 'detached', timeout: 5000 });
  return { overlayText };
}

export interface PreviewRow {
  name: string;
  accession: string;
  status: string;
}

/** The Add preview's rows: the name, the accession column and what the Resolution column says. */
export async function previewRows(page: Page): Promise<PreviewRow[]> {
  const rows = page.getByRole('table', { name: 'Files to add' }).locator('tbody tr');
  const out: PreviewRow[] = [];
  for (const row of await rows.all()) {
    out.push({
      name: (await row.getAttribute('aria-label')) ?? '',
      accession: (await textOf(row.getByRole('cell').nth(2))).trim(),
      status: (await textOf(row.getByTestId('file-status'))).trim(),
    });
  }
  return out;
}
