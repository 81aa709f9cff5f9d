import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, launchChromium, type OpenedPage, openPage } from '../support/browser.ts';
import { type E2eApp, filesIn, md5OfFile, startE2eApp, unknownAccessions } from '../support/e2e-app.ts';
import {
  goToView,
  queueGrid,
  queueRow,
  readRow,
  rowPercent,
  textOf,
  waitForApp,
  waitForRowState,
  waitForVerified,
} from '../support/e2e-page.ts';

/** The Queue's controls on real transfers: pause and resume, a failure and its retry, move to top, and 10,000 rows. */
const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`Skipping the browser e2e tests: ${skipReason}`);

function partSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

describe.skipIf(skipReason !== undefined)('Queue controls, in Chromium against the real core', () => {
  let browser: Browser;
  let app: E2eApp | undefined;
  let opened: OpenedPage | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    await opened?.context.close();
    opened = undefined;
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('pauses a running download, keeps its bytes, resumes with a range and verifies it', async () => {
    app = await startE2eApp();
    const { portal } = app;
    const file = portal.addFile({ size: 320 * 1024, format: 'bed' });
    portal.setFaults(file.accession, { throughputBytesPerSec: 64 * 1024 });
    opened = await openPage(browser, app.url);
    const { page } = opened;
    await waitForApp(page);
    await app.call('queue:add', { items: [file.accession] });

    // It is moving: state, percent and the header all say so.
    await waitForRowState(page, file.fileName, 'downloading');
    await expect.poll(() => rowPercent(page, file.fileName), { timeout: 10_000 }).toBeGreaterThan(5);
    expect(await textOf(page.getByTestId('header-unfinished'))).toBe('1 unfinished');
    expect(await textOf(page.getByTestId('queue-badge'))).toBe('1');

    await queueRow(page, file.fileName).click();
    expect(await queueRow(page, file.fileName).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const paused = await waitForRowState(page, file.fileName, 'paused');
    expect(paused.text).toContain('Paused');

    // Paused means paused: neither the .part file, the storage's count nor the shown percent grows. The clock
    // is real work, not a sleep: another file at the same throttled rate, fetched from start to verified, in
    // which time a fetch that kept going would have added tens of kilobytes.
    const { downloadDir, call } = app;
    const others: string[] = [];
    const downloadAnother = async () => {
      const other = portal.addFile({ size: 48 * 1024, format: 'bed' });
      portal.setFaults(other.accession, { throughputBytesPerSec: 64 * 1024 });
      await call('queue:add', { items: [other.accession] });
      await waitForVerified(page, [other.fileName], 30_000);
      others.push(other.fileName);
    };
    const part = join(downloadDir, `${file.fileName}.part`);
    await downloadAnother(); // bytes in flight when it paused have landed by now
    const before = { disk: partSize(part), served: portal.bytesServed(file.fileName) };
    const shown = await rowPercent(page, file.fileName);
    expect(before.disk).toBeGreaterThan(0);
    expect(before.disk).toBeLessThan(file.size);
    await downloadAnother();
    expect(partSize(part)).toBe(before.disk);
    expect(portal.bytesServed(file.fileName)).toBe(before.served);
    expect(await rowPercent(page, file.fileName)).toBe(shown);
    expect(await page.getByRole('button', { name: 'Pause', exact: true }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await waitForVerified(page, [file.fileName], 30_000);
    expect(await md5OfFile(join(app.downloadDir, file.fileName))).toBe(file.md5);
    expect(await filesIn(app.downloadDir)).toEqual([file.fileName, ...others].sort());
    // Resumed from where it stopped, not from the start.
    expect(portal.bytesServed(file.fileName)).toBeLessThan(1.6 * file.size);
    const ranged = portal.storageRequests().filter((r) => r.fileName === file.fileName && r.range);
    expect(ranged.length).toBeGreaterThan(0);
    expect(opened.errors).toEqual([]);
  });

  it('shows a checksum failure in plain words, keeps no bad file, and Retry fixes it', async () => {
    app = await startE2eApp();
    const { portal } = app;
    const file = portal.addFile({ size: 200 * 1024, format: 'bed' });
    portal.setFaults(file.accession, { wrongMd5: true });
    opened = await openPage(browser, app.url);
    const { page } = opened;
    await waitForApp(page);
    await app.call('queue:add', { items: [file.accession] });

    const failed = await waitForRowState(page, file.fileName, 'failed');
    expect(failed.verification).toBe('mismatch');
    expect(failed.text).toMatch(/checksum|md5/i);
    expect(failed.text).toMatch(/match/i);
    const reason = await textOf(queueRow(page, file.fileName).locator('.c-reason'));
    expect(reason.length).toBeGreaterThan(20);
    expect(await textOf(page.getByRole('button', { name: /^Failed/ }))).toMatch(/Failed\s*1/);
    // Downloaded twice (a mismatch is retried once), and nothing unverified sits under the final name.
    expect(portal.bytesServed(file.fileName)).toBe(2 * file.size);
    expect(existsSync(join(app.downloadDir, file.fileName))).toBe(false);

    portal.clearFaults(file.accession);
    await queueRow(page, file.fileName).click();
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await waitForVerified(page, [file.fileName]);
    expect(await md5OfFile(join(app.downloadDir, file.fileName))).toBe(file.md5);
    expect(await filesIn(app.downloadDir)).toEqual([file.fileName]);
    expect(opened.errors).toEqual([]);
    // BUG (src-main/core/downloads/queue/engine.ts, requeue): Retry clears job.error but not job.note, so the clean
    // second run still shows "Checksum mismatch: deleted the bad copy and downloading it again" on a verified file.
    expect(
      await textOf(queueRow(page, file.fileName).locator('.c-reason')),
      "a verified file after Retry should not show the failed run's recovery note",
    ).toBe('');
  });

  it('moves a waiting file to the top: it shows right after the running one and starts next', async () => {
    app = await startE2eApp({ settings: { concurrency: 1 } });
    const { portal } = app;
    const blocker = portal.addFile({ size: 256 * 1024, format: 'bed' });
    portal.setFaults(blocker.accession, { stallAfterBytes: 64 * 1024 });
    const [first, second, third] = [1, 2, 3].map(() => portal.addFile({ size: 32 * 1024, format: 'bed' }));
    if (!first || !second || !third) throw new Error('no files');
    // The two it passes take seconds each, so the order they finish in is the order they started in.
    for (const slow of [first, second]) portal.setFaults(slow.accession, { throughputBytesPerSec: 8 * 1024 });
    opened = await openPage(browser, app.url);
    const { page } = opened;
    await waitForApp(page);
    await app.call('queue:add', { items: [blocker, first, second, third].map((f) => f.accession) });
    await waitForRowState(page, blocker.fileName, 'downloading');
    // Waiting files are named by their accession until they are resolved.
    const names = async () =>
      Promise.all(
        (await queueGrid(page).getByTestId('queue-row').all()).map((row) => row.getAttribute('aria-label')),
      );
    await expect.poll(names).toEqual([blocker.fileName, first.accession, second.accession, third.accession]);

    await queueRow(page, third.accession).click();
    await page.getByRole('button', { name: 'Move to top', exact: true }).click();
    await expect.poll(names).toEqual([blocker.fileName, third.accession, first.accession, second.accession]);
    // Pausing the stuck file frees the one slot: the moved file is the next to start, and is done before
    // the two it passed.
    await queueRow(page, blocker.fileName).click();
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await waitForVerified(page, [third.fileName]);
    const states = await Promise.all(
      [first, second].map(
        async (f) => (await readRow(queueRow(page, f.fileName)))?.state ?? 'not resolved yet',
      ),
    );
    expect(states).not.toContain('done');
    portal.clearFaults();
    await queueRow(page, blocker.fileName).click();
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await waitForVerified(page, [first.fileName, second.fileName, blocker.fileName]);
    expect(opened.errors).toEqual([]);
  });

  it('Undo after Remove puts files back: a kept partial file resumes, a deleted one restarts from zero', async () => {
    app = await startE2eApp();
    const { portal } = app;
    const [kept, deleted] = [1, 2].map(() => portal.addFile({ size: 320 * 1024, format: 'bed' }));
    if (!kept || !deleted) throw new Error('no files');
    // Slow enough to catch each one partway, and for the notices to be read before the batch ends.
    for (const f of [kept, deleted]) portal.setFaults(f.accession, { throughputBytesPerSec: 48 * 1024 });
    opened = await openPage(browser, app.url);
    const { page } = opened;
    await waitForApp(page);
    const notice = page.getByTestId('notice');
    const rangesOf = (name: string) =>
      portal
        .storageRequests()
        .filter((r) => r.fileName === name && r.method === 'GET')
        .map((r) => r.range ?? 'whole file');

    for (const [file, choice] of [
      [kept, 'Remove, keep partial files'],
      [deleted, 'Remove and delete partial files'],
    ] as const) {
      await app.call('queue:add', { items: [file.accession] });
      await expect.poll(() => rowPercent(page, file.fileName), { timeout: 15_000 }).toBeGreaterThan(10);
      await queueRow(page, file.fileName).click();
      await page.getByRole('button', { name: 'Remove', exact: true }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: choice }).click();
      await queueRow(page, file.fileName).waitFor({ state: 'detached' });
      const partial = join(app.downloadDir, `${file.fileName}.part`);
      const bytesKept = partSize(partial);
      if (file === kept) {
        expect(await textOf(notice)).toContain('partial files kept (adding them again resumes)');
        expect(bytesKept).toBeGreaterThan(0);
      } else {
        expect(await textOf(notice)).toContain('partial files deleted (Undo restarts them from zero)');
        expect(existsSync(partial)).toBe(false);
      }
      await notice.getByRole('button', { name: 'Undo' }).click();
      await expect
        .poll(() => textOf(notice))
        .toBe(
          file === kept
            ? 'Put back 1 download.'
            : 'Put back 1 download; their partial files were deleted, so they start again from zero.',
        );
      await waitForVerified(page, [file.fileName]);
      // What the storage was asked for after Undo: a resume from the kept bytes, or the whole file again.
      expect(rangesOf(file.fileName).at(-1)).toBe(file === kept ? `bytes=${bytesKept}-` : 'whole file');
      expect(await md5OfFile(join(app.downloadDir, file.fileName))).toBe(file.md5);
    }
    expect(opened.errors).toEqual([]);
  });

  it('shows in the row that a Retry was tried when the file fails again at once', async () => {
    app = await startE2eApp();
    const [missing = ''] = unknownAccessions(1);
    opened = await openPage(browser, app.url);
    const { page } = opened;
    await waitForApp(page);
    await app.call('queue:add', { items: [missing] });
    const first = await waitForRowState(page, missing, 'failed');
    expect(first.text).not.toMatch(/Try \d/);

    await queueRow(page, missing).click();
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    // It was tried again, failed again, and the row says this is the second try.
    await expect
      .poll(async () => (await readRow(queueRow(page, missing)))?.text, { timeout: 15_000 })
      .toMatch(/Try 2, \d/);
    expect((await readRow(queueRow(page, missing)))?.state).toBe('failed');
    await page.getByRole('button', { name: 'Details', exact: true }).click();
    // Both tries are in its history, each with the server's answer.
    const tries = await page.getByTestId('job-attempts').locator('li').allTextContents();
    expect(tries).toHaveLength(2);
    for (const text of tries) expect(text).toContain(missing);
    expect(opened.errors).toEqual([]);
  });

  it('keeps a 10,000-job queue virtualised and reaches its last row', async () => {
    app = await startE2eApp({ settings: { concurrency: 1 } });
    const { portal } = app;
    // One slow download holds the only slot, so the 10,000 behind it stay queued.
    const blocker = portal.addFile({ size: 256 * 1024, format: 'bed' });
    portal.setFaults(blocker.accession, { throughputBytesPerSec: 2048 });
    opened = await openPage(browser, app.url);
    const { page } = opened;
    await waitForApp(page);
    await app.call('queue:add', { items: [blocker.accession] });
    await waitForRowState(page, blocker.fileName, 'downloading');

    const many = unknownAccessions(10_000);
    const added = await app.call('queue:add', { items: many });
    expect(added.added).toBe(10_000);
    const grid = queueGrid(page);
    await expect.poll(() => grid.getAttribute('aria-rowcount'), { timeout: 30_000 }).toBe('10002');
    expect(await textOf(page.getByRole('button', { name: /^All/ }))).toMatch(/All\s*10001/);
    expect(await textOf(page.getByTestId('queue-badge'))).toBe('10001');

    // Only the rows in view are in the DOM.
    const inDom = await page.getByTestId('queue-row').count();
    expect(inDom).toBeGreaterThan(10);
    expect(inDom).toBeLessThan(100);

    // Dragging the scrollbar to the end brings the last job into view.
    const last = many.at(-1) as string;
    await page.locator('.grid-scroll').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await queueRow(page, last).waitFor({ state: 'visible', timeout: 10_000 });
    expect(await queueRow(page, last).isVisible()).toBe(true);
    expect((await readRow(queueRow(page, last)))?.state).toBe('queued');
    expect(await queueRow(page, blocker.fileName).count()).toBe(0);
    expect(await page.getByTestId('queue-row').count()).toBeLessThan(100);

    // So does the keyboard: back to the top, then End selects the last row.
    await page.locator('.grid-scroll').evaluate((el) => {
      el.scrollTop = 0;
    });
    await queueRow(page, blocker.fileName).waitFor({ state: 'visible' });
    await queueRow(page, blocker.fileName).click();
    await page.keyboard.press('End');
    await queueRow(page, last).waitFor({ state: 'visible', timeout: 10_000 });
    await expect.poll(() => queueRow(page, last).getAttribute('aria-selected')).toBe('true');
    expect(await grid.getAttribute('aria-activedescendant')).toBe(
      await queueRow(page, last).getAttribute('id'),
    );

    await app.call('queue:pause-all', {});
    await goToView(page, 'Add');
    await goToView(page, 'Queue');
    expect(opened.errors).toEqual([]);
  });
});
