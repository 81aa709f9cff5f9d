import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../../src-shared/format.ts';
import { chromiumSkipReason, launchChromium, type OpenedPage, openPage } from '../support/browser.ts';
import { type E2eApp, filesIn, md5OfFile, startE2eApp } from '../support/e2e-app.ts';
import {
  dropFile,
  goToView,
  previewRows,
  queueRow,
  rowPercent,
  textOf,
  waitForApp,
  waitForVerified,
} from '../support/e2e-page.ts';

/** Adding files the two ways a user starts: pasting a list, and dropping the portal's metadata TSV. */
const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`Skipping the browser e2e tests: ${skipReason}`);

describe.skipIf(skipReason !== undefined)(
  'Add, in Chromium against the web host and the sample portal',
  () => {
    let browser: Browser;
    let app: E2eApp;
    let opened: OpenedPage | undefined;

    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterEach(async () => {
      await opened?.context.close();
      opened = undefined;
      await app?.close();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('pastes a mixed list, shows the rejected line, downloads every file and verifies it', async () => {
      app = await startE2eApp();
      const { portal } = app;
      const bw = portal.file(portal.files[6]?.accession ?? '');
      const chrom = portal.file(portal.files[8]?.accession ?? '');
      const bed = portal.file(portal.files[9]?.accession ?? '');
      const extra = portal.addFile({ size: 300 * 1024, format: 'bed' });
      // One file trickles, so the Queue can be seen moving.
      portal.setFaults(extra.accession, { throughputBytesPerSec: 128 * 1024 });
      const host = new URL(portal.portalUrl).host;
      const lines = [
        bw.accession,
        `drs://${host}/${chrom.accession}`,
        'not-a-file-id',
        `${portal.portalUrl}/files-processed/${bed.accession}/@@download/${bed.fileName}`,
        extra.accession.toLowerCase(),
      ];
      opened = await openPage(browser, app.url);
      const { page } = opened;
      await waitForApp(page);
      await goToView(page, 'Add');
      await page.getByTestId('add-input').fill(lines.join('\n'));

      // The preview resolves every good line against the portal; the bad one is listed with its line number.
      const wanted = [bw, chrom, bed, extra];
      await expect
        .poll(async () => (await previewRows(page)).map((r) => `${r.accession}: ${r.status}`), {
          timeout: 15_000,
        })
        .toEqual(wanted.map((f) => `${f.accession}: Ready`));
      // Each under the name it will be saved as (<ACC>.<ext>), whatever its DRS shape, never the submitter's
      // file name that DRS gives as `name`.
      expect((await previewRows(page)).map((r) => r.name)).toEqual(wanted.map((f) => f.fileName));
      const rejected = page.getByTestId('rejected-line');
      expect(await rejected.count()).toBe(1);
      expect(await textOf(rejected)).toMatch(/^Line 3\s+not-a-file-id\s+Not an accession/);
      expect(await textOf(page.getByTestId('add-totals'))).toMatch(/^4 files, /);

      const button = page.getByTestId('add-download');
      expect(await textOf(button)).toBe('Download 4 files');
      await button.click();

      // Add hands over to the Queue, which shows each file moving to done with its checksum verified.
      await page.getByRole('heading', { level: 2, name: 'Queue' }).waitFor();
      expect(await textOf(page.getByTestId('notice'))).toContain('Added 4 files to the queue');
      await expect.poll(() => rowPercent(page, extra.fileName), { timeout: 10_000 }).toBeGreaterThan(0);
      const early = await rowPercent(page, extra.fileName);
      expect(early).toBeLessThan(100);
      await expect.poll(() => textOf(page.getByTestId('header-unfinished'))).toBe('1 unfinished');
      expect(await textOf(page.getByTestId('header-speed'))).toMatch(/\/s$/);
      await expect.poll(() => rowPercent(page, extra.fileName), { timeout: 10_000 }).toBeGreaterThan(early);
      const names = wanted.map((f) => f.fileName);
      await waitForVerified(page, names);
      for (const file of wanted) {
        const row = queueRow(page, file.fileName);
        expect(await textOf(row.getByTestId('job-checksum'))).toBe('md5 verified');
        expect(await textOf(row.locator('.percent'))).toBe('100%');
      }
      expect(await page.getByTestId('queue-badge').count()).toBe(0);
      expect(await textOf(page.getByTestId('header-unfinished'))).toBe('0 unfinished');

      // Bytes on disk are the portal's bytes: same md5, final names only, no .part left behind.
      expect(await filesIn(app.downloadDir)).toEqual([...names].sort());
      for (const file of wanted) expect(await md5OfFile(join(app.downloadDir, file.fileName))).toBe(file.md5);
      expect(portal.authorizationSentToStorage()).toBe(false);
      expect(opened.errors).toEqual([]);
    });

    it('opens a dropped metadata TSV in Add (extra file in, commented rows out) and downloads it', async () => {
      app = await startE2eApp();
      const { portal } = app;
      const pairs = portal.addFile({ size: 200 * 1024, format: 'pairs', withExtraFile: true });
      const restricted = portal.addFile({ size: 50 * 1024, format: 'hic', status: 'restricted' });
      const uploading = portal.addFile({ size: 50 * 1024, format: 'hic', status: 'uploading' });
      const bed = portal.file(portal.files[9]?.accession ?? '');
      const px2 = pairs.extraFiles[0];
      if (!px2) throw new Error('the sample portal gave the pairs file no extra file');
      const tsv = portal.metadataTsv([
        pairs.accession,
        restricted.accession,
        uploading.accession,
        bed.accession,
      ]);
      expect(tsv).toContain(`### Restricted: `);
      expect(tsv).toContain(`### Not Yet Uploaded: `);

      opened = await openPage(browser, app.url);
      const { page } = opened;
      await waitForApp(page);
      const { overlayText } = await dropFile(page, 'metadata_2026-11-20-14h-05m.tsv', tsv);
      expect(overlayText).toBe('Drop to add');

      // Add opens by itself with the list parsed as the portal's TSV.
      await page.getByRole('heading', { level: 2, name: 'Add' }).waitFor();
      expect(await page.getByText('From metadata_2026-11-20-14h-05m.tsv').count()).toBe(1);
      const wanted = [pairs.fileName, px2.fileName, bed.fileName];
      await expect
        .poll(async () => (await previewRows(page)).map((r) => `${r.name}: ${r.status}`).sort(), {
          timeout: 15_000,
        })
        .toEqual(wanted.map((name) => `${name}: Ready`).sort());
      expect(await page.getByText("3 files found in a portal's metadata TSV").count()).toBe(1);
      // The extra file counts with its own size, not its parent's (they share an accession and a DRS object).
      const total = pairs.size + px2.size + bed.size;
      expect(await textOf(page.getByTestId('add-totals'))).toMatch(
        new RegExp(`^3 files, ${formatBytes(total)};`),
      );
      const preview = await textOf(page.getByRole('table', { name: 'Files to add' }));
      expect(preview).not.toContain(restricted.accession);
      expect(preview).not.toContain(uploading.accession);
      // The rows the portal commented out are named, with why, rather than left out in silence.
      const notIncluded = (await page.getByTestId('not-included-line').allTextContents()).map((t) =>
        t.replace(/\s+/g, ' '),
      );
      expect(notIncluded).toHaveLength(2);
      expect(notIncluded[0]).toMatch(new RegExp(`${restricted.accession} not included: .*"Restricted"`));
      expect(notIncluded[1]).toMatch(new RegExp(`${uploading.accession} not included: .*"Not Yet Uploaded"`));

      // Slowed a little so the batch is still running when the notice is read.
      portal.setFaults(pairs.accession, { throughputBytesPerSec: 100 * 1024 });
      await page.getByTestId('add-download').click();
      await page.getByRole('heading', { level: 2, name: 'Queue' }).waitFor();
      expect(await textOf(page.getByTestId('notice'))).toBe('Added 3 files to the queue (2 not included).');
      await waitForVerified(page, wanted);

      expect(await filesIn(app.downloadDir)).toEqual([...wanted].sort());
      expect(await md5OfFile(join(app.downloadDir, pairs.fileName))).toBe(pairs.md5);
      expect(await md5OfFile(join(app.downloadDir, px2.fileName))).toBe(px2.md5);
      expect(await md5OfFile(join(app.downloadDir, bed.fileName))).toBe(bed.md5);
      expect(existsSync(join(app.downloadDir, restricted.fileName))).toBe(false);
      expect(portal.bytesServed(restricted.fileName)).toBe(0);
      expect(portal.bytesServed(uploading.fileName)).toBe(0);
      expect(opened.errors).toEqual([]);
    });
  },
);
