import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumSkipReason,
  launchChromium,
  type OpenedPage,
  openPage,
  projectRoot,
} from '../support/browser.ts';
import { type E2eApp, startE2eApp } from '../support/e2e-app.ts';
import type { PageGlobals } from '../support/e2e-dom.ts';
import {
  dropFile,
  goToView,
  previewRows,
  queueRow,
  textOf,
  waitForApp,
  waitForRowState,
  waitForVerified,
} from '../support/e2e-page.ts';

/**
 * A picture of every view with real data in it (finished, running, paused and failed downloads; a resolved
 * preview; a file's DRS object; a tested key), in light and dark and at a small window, written to
 * test-results/screenshots/. The assertions are about layout a person would notice: no sideways scrolling,
 * the dark theme really dark, every picture the size it should be.
 */
const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`Skipping the browser e2e tests: ${skipReason}`);

const outDir = join(projectRoot, 'test-results', 'screenshots');

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function shoot(page: Page, name: string): Promise<{ width: number; height: number; bytes: number }> {
  const path = join(outDir, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  const png = await readFile(path);
  return { ...pngSize(png), bytes: png.length };
}

/** The page's own layout: does it scroll sideways, and how light is its background? */
async function layout(page: Page) {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
    const [r = 0, g = 0, b = 0] = (
      getComputedStyle(document.documentElement).backgroundColor.match(/\d+/g) ?? []
    ).map(Number);
    return {
      overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      luminance: (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255,
    };
  });
}

/** How far an element's content reaches past its visible width (0: nothing hidden to the right). */
async function sidewaysScroll(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate((element) => element.scrollWidth - element.clientWidth);
}

/** Checksum labels in the queue that run past the grid's visible right edge (cut off, not scrollable to). */
async function clippedChecksumLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const grid = document.querySelector('.grid-scroll');
    if (!grid) return ['(no queue grid)'];
    const visibleRight = grid.getBoundingClientRect().left + grid.clientLeft + grid.clientWidth;
    return [...document.querySelectorAll('[data-testid="job-checksum"] span')]
      .filter((label) => label.getBoundingClientRect().right > visibleRight + 0.5)
      .map((label) => label.textContent ?? '');
  });
}

/**
 * Queue cells that would cut off the widest text their column can show (a 4-digit speed, size and time left;
 * the longest checksum label): measured on a copy of the first row, so the app's own rows are not touched.
 */
async function clippedQueueCells(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const widest: Array<[string, string]> = [
      ['.c-size', '1023.9 GiB'],
      ['.c-speed', '1023.9 MiB/s'],
      ['.c-eta', '23h 59m'],
      ['.c-checksum span', 'md5 verified earlier'],
    ];
    const row = document.querySelector('.grid-body .row');
    if (!row) return ['(no queue row)'];
    const copy = row.cloneNode(true);
    document.querySelector('.grid-body')?.append(copy);
    const clipped: string[] = [];
    for (const [selector, text] of widest) {
      const target = copy.querySelector(selector);
      if (!target) continue;
      target.textContent = text;
      const cell = selector.endsWith(' span') ? (copy.querySelector('.c-checksum') ?? target) : target;
      if (cell.scrollWidth > cell.clientWidth + 0.5) clipped.push(`${selector}: ${text}`);
    }
    copy.remove();
    return clipped;
  });
}

/** Whether the queue's toolbar lies on one line (its buttons share one top edge). */
async function toolbarLines(page: Page): Promise<number> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const tops = [...document.querySelectorAll('[role="toolbar"][aria-label="Queue actions"] button')].map(
      (b) => Math.round(b.getBoundingClientRect().top),
    );
    return new Set(tops).size;
  });
}

