import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, launchChromium, type OpenedPage, openPage } from '../support/browser.ts';
import { type E2eApp, filesIn, md5OfFile, startE2eApp } from '../support/e2e-app.ts';
import { goToView, textOf, waitForApp, waitForVerified } from '../support/e2e-page.ts';

/** Browse: search the sample portal, narrow by a facet, read a file's DRS object, queue it, get it. */
const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`Skipping the browser e2e tests: ${skipReason}`);

async function resultNames(page: Page): Promise<string[]> {
  const rows = page.getByRole('table', { name: 'Search results' }).locator('tbody tr');
  return Promise.all((await rows.all()).map(async (row) => (await row.getAttribute('aria-label')) ?? ''));
}

/** Opens Browse once the app is up; returns the results count line, once it shows all 12 sample files. */
async function openBrowse(page: Page) {
  await waitForApp(page);
  await goToView(page, 'Browse');
  const status = page
    .getByRole('table', { name: 'Search results' })
    .locator('xpath=../..')
    .getByRole('status');
  await expect.poll(() => textOf(status), { timeout: 15_000 }).toBe('1–12 of 12');
  return status;
}

describe.skipIf(skipReason !== undefined)('Browse, in Chromium against the sample portal', () => {
  let browser: Browser;
  let app: E2eApp;
  let opened: OpenedPage;

  beforeAll(async () => {
    browser = await launchChromium();
    app = await startE2eApp();
    opened = await openPage(browser, app.url);
  });
  afterAll(async () => {
    await opened?.context.close();
    await app?.close();
    await browser?.close();
  });

  it('searches, narrows with a facet, shows the DRS object and downloads the chosen file', async () => {
    const { page } = opened;
    const { portal } = app;
    const status = await openBrowse(page);

    // A search for a biosource keeps only its files.
    const chipSeq = portal.files.filter((f) => ['bw', 'bed', 'bam', 'fastq'].includes(f.format));
    await page.getByTestId('browse-search').fill('H1-hESC');
    await page.getByTestId('browse-search').press('Enter');
    await expect.poll(() => textOf(status), { timeout: 10_000 }).toBe('1–4 of 4');
    const found = await resultNames(page);
    expect(found).toHaveLength(4);
    for (const name of found) expect(chipSeq.map((f) => f.fileName)).toContain(name);

    // Ticking a format narrows it to one file; the facet shows its count.
    const filters = page.getByRole('complementary', { name: 'Filters' });
    const bedBox = filters
      .getByRole('group', { name: 'File Format' })
      .getByRole('checkbox', { name: /^bed\b/ });
    await bedBox.check();
    await expect.poll(() => textOf(status), { timeout: 10_000 }).toBe('1–1 of 1');
    const bed = portal.files.find((f) => f.format === 'bed');
    if (!bed) throw new Error('the sample portal has no bed file');
    expect(await resultNames(page)).toEqual([bed.fileName]);
    expect(await bedBox.isChecked()).toBe(true);
    expect(await textOf(filters.getByRole('button', { name: /^Clear 1 filter/ }))).toBe('Clear 1 filter');

    // Its details: the DRS object with its md5 and access methods, and a link to the portal page.
    await page.getByRole('button', { name: bed.fileName, exact: true }).click();
    const details = page.getByRole('complementary', { name: 'File details' });
    await details.getByRole('heading', { name: 'DRS object' }).waitFor({ timeout: 10_000 });
    const detailsText = await textOf(details);
    expect(detailsText).toContain(bed.accession);
    expect(detailsText).toContain(`drs://${new URL(portal.portalUrl).host}/${bed.accession}`);
    expect(
      await textOf(
        details.getByRole('heading', { name: 'Checksums' }).locator('xpath=following-sibling::ul[1]'),
      ),
    ).toBe(`md5 ${bed.md5}`);
    const methods = await textOf(
      details.getByRole('heading', { name: 'Access methods' }).locator('xpath=following-sibling::ul[1]'),
    );
    expect(methods).toMatch(/^https /m);
    expect(methods).toContain(portal.storageUrl);
    expect(await details.getByRole('link', { name: /Open on the portal/ }).getAttribute('href')).toContain(
      bed.accession,
    );
    expect(await details.locator('details.raw-json').getAttribute('open')).toBeNull();

    // Queue it from the results and watch it arrive. Throttled to about two seconds, so the "added" notice is
    // still up when the poll reads it rather than already replaced by "batch finished".
    portal.setFaults(bed.accession, { throughputBytesPerSec: Math.max(1024, Math.ceil(bed.size / 2)) });
    await page.getByRole('checkbox', { name: `Select ${bed.fileName}` }).check();
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await expect.poll(() => textOf(page.getByTestId('notice'))).toBe('Added 1 file to the queue.');
    await goToView(page, 'Queue');
    await waitForVerified(page, [bed.fileName]);
    expect(await filesIn(app.downloadDir)).toEqual([bed.fileName]);
    expect(await md5OfFile(join(app.downloadDir, bed.fileName))).toBe(bed.md5);
    expect(opened.errors).toEqual([]);
  });

  it('marks, in Browse and in the Add preview, a file downloaded and verified, one in the queue, and not others', async () => {
    const { portal } = app;
    const bed = portal.files.find((f) => f.format === 'bed');
    const mcool = portal.files.find((f) => f.format === 'mcool');
    const hic = portal.files.find((f) => f.format === 'hic' && f.status === 'released');
    if (!bed || !mcool) throw new Error('the sample portal lacks a bed or mcool file');
    // The first test downloaded the bed file; an mcool held at a trickle stays in the queue.
    // The first test downloaded the bed file; an mcool held at a trickle stays in the queue.
    portal.setFaults(mcool.accession, { stallAfterBytes: 1000 });
    const fresh = await openPage(browser, app.url);
    try {
      const { page } = fresh;
      await openBrowse(page);
      const results = page.getByRole('table', { name: 'Search results' });
      const markOf = (name: string) =>
        results.getByRole('row', { name, exact: true }).getByTestId('queue-mark');
      await expect.poll(() => textOf(markOf(bed.fileName)), { timeout: 10_000 }).toBe('Downloaded, verified');
      expect(await markOf(bed.fileName).getAttribute('title')).toBe(
        `At ${join(app.downloadDir, bed.fileName)}`,
      );
      expect(await markOf(mcool.fileName).count()).toBe(0);
      await page.getByRole('checkbox', { name: `Select ${mcool.fileName}` }).check();
      await page.getByRole('button', { name: 'Add to queue' }).click();
      await expect.poll(() => textOf(markOf(mcool.fileName)), { timeout: 10_000 }).toBe('In the queue');
      if (hic) expect(await markOf(hic.fileName).count()).toBe(0);

      await goToView(page, 'Add');
      await page.getByTestId('add-input').fill([bed.accession, mcool.accession].join('\n'));
      const preview = page.getByRole('table', { name: 'Files to add' });
      const previewMark = (name: string) =>
        preview.getByRole('row', { name, exact: true }).getByTestId('queue-mark');
      await expect
        .poll(() => textOf(previewMark(bed.fileName)), { timeout: 15_000 })
        .toBe('Downloaded, verified');
      await expect.poll(() => textOf(previewMark(mcool.fileName)), { timeout: 15_000 }).toBe('In the queue');
      expect(fresh.errors).toEqual([]);
    } finally {
      portal.clearFaults();
      await fresh.context.close();
    }
  });

  it('ORs several values of one facet (hic or mcool), and the Data Type facet narrows by type', async () => {
    const { portal } = app;
    const fresh = await openPage(browser, app.url);
    try {
      const { page } = fresh;
      const status = await openBrowse(page);
      const filters = page.getByRole('complementary', { name: 'Filters' });
      const format = filters.getByRole('group', { name: 'File Format' });
      const hic = portal.files.filter((f) => f.format === 'hic');
      const mcool = portal.files.filter((f) => f.format === 'mcool');

      await format.getByRole('checkbox', { name: /^hic\b/ }).check();
      await expect.poll(() => textOf(status), { timeout: 10_000 }).toBe(`1–${hic.length} of ${hic.length}`);
      // mcool is still offered with its own count, and ticking it adds its files to hic's.
      const mcoolBox = format.getByRole('checkbox', { name: /^mcool\b/ });
      expect(await textOf(mcoolBox.locator('xpath=..'))).toMatch(new RegExp(`mcool\\s*${mcool.length}$`));
      await mcoolBox.check();
      const both = hic.length + mcool.length;
      await expect.poll(() => textOf(status), { timeout: 10_000 }).toBe(`1–${both} of ${both}`);
      expect((await resultNames(page)).sort()).toEqual([...hic, ...mcool].map((f) => f.fileName).sort());
      expect(await format.getByRole('checkbox', { name: /^hic\b/ }).isChecked()).toBe(true);
      await filters.getByRole('button', { name: 'Clear 2 filters' }).click();
      await expect.poll(() => textOf(status), { timeout: 10_000 }).toBe('1–12 of 12');

      // Types in people's words; ticking one searches that type instead of every file.
      const types = filters.getByRole('group', { name: 'Data Type' });
      const processed = portal.files.filter((f) => f.itemType === 'files-processed').length;
      await types.getByRole('checkbox', { name: /^Processed file\b/ }).check();
      await expect.poll(() => textOf(status), { timeout: 10_000 }).toBe(`1–${processed} of ${processed}`);
      expect(fresh.errors).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });
  it("at 800x600, opens a restricted file's details where they can be read, saying it is restricted", async () => {
    const { portal } = app;
    const fresh = await openPage(browser, app.url, { viewport: { width: 800, height: 600 } });
    try {
      const { page } = fresh;
      const status = await openBrowse(page);
      // A short facet beside a long one keeps its terms together at its top, not spread over its height.
      const experiment = page
        .getByRole('complementary', { name: 'Filters' })
        .getByRole('group', { name: 'Experiment Type' })
        .getByRole('checkbox');
      const first = await experiment.nth(0).boundingBox();
      const second = await experiment.nth(1).boundingBox();
      expect((second?.y ?? 0) - (first?.y ?? 0)).toBeLessThan(30);
      const format = page
        .getByRole('complementary', { name: 'Filters' })
        .getByRole('group', { name: 'File Format' });
      await format.getByRole('checkbox', { name: /^hic\b/ }).check();
      await format.getByRole('checkbox', { name: /^mcool\b/ }).check();
      await expect.poll(() => textOf(status), { timeout: 10_000 }).toBe('1–3 of 3');
      const restricted = portal.files.find((f) => f.status === 'restricted');
      if (!restricted) throw new Error('the sample portal has no restricted file');
      // Keyboard, as a person without a mouse: focus the name, Enter.
      await page.getByRole('button', { name: restricted.fileName, exact: true }).focus();
      await page.keyboard.press('Enter');
      const details = page.getByRole('complementary', { name: 'File details' });
      await details.getByRole('heading', { name: 'DRS object' }).waitFor({ timeout: 10_000 });
      expect(await textOf(details.getByTestId('details-unavailable'))).toMatch(/restricted/i);
      // Its head and its warning are inside the window, not below the fold.
      await expect
        .poll(async () => {
          const box = await details.getByTestId('details-unavailable').boundingBox();
          return box !== null && box.y >= 0 && box.y + box.height <= 600;
        })
        .toBe(true);
      expect(fresh.errors).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });
});