describe.skipIf(skipReason !== undefined)('Screenshots of every view', () => {
  let browser: Browser;
  let app: E2eApp;
  const pages: OpenedPage[] = [];
  const names: Record<string, string> = {};

  beforeAll(async () => {
    await mkdir(outDir, { recursive: true });
    browser = await launchChromium();
    app = await startE2eApp();
    const { portal } = app;
    const done = [6, 8, 9].map((i) => portal.file(portal.files[i]?.accession ?? ''));
    const running = portal.addFile({ size: 3 * 1024 * 1024, format: 'pairs' });
    portal.setFaults(running.accession, { throughputBytesPerSec: 96 * 1024 });
    const paused = portal.addFile({ size: 2 * 1024 * 1024, format: 'fastq' });
    portal.setFaults(paused.accession, { throughputBytesPerSec: 64 * 1024 });
    const failed = portal.addFile({ size: 150 * 1024, format: 'bed' });
    portal.setFaults(failed.accession, { wrongMd5: true });
    await app.call('profiles:add', {
      name: 'default',
      server: portal.portalUrl,
      keyId: portal.key,
      secret: portal.secret,
      test: true,
    });
    await app.call('queue:add', { items: [...done, running, paused, failed].map((f) => f.accession) });
    Object.assign(names, { running: running.fileName, paused: paused.fileName, failed: failed.fileName });
    names.done = done.map((f) => f.fileName).join('\n');
  });
  afterAll(async () => {
    for (const opened of pages) await opened.context.close();
    await app?.close();
    await browser?.close();
  });

  it('shows each view at 1280×800 in the light theme', async () => {
    const opened = await openPage(browser, app.url);
    pages.push(opened);
    const { page } = opened;
    await waitForApp(page);

    await waitForVerified(page, (names.done ?? '').split('\n'));
    await waitForRowState(page, names.failed ?? '', 'failed');
    await waitForRowState(page, names.running ?? '', 'downloading');
    await queueRow(page, names.paused ?? '').click();
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await waitForRowState(page, names.paused ?? '', 'paused');
    await queueRow(page, names.running ?? '').click();
    expect(await clippedChecksumLabels(page)).toEqual([]);
    expect(await clippedQueueCells(page)).toEqual([]);
    expect(await toolbarLines(page)).toBe(1);
    // The failed row's details: the whole reason and its attempts, beside the table.
    await queueRow(page, names.failed ?? '').click();
    await page.getByRole('button', { name: 'Details', exact: true }).click();
    await page.getByTestId('job-details-reason').waitFor();
    expect(await textOf(page.getByTestId('job-details-reason'))).toMatch(/checksum|md5/i);
    // Beside the details the table narrows: its columns still fit, with no sideways scrolling.
    expect(await clippedQueueCells(page)).toEqual([]);
    expect(await sidewaysScroll(page, '.grid-scroll')).toBe(0);
    const queue = await shoot(page, 'queue');
    expect(await layout(page)).toMatchObject({ overflowX: 0 });
    expect((await layout(page)).luminance).toBeGreaterThan(0.8);

    await goToView(page, 'Add');
    const portal = app.portal;
    await page
      .getByTestId('add-input')
      .fill(
        [portal.files[0], portal.files[2], portal.files[5]].map((f) => f?.accession).join('\n') +
          '\nTSTFIZZZZZZZ\n4DNES1234567\n',
      );
    await expect
      .poll(
        async () =>
          (await previewRows(page)).map((r) =>
            r.status === 'Ready' || r.status === 'Resolving…' ? r.status : 'refused',
          ),
        { timeout: 15_000 },
      )
      .toEqual(['Ready', 'Ready', 'Ready', 'refused']);
    // The file the server does not have starts unticked, and the button counts only what will download.
    expect(await page.getByRole('checkbox', { name: /^Select TSTFIZZZZZZZ/ }).isChecked()).toBe(false);
    expect(await textOf(page.getByTestId('add-download'))).toBe('Download 3 files');
    await page.getByTestId('rejected-line').waitFor();
    // The hint names this server's accessions (the sample portal's TSTFI…), not the 4DN portal's.
    expect(await textOf(page.getByTestId('add-hint'))).toContain('accessions (TSTFI and 7 letters or digits');
    await page.getByTestId('add-totals').filter({ hasText: 'free on' }).waitFor({ timeout: 5000 });
    const add = await shoot(page, 'add-preview');
    expect((await layout(page)).overflowX).toBe(0);

    await goToView(page, 'Browse');
    const first = portal.files[2];
    await page.getByRole('button', { name: first?.fileName ?? '', exact: true }).click();
    await page.getByRole('heading', { name: 'DRS object' }).waitFor({ timeout: 10_000 });
    const browse = await shoot(page, 'browse-details');
    expect((await layout(page)).overflowX).toBe(0);
    // With the details pane open, every column of the results is in view (the name gives way, not the status).
    expect(await sidewaysScroll(page, '.results .table-wrap')).toBe(0);

    await goToView(page, 'Accounts');
    await page.getByRole('article', { name: 'Profile default' }).waitFor();
    expect(await textOf(page.getByRole('article', { name: 'Profile default' }))).toContain('Worked');
    const accounts = await shoot(page, 'accounts');
    expect((await layout(page)).overflowX).toBe(0);

    await goToView(page, 'Settings');
    // A folder the app cannot create is refused before saving, saying why.
    await page.getByRole('textbox', { name: 'Download folder' }).fill('/proc/nope');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('settings-folder-error').waitFor();
    expect(await textOf(page.getByTestId('settings-folder-error'))).toContain('Cannot create /proc/nope');
    const settings = await shoot(page, 'settings');
    // The "Not saved" notice sits under the view, covering none of its controls.
    const main = await page.locator('main.content').boundingBox();
    const notice = await page.getByTestId('notice').boundingBox();
    expect(notice?.y ?? 0).toBeGreaterThanOrEqual((main?.y ?? 0) + (main?.height ?? 1e9) - 0.5);
    // Save is in view without scrolling at 1280×800.
    const save = await page.getByRole('button', { name: 'Save', exact: true }).boundingBox();
    expect((save?.y ?? 1e9) + (save?.height ?? 0)).toBeLessThanOrEqual(800);
    expect((await layout(page)).overflowX).toBe(0);

    for (const shot of [queue, add, browse, accounts, settings]) {
      expect(shot).toMatchObject({ width: 1280, height: 800 });
      expect(shot.bytes).toBeGreaterThan(10_000);
    }
    expect(opened.errors).toEqual([]);
  });

  it('follows a dark OS theme', async () => {
    const opened = await openPage(browser, app.url, { colorScheme: 'dark' });
    pages.push(opened);
    const { page } = opened;
    await waitForApp(page);
    await queueRow(page, names.failed ?? '').click();
    const shot = await shoot(page, 'queue-dark');
    expect(shot).toMatchObject({ width: 1280, height: 800 });
    expect((await layout(page)).luminance).toBeLessThan(0.2);
    expect(opened.errors).toEqual([]);
  });

  it('shows an empty queue, and a metadata TSV with rows the portal left out, at 800×600 in the dark', async () => {
    const fresh = await startE2eApp();
    try {
      const opened = await openPage(browser, fresh.url, {
        viewport: { width: 800, height: 600 },
        colorScheme: 'dark',
      });
      pages.push(opened);
      const { page } = opened;
      await waitForApp(page);
      const empty = page.getByTestId('queue-empty');
      await empty.waitFor();
      for (const name of ['Paste accessions', 'Browse the portal'])
        expect(await empty.getByRole('button', { name }).isVisible()).toBe(true);
      expect(await empty.getByText('Open a list…').isVisible()).toBe(true);
      const shot = await shoot(page, 'queue-empty-800x600-dark');
      expect(shot).toMatchObject({ width: 800, height: 600 });
      expect(await layout(page)).toMatchObject({ overflowX: 0 });
      expect((await layout(page)).luminance).toBeLessThan(0.2);

      const { portal } = fresh;
      const restricted = portal.addFile({ size: 50 * 1024, format: 'hic', status: 'restricted' });
      const uploading = portal.addFile({ size: 50 * 1024, format: 'hic', status: 'uploading' });
      const live = [portal.files[1], portal.files[4]].map((f) => f?.accession ?? '');
      const tsv = portal.metadataTsv([
        live[0] ?? '',
        restricted.accession,
        uploading.accession,
        live[1] ?? '',
      ]);
      await dropFile(page, 'metadata.tsv', tsv);
      await page.getByTestId('not-included-line').first().waitFor();
      await page.getByTestId('add-totals').filter({ hasText: 'free on' }).waitFor({ timeout: 5000 });
      const notIncluded = (await page.getByTestId('not-included-line').allTextContents()).join('\n');
      expect(notIncluded).toContain(`${restricted.accession} not included`);
      expect(notIncluded).toContain(`${uploading.accession} not included`);
      await shoot(page, 'add-tsv-800x600-dark');
      expect((await layout(page)).overflowX).toBe(0);
      expect(opened.errors).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('fits an 800×600 window without scrolling sideways', async () => {
    const opened = await openPage(browser, app.url, { viewport: { width: 800, height: 600 } });
    pages.push(opened);
    const { page } = opened;
    await waitForApp(page);
    await queueRow(page, names.failed ?? '').waitFor();
    const queue = await shoot(page, 'queue-800x600');
    expect(queue).toMatchObject({ width: 800, height: 600 });
    expect((await layout(page)).overflowX).toBe(0);
    await goToView(page, 'Add');
    await shoot(page, 'add-800x600');
    expect((await layout(page)).overflowX).toBe(0);
    await goToView(page, 'Browse');
    await page.getByRole('table', { name: 'Search results' }).locator('tbody tr').first().waitFor();
    expect(await sidewaysScroll(page, '.results .table-wrap')).toBe(0);
    // Everything the rail offers is reachable.
    for (const view of ['Queue', 'Add', 'Browse', 'Accounts', 'Settings']) {
      expect(
        await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view }).isVisible(),
      ).toBe(true);
    }
    expect(opened.errors).toEqual([]);
    // The checksum column fits its longest label ("✕ md5 mismatch") even here: the one label that says whether
    // a file can be trusted is never cut off.
    await goToView(page, 'Queue');
    await queueRow(page, names.failed ?? '').waitFor();
    expect(await clippedChecksumLabels(page), 'checksum labels cut off at 800×600').toEqual([]);
    expect(await clippedQueueCells(page), 'queue cells cut off at 800×600').toEqual([]);
    expect(await toolbarLines(page), 'the queue toolbar wraps at 800×600').toBe(1);
    // Just above the width where the rail folds to icons, the table is at its narrowest beside a full rail.
    await page.setViewportSize({ width: 910, height: 600 });
    await expect.poll(() => toolbarLines(page), { timeout: 5000 }).toBe(1);
    expect(await clippedQueueCells(page), 'queue cells cut off at 910×600').toEqual([]);
    await page.setViewportSize({ width: 800, height: 600 });
    // The details pane opens where it can be seen: its reason is inside the window, and rows stay in view.
    await queueRow(page, names.failed ?? '').click();
    await page.getByRole('button', { name: 'Details', exact: true }).click();
    await page.getByTestId('job-details-reason').waitFor();
    const reason = await page.getByTestId('job-details-reason').boundingBox();
    expect(reason, 'the details reason is laid out').not.toBeNull();
    expect(
      (reason?.y ?? 1e9) + (reason?.height ?? 0),
      'the details reason is inside the window',
    ).toBeLessThanOrEqual(600);
    const grid = await page.locator('.grid-scroll').boundingBox();
    const row = await queueRow(page, names.failed ?? '').boundingBox();
    expect(row?.y ?? -1, 'the row the details describe is in view').toBeGreaterThanOrEqual(grid?.y ?? 1e9);
    expect((row?.y ?? 1e9) + (row?.height ?? 0)).toBeLessThanOrEqual(
      (grid?.y ?? 0) + (grid?.height ?? 0) + 0.5,
    );
    expect(await clippedQueueCells(page), 'queue cells cut off beside the details').toEqual([]);
    await shoot(page, 'queue-details-800x600');
    expect((await layout(page)).overflowX).toBe(0);
  });
});
